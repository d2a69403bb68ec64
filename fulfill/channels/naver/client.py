"""Naver Commerce API (Smart Store): a bcrypt-signed token, changed product orders in 24-hour
slices with moreFrom/moreSequence paging, details per whole order, and 발주확인 then 발송
처리 for write-back.

Syncing: last-changed-statuses lists the product orders changed in [lastChangedFrom,
lastChangedTo] (inclusive, at most 24 hours apart, ≤300 a call, then more.moreFrom +
moreSequence). A change may touch one product order of several (a return of one item), so
for every order on a listing page all its product orders are asked for (orders/{orderId}/
product-order-ids) and read with product-orders/query (≤300 ids a call): each page holds
whole orders. The resume cursor is {"from", "to", "seq"}: the next listing call to make.

Errors: the API gateway answers {"code": "GW.…", "message", "timestamp", "traceId"}: 401
GW.AUTHN (the 3-hour token expired: a new one is taken once and the call sent again), 403
GW.IP_NOT_ALLOWED (this computer's IP is not registered for the application), 429
GW.RATE_LIMIT / GW.QUOTA_LIMIT (waited out; a quota counted per subscription round is not).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar

from fulfill.channels.base import Connector, CredentialField, Page, Problem, ShipmentNotice, \
    SyncWindow
from fulfill.channels.http import ChannelHttp, Reply
from fulfill.channels.naver import delivery
from fulfill.channels.naver.claims import claims
from fulfill.channels.naver.mapper import group, kst_time, map_order, order_id_of
from fulfill.channels.naver.signing import client_secret_sign
from fulfill.channels.ratelimit import TokenBucket, account_rate
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected, ChannelUnavailable, PayloadError
from fulfill.translation import N_, _

LIVE_BASE = "https://api.commerce.naver.com/external"
TOKEN_PATH = "/v1/oauth2/token"
CHANGED_PATH = "/v1/pay-order/seller/product-orders/last-changed-statuses"
QUERY_PATH = "/v1/pay-order/seller/product-orders/query"
IDS_PATH = "/v1/pay-order/seller/orders/{order_id}/product-order-ids"
CONFIRM_PATH = "/v1/pay-order/seller/product-orders/confirm"
DISPATCH_PATH = "/v1/pay-order/seller/product-orders/dispatch"

SLICE = timedelta(hours=24)  # the longest lastChangedFrom..lastChangedTo Naver accepts
LIST_LIMIT = 300  # last-changed-statuses limitCount maximum
QUERY_BATCH = 300  # product-orders/query maximum productOrderIds
WRITE_BATCH = 30  # confirm and dispatch maximum product orders a call
HISTORY_DAYS = 90  # first-sync reach
TOKEN_MARGIN_S = 300  # a token is renewed this long before its 3 hours end
SENT = frozenset({"DELIVERING", "DELIVERED", "PURCHASE_DECIDED", "EXCHANGED"})
IP_ADVICE = N_("Naver accepts calls only from IP addresses registered for the application: "
               "open the Commerce API Center (apicenter.commerce.naver.com) → Application → "
               "API 호출 IP, add this computer's public IP address, then try again.")
RETRY_ADVICE = N_("Try again later; if it keeps happening, report it to support with the log.")


def _ms(moment: datetime) -> datetime:
    """To the millisecond, as Naver's timestamps (and so the cursor) carry them."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _cursor(start: datetime, end: datetime, sequence: str = "") -> str:
    return json.dumps({"from": delivery.kst_iso(start), "to": delivery.kst_iso(end),
                       "seq": sequence}, separators=(",", ":"))


