"""Cafe24 Admin API: orders of every shop of a mall, incrementally; tracking write-back.

Verified in the Cafe24 admin docs [V] (orders list, order items, receivers, buyer, shipments,
carriers, refunds, API limit, versioning; read in a public mirror of developers.cafe24.com):
- GET /api/v2/admin/orders: shop_no (one shop per call, default 1), start_date/end_date
  (dates; one call covers less than 3 months), date_type (default order_date), limit 1–1000
  (default 10), offset ≤ 15000, embed=items,receivers,buyer,return,cancellation,exchange.
- There is no "changed since" date_type. The ones there are: order_date, pay_date,
  shipbegin_date, shipend_date, cancel_date, place_date, cancel/exchange/return
  _request/_accept/_complete_date, purchaseconfirmation_date.
- Leaky bucket per mall: 40 calls, draining 2 per second; "X-Api-Call-Limit: n/40" on each
  answer; 429 beyond. Usage limits: X-Cafe24-Call-Remain / X-Cafe24-Time-Remain give the
  seconds to wait, present once usage reached 100 %; calling on makes the wait longer.
- Every call: Authorization: Bearer, X-Cafe24-Api-Version (latest listed 2025-12-01).
- Errors: {"error": {"code", "message", "more_info"}}; 401 token, 403 scope, 422 parameters.
- POST /api/v2/admin/orders/{order_id}/shipments {"shop_no", "request": {"tracking_no" (≤ 40),
  "shipping_company_code", "status": "standby"|"shipping", "order_item_code": [...]}};
  GET the same path lists the order's shipments with their tracking_no.

How a sync finds what changed, without a changed-date filter: a first sync reads every
order by order_date over `history_days`, in 30-day slices per shop. Later syncs read, per
shop, the orders whose pay, ship, delivery, cancel, return or exchange date (EVENT_DATE_TYPES)
falls in the window, then the refunds completed in it (GET /api/v2/admin/refunds,
date_type=refund_date) and fetch those orders by order_id: a refund can complete after
the return itself did. Dates are whole KST days, so each sync re-reads today; unchanged
orders write nothing. Not seen until their next dated event: a withdrawn request, a
shipping hold (N22), an edited address.

Also verified: GET /api/v2/admin/refunds (start_date and end_date required, date_type
refund_date | accepted_refund_date, limit ≤ 500) and GET /api/v2/admin/carriers
(shipping_carrier_code + shipping_carrier, scope mall.read_shipping).

Assumed [U]: that start_date/end_date take dates only (the docs type them as dates; the
general guide says some searches take a time too): windows are whole KST days; the list
takes all six embeds at once and gives the claim records in the shape of the
cancellation/return/exchange resources; the order of the list is not
documented (the client does not rely on it: it pages by offset within a slice and later
syncs re-read the day); GET /orders/{id} answers 404 for a shop the order is not in; an
order_id search needs no dates; a 429 may carry Retry-After (honoured when present).
Carrier codes and the browser sign-in have their own notes (carriers.py, auth.py).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from fulfill.channels.base import Connector, CredentialField, Page, ShipmentNotice, SyncWindow
from fulfill.channels.cafe24 import auth
from fulfill.channels.cafe24.carriers import parse_codes, registered_codes, shipping_company_code
from fulfill.channels.cafe24.claims import claims, goods
from fulfill.channels.cafe24.mapper import map_order
from fulfill.channels.http import ChannelHttp, Reply, retry_after_seconds
from fulfill.channels.money_time import KST, parse_time
from fulfill.channels.ratelimit import TokenBucket, account_rate
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected, PayloadError
from fulfill.translation import N_, _

log = logging.getLogger(__name__)

API_VERSION = "2025-12-01"
ORDERS_PATH = "/api/v2/admin/orders"
REFUNDS_PATH = "/api/v2/admin/refunds"
CARRIERS_PATH = "/api/v2/admin/carriers"
EMBED = "items,receivers,buyer,cancellation,return,exchange"
PAGE_LIMIT = 1000  # the orders list's maximum limit
REFUNDS_LIMIT = 500  # the refunds list's maximum limit
MAX_OFFSET = 15000  # the largest offset the lists accept
SLICE_DAYS = 30  # one call searches less than 3 months
ID_BATCH = 100  # comma-separated values a search takes at most
HISTORY_DAYS = 365
BUCKET, DRAIN_PER_S = 40, 2.0
TOKEN_MARGIN_S = 300
EVENT_DATE_TYPES = ("order_date", "pay_date", "shipbegin_date", "shipend_date",
                    "cancel_request_date", "cancel_date", "return_request_date",
                    "return_complete_date", "exchange_request_date", "exchange_complete_date")
REFUNDS = "refunds"
SHIPPABLE = frozenset({"N10", "N20", "N21"})  # 상품준비중, 배송준비중, 배송대기


def _shops(text: str) -> list[int]:
    shops = [int(part) for part in str(text or "1").replace(" ", "").split(",") if part]
    if not shops or min(shops) < 1:
        raise ValueError(f"Cafe24 shop numbers must be 1 or more, got {text!r}")
    return list(dict.fromkeys(shops))


def _error_text(reply: Reply | None) -> str:
    """Cafe24's own words from an error body ({"error": {"message"}}, or OAuth's)."""
    if reply is None:
        return ""
    try:
        body = json.loads(reply.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return reply.body[:200].decode("utf-8", "replace")
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or "")
    return str(body.get("error_description") or error or "")


def _bucket_use(reply: Reply) -> tuple[int, int] | None:
    """(used, size) from "X-Api-Call-Limit: 12/40"."""
    used, _, size = str(reply.headers.get("X-Api-Call-Limit", "")).partition("/")
    try:
        return int(used), int(size)
    except ValueError:
        return None


class Cafe24Connector(Connector):
    platform: ClassVar[Platform] = Platform.CAFE24
    credential_fields = (
        CredentialField("mall_id", N_("Mall ID"), help=N_(
            "The start of your admin address: seoulglow for seoulglow.cafe24.com")),
        CredentialField("shop_no", N_("Shop numbers"), help=N_(
            "1 is the default shop; each language shop of a global mall has its own number "
            "(Cafe24 admin → multi-shop settings). List every shop to sync, e.g. 1,2,3")),
        CredentialField("client_id", N_("Client ID"), secret=True, help=N_(
            "Cafe24 Developers → Apps → your app → app information. Add "
            "http://127.0.0.1:8724/callback to the app's Redirect URIs and give it the "
            "order read/write and shipping read permissions")),
        CredentialField("client_secret", N_("Client secret"), secret=True, help=N_(
            "Same page as the client ID: Client Secret Key")),
        CredentialField("access_token", N_("Access token"), secret=True, help=N_(
            "Filled in by “Connect with Cafe24 in the browser”; lasts 2 hours and fulfill "
            "renews it")),
        CredentialField("refresh_token", N_("Refresh token"), secret=True, help=N_(
            "Filled in by the browser sign-in; lasts 2 weeks and is renewed at every sync: "
            "sync at least every two weeks or connect again")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None, page_size: int = PAGE_LIMIT,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(account, secrets)
        settings = account.settings
        self.base = auth.api_base(settings)
        self.shops = _shops(settings.get("shop_no") or "1")
        self.history_days = int(settings.get("history_days") or HISTORY_DAYS)
        self.page_size = max(1, min(page_size, PAGE_LIMIT))
        self.clock = clock
        self.drain = account_rate(settings, DRAIN_PER_S)  # calls a second the bucket drains
        self.http = http or ChannelHttp(self.base, "Cafe24",
                                        bucket=TokenBucket(rate=self.drain, burst=BUCKET))
        self._earlier_on_reply = self.http.on_reply
        self.http.on_reply = self._on_reply
        self.http.throttle_wait = self._throttle_wait
        version = settings.get("api_version") or API_VERSION
        self.http.session.headers["X-Cafe24-Api-Version"] = version
        self._registered: dict[str, str] | None = None
        self._use_token()

    # --- rate limits ---------------------------------------------------------------------
    def _on_reply(self, reply: Reply) -> None:
        """Follow the bucket Cafe24 reports, so the next call waits instead of meeting 429;
        a spent usage allowance (…-Remain on a success) stops the calls for that long."""
        use = _bucket_use(reply)
        bucket = self.http.bucket
        if use and bucket:
            bucket.set_available(use[1] - use[0])
        remain = self._usage_wait(reply)
        if remain and reply.status < 400:
            self.http.hold(remain)
        if self._earlier_on_reply:
            self._earlier_on_reply(reply)

    @staticmethod
    def _usage_wait(reply: Reply) -> float:
        waits = [reply.header_number("X-Cafe24-Call-Remain"),
                 reply.header_number("X-Cafe24-Time-Remain")]
        return max((w for w in waits if w), default=0.0)

    def _throttle_wait(self, reply: Reply) -> float | None:
        """How long a 429 asks to wait: the usage Remain headers, Retry-After, or the time
        the bucket needs to drain one call."""
        if reply.status != 429:
            return None
        use = _bucket_use(reply)
        drain = (use[0] - use[1] + 1) / self.drain if use and use[0] >= use[1] else 1 / self.drain
        retry_after = retry_after_seconds(reply.headers.get("Retry-After"), 0.0)
        return max(self._usage_wait(reply), retry_after, drain)

    # --- tokens ----------------------------------------------------------------------------
    def _use_token(self) -> None:
        token = self.secrets.get("access_token", "")
        self.http.session.headers["Authorization"] = f"Bearer {token}"

    def _expiring(self) -> bool:
        expires = self.secrets.get("expires_at")
        return bool(expires) and parse_time(expires).timestamp() - self.clock() < TOKEN_MARGIN_S

    def refresh_access_token(self) -> None:
        """A new access token, and a new refresh token: both saved before anything else,
        as the old refresh token no longer works."""
        s = self.secrets
        ends = s.get("refresh_expires_at")
        if not s.get("refresh_token") or (ends and parse_time(ends).timestamp() <= self.clock()):
            raise ChannelAuthError(_("Cafe24's sign-in for this mall has expired (a refresh "
                                     "token lasts two weeks)."), _(auth.RECONNECT))
        tokens = auth.request_tokens(self.http, self.base, s.get("client_id", ""),
                                     s.get("client_secret", ""),
                                     {"grant_type": "refresh_token",
                                      "refresh_token": s["refresh_token"]})
        self._secrets_rotated(**tokens)
        self._use_token()

    def _send(self, method: str, path: str, **kwargs: Any) -> Reply:
        """One request; its refusals carry Cafe24's own words."""
        try:
            return self.http.request(method, path, **kwargs)
        except ChannelAuthError:
            last = self.http.last_reply
            raise ChannelAuthError(
                _("Cafe24 refused the mall's credentials ({status}: {answer}).").format(
                    status=last.status if last else 0, answer=_error_text(last)),
                _("Check that the app is still installed on the mall with the order and "
                  "shipping permissions, then connect the account again in Channels.")
            ) from None
        except ChannelRejected:
            last = self.http.last_reply
            raise ChannelRejected(_("Cafe24 refused the request ({status}: {answer}).").format(
                status=last.status if last else 0, answer=_error_text(last)), "") from None

    def _call(self, method: str, path: str, **kwargs: Any) -> Reply:
        """A call with a live token: renewed when due, or once after a 401."""
        if self._expiring():
            self.refresh_access_token()
        try:
            return self._send(method, path, **kwargs)
        except ChannelAuthError:
            last = self.http.last_reply
            if not (last and last.status == 401 and self.secrets.get("refresh_token")):
                raise
        self.refresh_access_token()
        return self._send(method, path, **kwargs)

    def _json(self, reply: Reply, key: str) -> Any:
        body = reply.json()
        if not isinstance(body, dict) or key not in body:
            raise PayloadError(
                _("Cafe24 sent an answer without “{key}” from {url}.").format(key=key,
                                                                              url=reply.url),
                _("Sync again later; if it keeps happening, report it to support."))
        return body[key]

    # --- orders ----------------------------------------------------------------------------
    def _orders(self, shop: int, params: dict[str, Any], offset: int = 0,
                limit: int | None = None) -> list[dict[str, Any]]:
        query = {"shop_no": shop, **params, "limit": limit or self.page_size, "offset": offset,
                 "embed": EMBED}
        orders = self._json(self._call("GET", ORDERS_PATH, params=query), "orders")
        if not isinstance(orders, list):
            raise PayloadError(_("Cafe24 sent something other than a list of orders."),
                               _("Sync again later; if it keeps happening, report it to "
                                 "support."))
        return orders

    def _refunded_orders(self, shop: int, first: date, last: date,
                         seen: set[str]) -> list[dict[str, Any]]:
        """Orders whose refund completed in [first, last], read again whole."""
        wanted: list[str] = []
        offset = 0
        while True:
            refunds = self._json(self._call("GET", REFUNDS_PATH, params={
                "shop_no": shop, "start_date": first.isoformat(), "end_date": last.isoformat(),
                "date_type": "refund_date", "limit": REFUNDS_LIMIT, "offset": offset}), "refunds")
            for refund in refunds if isinstance(refunds, list) else []:
                order_id = str(refund.get("order_id") or "")
                if order_id and order_id not in seen and order_id not in wanted:
                    wanted.append(order_id)
            full = isinstance(refunds, list) and len(refunds) >= REFUNDS_LIMIT
            if not full or offset >= MAX_OFFSET:
                break
            offset += REFUNDS_LIMIT
        found: list[dict[str, Any]] = []
        for start in range(0, len(wanted), ID_BATCH):
            found += self._orders(shop, {"order_id": ",".join(wanted[start:start + ID_BATCH])},
                                  limit=ID_BATCH)
        return found

    def _plan(self, window: SyncWindow) -> list[tuple[int, str]]:
        kinds = ("order_date",) if window.since is None else (*EVENT_DATE_TYPES, REFUNDS)
        return [(shop, kind) for shop in self.shops for kind in kinds]

    def _days(self, window: SyncWindow) -> tuple[date, date]:
        since = window.since or window.until - timedelta(days=self.history_days)
        return since.astimezone(KST).date(), window.until.astimezone(KST).date()

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        """Pages of orders, shop by shop and date type by date type, each in day slices.
        The cursor {"p": step of the plan, "d": first day, "o": offset, "s": slice days}
        resumes at the page after the last one saved."""
        plan, (first, last) = self._plan(window), self._days(window)
        position = self._start(cursor, len(plan), first, last)
        seen: set[str] = set()  # orders already on a page of this run
        while position is not None:
            step, day, offset, span = position
            shop, kind = plan[step]
            end = min(day + timedelta(days=span - 1), last)
            if kind == REFUNDS:
                listed, more = self._refunded_orders(shop, day, end, seen), False
            else:
                listed = self._orders(shop, {"date_type": kind, "start_date": day.isoformat(),
                                             "end_date": end.isoformat()}, offset)
                more = len(listed) >= self.page_size
                if more and offset + self.page_size > MAX_OFFSET:
                    if span == 1:
                        raise ChannelRejected(
                            _("Cafe24 lists at most {count} orders per search, and shop {shop} "
                              "has more on {day} ({kind}).").format(
                                count=MAX_OFFSET + self.page_size, shop=shop, day=day, kind=kind),
                            _("Report this to support with the log."))
                    position = (step, day, 0, max(1, span // 2))  # the same days, halved
                    continue
            nxt: tuple[int, date, int, int] | None
            if more:
                nxt = (step, day, offset + self.page_size, span)
            elif end < last:
                nxt = (step, end + timedelta(days=1), 0, SLICE_DAYS)
            elif step + 1 < len(plan):
                nxt = (step + 1, first, 0, SLICE_DAYS)
            else:
                nxt = None
            fresh = [p for p in listed if str(p.get("order_id")) not in seen]
            seen.update(str(p.get("order_id")) for p in fresh)
            yield Page.of(fresh, lambda p: map_order(p, self.account.id),
                          lambda p: p["order_id"], self._cursor(nxt), fetched=len(fresh),
                          claims=claims)
            position = nxt

    @staticmethod
    def _cursor(position: tuple[int, date, int, int] | None) -> str | None:
        if position is None:
            return None
        step, day, offset, span = position
        return json.dumps({"p": step, "d": day.isoformat(), "o": offset, "s": span},
                          separators=(",", ":"))

    @staticmethod
    def _start(cursor: str | None, steps: int, first: date,
               last: date) -> tuple[int, date, int, int] | None:
        if steps == 0:
            return None
        try:
            saved = json.loads(cursor) if cursor else None
            step, day = int(saved["p"]), date.fromisoformat(saved["d"])
            offset, span = int(saved["o"]), int(saved.get("s") or SLICE_DAYS)
        except (TypeError, ValueError, KeyError):
            return 0, first, 0, SLICE_DAYS  # none, or from another version: start over
        if not (0 <= step < steps and first <= day <= last and offset >= 0 and span >= 1):
            return 0, first, 0, SLICE_DAYS
        return step, day, offset, span

    def test_connection(self) -> str:
        """One search per shop over today: proves the token, the scope and the shop numbers."""
        today = datetime.now(UTC).astimezone(KST).date().isoformat()
        for shop in self.shops:
            self._orders(shop, {"start_date": today, "end_date": today}, limit=1)
        shops = ", ".join(str(s) for s in self.shops)
        return _("Connected to {account} (shops {shops})").format(
            account=self.account.display_name, shops=shops)

    # --- write-back --------------------------------------------------------------------------
    def _find_order(self, order_id: str) -> tuple[int, dict[str, Any]]:
        for shop in self.shops:
            try:
                reply = self._call("GET", f"{ORDERS_PATH}/{order_id}",
                                   params={"shop_no": shop, "embed": "items"})
            except ChannelRejected:
                if self.http.last_reply and self.http.last_reply.status == 404:
                    continue
                raise
            return shop, self._json(reply, "order")
        raise ChannelRejected(
            _("Cafe24 has no order {order} in shops {shops}.").format(
                order=order_id, shops=", ".join(map(str, self.shops))),
            _("Check the account's shop numbers in Channels."))

    def _registered_codes(self) -> dict[str, str]:
        """The mall's carriers by key; empty when the app may not read them."""
        if self._registered is None:
            try:
                carriers = self._json(self._call("GET", CARRIERS_PATH,
                                                 params={"shop_no": self.shops[0]}), "carriers")
            except (ChannelAuthError, ChannelRejected) as error:
                log.info("Cafe24 carriers not readable (%s); using the default codes", error)
                carriers = []
            self._registered = registered_codes(c for c in carriers if isinstance(c, dict))
        return self._registered

    def mark_shipped(self, notice: ShipmentNotice) -> None:
        """Register the tracking number on the order's items that wait for shipping. The
        same number already on the order means a repeat: nothing is sent."""
        order_id, number = notice.platform_order_id, notice.tracking_number.strip()
        if not number or len(number) > 40:
            raise ChannelRejected(
                _("Cafe24 takes tracking numbers of 1 to 40 characters, not “{number}”.").format(
                    number=number), _("Correct the tracking number."))
        shop, order = self._find_order(order_id)
        path = f"{ORDERS_PATH}/{order_id}/shipments"
        shipments = self._json(self._call("GET", path, params={"shop_no": shop}), "shipments")
        wanted = number.replace(" ", "").upper()
        asked = {line.platform_line_id for line in notice.lines}
        items = [i for i in goods(order) if not asked or str(i.get("order_item_code")) in asked]
        recorded = [str(s.get("tracking_no") or "") for s in [*(shipments or []), *items]
                    if isinstance(s, dict)]
        if any(n.replace(" ", "").upper() == wanted for n in recorded):
            return
        ready = [str(i["order_item_code"]) for i in items if i.get("order_status") in SHIPPABLE]
        if not ready:
            if any(n for n in recorded):
                raise ChannelRejected(
                    _("Cafe24 already has tracking number {number} for order {order}.").format(
                        number=next(n for n in recorded if n), order=order_id),
                    _("Correct the tracking number in the Cafe24 admin if it is wrong."))
            statuses = ", ".join(sorted({str(i.get("order_status")) for i in items})) or "none"
            raise ChannelRejected(
                _("Cafe24 order {order} has no items waiting for shipping (status "
                  "{statuses}).").format(order=order_id, statuses=statuses),
                _("Check the order in the Cafe24 admin: unpaid, held and cancelled items are "
                  "not shipped."))
        code = shipping_company_code(notice.carrier,
                                     parse_codes(self.account.settings.get("carrier_codes", "")),
                                     self._registered_codes())
        self._call("POST", path, json={"shop_no": shop, "request": {
            "tracking_no": number, "shipping_company_code": code, "status": "shipping",
            "order_item_code": ready}})

    def close(self) -> None:
        self.http.close()