class NaverConnector(Connector):
    platform: ClassVar[Platform] = Platform.NAVER
    credential_fields = (
        CredentialField("client_id", N_("Application ID"), secret=True,
                        help=N_("Commerce API Center (apicenter.commerce.naver.com) → "
                                "Application → 애플리케이션 ID. Register this computer's IP "
                                "address on the same page (API 호출 IP).")),
        CredentialField("client_secret", N_("Application secret"), secret=True,
                        help=N_("Same page: 애플리케이션 시크릿 (starts with $2a$).")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(account, secrets)
        self.history_days = int(account.settings.get("history_days") or HISTORY_DAYS)
        # Naver publishes no figures (limits vary by API and seller): a guess, slowed to the
        # lowest rate its GNCP-GW-RateLimit headers announce. A sandbox account goes faster.
        rate = account_rate(account.settings, 10)
        self.http = http or ChannelHttp(account.settings.get("api_base") or LIVE_BASE, "Naver",
                                        bucket=TokenBucket(rate=rate, burst=rate))
        self.clock = clock
        self._token: str | None = None
        self._token_until = 0.0
        self._earlier_on_reply = self.http.on_reply
        self.http.on_reply = self._on_reply

    # --- calls ---------------------------------------------------------------------------
    def _on_reply(self, reply: Reply) -> None:
        if self._earlier_on_reply:
            self._earlier_on_reply(reply)
        bucket = self.http.bucket
        if bucket:
            rate = reply.header_number("GNCP-GW-RateLimit-Replenish-Rate")
            if rate and rate < bucket.rate:
                bucket.rate = rate
            remaining = reply.header_number("GNCP-GW-RateLimit-Remaining")
            if remaining is not None:
                bucket.set_available(remaining)
        if reply.status == 429 and self._error(reply)[0] == "GW.QUOTA_LIMIT" and \
                reply.headers.get("GNCP-GW-Quota-Period") == "ROUND":
            raise ChannelUnavailable(
                _("Naver says the requests of this API subscription round are used up."),
                _("Nothing was lost; sync again in the next round and it continues where it "
                  "stopped."))

    @staticmethod
    def _error(reply: Reply | None) -> tuple[str, str]:
        """(code, message) of an error reply, with the names of invalid inputs if any."""
        try:
            data = json.loads(reply.body.decode("utf-8")) if reply else {}
        except (ValueError, UnicodeDecodeError):
            data = {}
        if not isinstance(data, dict):
            return "", ""
        message = str(data.get("message") or "")
        invalid = [f"{i.get('name')}: {i.get('message')}" for i in data.get("invalidInputs") or []
                   if isinstance(i, dict)]
        return str(data.get("code") or ""), "; ".join([message, *invalid]).strip("; ")

    def _refusal(self) -> ChannelAuthError:
        last = self.http.last_reply
        code, message = self._error(last)
        answer = f"{code or (last.status if last else '?')}: {message}"
        if code == "GW.IP_NOT_ALLOWED":
            return ChannelAuthError(_("Naver refused the call from this computer ({answer}).")
                                    .format(answer=answer), _(IP_ADVICE))
        return ChannelAuthError(
            _("Naver refused the application's credentials ({answer}).").format(answer=answer),
            _("Check the application ID and secret, and that the application has the order "
              "API group, in the Commerce API Center; then reconnect the account in Channels."))

    def _rejected(self) -> ChannelRejected:
        last = self.http.last_reply
        code, message = self._error(last)
        status = last.status if last else "?"
        return ChannelRejected(_("Naver refused the request ({answer}).").format(
            answer=f"{status} {code}: {message}"), "")

    def refresh_token(self) -> None:
        """A new token for the application's own store (type SELF), valid 3 hours."""
        stamp = int(self.clock() * 1000)
        client_id = self.secrets["client_id"]
        form = {"client_id": client_id, "timestamp": str(stamp),
                "client_secret_sign": client_secret_sign(client_id, self.secrets["client_secret"],
                                                         stamp),
                "grant_type": "client_credentials", "type": "SELF"}
        try:
            data = self.http.request("POST", TOKEN_PATH, data=form).json()
        except (ChannelAuthError, ChannelRejected):
            raise self._refusal() from None
        if not isinstance(data, dict) or not data.get("access_token"):
            raise PayloadError(_("Naver's token answer carried no access token."),
                               _(RETRY_ADVICE))
        self._token = str(data["access_token"])
        self._token_until = self.clock() + int(data.get("expires_in") or 10800) - TOKEN_MARGIN_S

    def _bearer(self) -> dict[str, str]:
        if not self._token or self.clock() >= self._token_until:
            self.refresh_token()
        return {"Authorization": f"Bearer {self._token}"}

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; an expired token (401 GW.AUTHN) is renewed once and the call sent
        again. Returns the reply's JSON."""
        for attempt in (1, 2):
            headers = self._bearer()  # its own refusals already say what to do
            try:
                return self.http.request(method, path, headers=headers, **kwargs).json()
            except ChannelAuthError:
                if attempt == 1 and self._error(self.http.last_reply)[0] == "GW.AUTHN":
                    self._token = None
                    continue
                raise self._refusal() from None
            except ChannelRejected:
                raise self._rejected() from None
        raise AssertionError("unreachable")

    def _data(self, method: str, path: str, **kwargs: Any) -> Any:
        reply = self._call(method, path, **kwargs)
        if not isinstance(reply, dict) or "data" not in reply:
            raise PayloadError(_("{platform} sent an unexpected answer from {url}.").format(
                platform="Naver", url=path), _(RETRY_ADVICE))
        return reply["data"]

    # --- orders --------------------------------------------------------------------------
    def _start(self, since: datetime, until: datetime,
               cursor: str | None) -> tuple[datetime, datetime, str]:
        if cursor:
            try:
                position = json.loads(cursor)
                start, end = kst_time(position["from"]), kst_time(position["to"])
                if since <= start <= end <= until and end - start <= SLICE:
                    return start, end, str(position.get("seq") or "")
            except (ValueError, KeyError, TypeError):
                pass  # not one of ours or from another window: start over
        return since, min(since + SLICE, until), ""

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        until = _ms(window.until)
        since = _ms(window.since or until - timedelta(days=self.history_days))
        start, end, sequence = self._start(since, until, cursor)
        while True:
            yield from self._slice(start, end, sequence, until)
            if end >= until:
                return
            start, end, sequence = end, min(end + SLICE, until), ""

    def _slice(self, start: datetime, end: datetime, sequence: str,
               until: datetime) -> Iterator[Page]:
        while True:
            params = {"lastChangedFrom": delivery.kst_iso(start),
                      "lastChangedTo": delivery.kst_iso(end), "limitCount": LIST_LIMIT}
            if sequence:
                params["moreSequence"] = sequence
            data = self._data("GET", CHANGED_PATH, params=params) or {}
            changes = data.get("lastChangeStatuses") or []
            more = data.get("more") or None
            if more:
                next_start = kst_time(str(more.get("moreFrom") or ""))
                next_sequence = str(more.get("moreSequence") or "")
                stuck = (next_start, next_sequence) == (start, sequence)
                if stuck or not start <= next_start <= end:
                    raise PayloadError(
                        _("Naver said more changes follow but gave no new position."),
                        _("Sync again later; nothing was lost."))
                resume: str | None = _cursor(next_start, end, next_sequence)
            else:
                resume = _cursor(end, min(end + SLICE, until)) if end < until else None
            if changes:
                yield self._page(changes, resume)
            if not more:
                return
            start, sequence = next_start, next_sequence

    def _page(self, changes: list[dict[str, Any]], resume: str | None) -> Page:
        """Whole orders for the product orders a listing page names."""
        problems: list[Problem] = []
        wanted: dict[str, set[str]] = {}
        for change in changes:
            order_id, product_order_id = change.get("orderId"), change.get("productOrderId")
            if not order_id or not product_order_id:
                problems.append(Problem(str(order_id or product_order_id or "?"),
                                        "Naver listed a change without its order", change))
                continue
            wanted.setdefault(str(order_id), set()).add(str(product_order_id))
        for order_id, listed in wanted.items():
            listed.update(self._product_order_ids(order_id))
        details = self._details(sorted(set().union(*wanted.values())) if wanted else [])
        payloads = []
        for order_id, ids in wanted.items():
            missing = sorted(i for i in ids if i not in details)
            if missing:
                problems.append(Problem(order_id, "Naver did not send product order(s) "
                                        f"{', '.join(missing)} of this order",
                                        {"orderId": order_id, "productOrderIds": sorted(ids)}))
                continue
            try:
                payloads.append(group(order_id, [details[i] for i in ids]))
            except (KeyError, TypeError, ValueError) as error:
                problems.append(Problem(order_id, f"{type(error).__name__}: {error}",
                                        {"orderId": order_id,
                                         "productOrders": [details[i] for i in sorted(ids)]}))
        return Page.of(payloads, lambda p: map_order(p, self.account.id), order_id_of, resume,
                       problems=problems, fetched=len(payloads) + len(problems), claims=claims)

    def _product_order_ids(self, order_id: str) -> list[str]:
        ids = self._data("GET", IDS_PATH.format(order_id=order_id)) or []
        if not isinstance(ids, list):
            raise PayloadError(_("{platform} sent an unexpected answer from {url}.").format(
                platform="Naver", url=IDS_PATH.format(order_id=order_id)), _(RETRY_ADVICE))
        return [str(i) for i in ids]

    def _details(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """product-orders/query items by productOrderId."""
        found: dict[str, dict[str, Any]] = {}
        for begin in range(0, len(ids), QUERY_BATCH):
            data = self._data("POST", QUERY_PATH,
                              json={"productOrderIds": ids[begin:begin + QUERY_BATCH]}) or []
            for item in data:
                product_order = item.get("productOrder") if isinstance(item, dict) else None
                if isinstance(product_order, dict) and product_order.get("productOrderId"):
                    found[str(product_order["productOrderId"])] = item
        return found

    def test_connection(self) -> str:
        """A token and one listing call over the last hour: credentials and IP both proven."""
        now = datetime.fromtimestamp(self.clock()).astimezone()
        self._data("GET", CHANGED_PATH, params={
            "lastChangedFrom": delivery.kst_iso(now - timedelta(hours=1)),
            "lastChangedTo": delivery.kst_iso(now), "limitCount": 1})
        return _("Connected to {account}").format(account=self.account.display_name)

    # --- write-back ----------------------------------------------------------------------
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        """Confirm (발주확인) what is not confirmed yet, then dispatch with the carrier code and
        tracking number. A product order Naver already shows dispatched with this number is
        done (a repeat); with another number it is refused."""
        code = delivery.delivery_company_code(notice.carrier)
        order_id = notice.platform_order_id
        named = [line.platform_line_id for line in notice.lines if line.platform_line_id]
        ids = named or self._product_order_ids(order_id)
        details = self._details(ids)
        to_send, to_confirm, elsewhere, closed, repeated = [], [], [], [], 0
        for product_order_id in ids:
            item = details.get(product_order_id)
            if item is None:
                raise ChannelRejected(
                    _("Naver has no product order {line} in order {order}.").format(
                        line=product_order_id, order=order_id),
                    _("Check the order in the Smart Store Center; sync the account again."))
            po, sent = item["productOrder"], (item.get("delivery") or {})
            status = po.get("productOrderStatus")
            if status in SENT and sent.get("trackingNumber") == notice.tracking_number:
                repeated += 1
            elif status in SENT:
                elsewhere.append(str(sent.get("trackingNumber") or "?"))
            elif status == "PAYED":
                to_send.append(product_order_id)
                if po.get("placeOrderStatus") != "OK":
                    to_confirm.append(product_order_id)
            else:
                closed.append(f"{product_order_id} ({status})")
        # Lines named: each must be this parcel's. The whole order: what is still to send
        # goes; product orders sent earlier in other parcels are left as they are.
        if (named and (elsewhere or closed)) or not (to_send or repeated):
            self._refuse_unsendable(order_id, elsewhere, closed)
        for begin in range(0, len(to_confirm), WRITE_BATCH):
            self._confirm(to_confirm[begin:begin + WRITE_BATCH])
        for begin in range(0, len(to_send), WRITE_BATCH):
            self._dispatch(to_send[begin:begin + WRITE_BATCH], code, notice)

    @staticmethod
    def _refuse_unsendable(order_id: str, elsewhere: list[str], closed: list[str]) -> None:
        if elsewhere:
            numbers = ", ".join(sorted(set(elsewhere)))
            raise ChannelRejected(
                _("Naver already has tracking number {number} for order {order}.").format(
                    number=numbers, order=order_id),
                _("Correct the tracking number in the Smart Store Center (송장 수정) if it is "
                  "wrong."))
        raise ChannelRejected(
            _("Naver has nothing to dispatch in order {order}: {lines}.").format(
                order=order_id, lines=", ".join(closed) or "-"),
            _("The buyer cancelled or has not paid: check the order in the Smart Store "
              "Center."))

    @staticmethod
    def _failures(data: dict[str, Any]) -> list[dict[str, Any]]:
        return [f for f in data.get("failProductOrderInfos") or [] if isinstance(f, dict)]

    @staticmethod
    def _describe(failures: list[dict[str, Any]]) -> str:
        return "; ".join(f"{f.get('productOrderId')}: {f.get('message') or f.get('code')}"
                         for f in failures)

    def _confirm(self, ids: list[str]) -> None:
        data = self._data("POST", CONFIRM_PATH, json={"productOrderIds": ids}) or {}
        if failures := self._failures(data):
            raise ChannelRejected(
                _("Naver did not confirm (발주확인) {lines}.").format(
                    lines=self._describe(failures)),
                _("Check these product orders in the Smart Store Center."))

    def _dispatch(self, ids: list[str], code: str, notice: ShipmentNotice) -> None:
        when = delivery.dispatch_date(notice.shipped_at)
        body = {"dispatchProductOrders": [
            {"productOrderId": i, "deliveryMethod": delivery.DELIVERY,
             "deliveryCompanyCode": code, "trackingNumber": notice.tracking_number,
             "dispatchDate": when} for i in ids]}
        data = self._data("POST", DISPATCH_PATH, json=body) or {}
        failures = self._failures(data)
        if not failures:
            return
        # Sent before (an earlier attempt that timed out, the seller in the Smart Store
        # Center): a product order now dispatched with this very number is done.
        again = self._details([str(f.get("productOrderId")) for f in failures])
        left = [f for f in failures
                if ((again.get(str(f.get("productOrderId"))) or {}).get("delivery") or {})
                .get("trackingNumber") != notice.tracking_number]
        if left:
            raise ChannelRejected(
                _("Naver refused to dispatch {lines}.").format(lines=self._describe(left)),
                _("Check the carrier and tracking number, and the order in the Smart Store "
                  "Center."))

    def close(self) -> None:
        self.http.close()
