"""Coupang Open API (Wing): HMAC-signed calls, order sheets per status over a created-date
window, claim records, acknowledgement then invoice upload for the write-back.

What this means for the seller — Coupang has no "changed since" filter. An order sheet is
found only by the day it was placed and its current status. So every sync asks, for each
status (ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY, NONE_TRACKING), for the
orders placed from `lookback_days` (default 30) before the last sync up to now, page by page
(nextToken, 50 a page, at most 31 days a call), and saves them idempotently: an order that
did not change writes nothing. An order placed longer ago than that window is no longer
followed; its later changes (a late delivery, purchase confirmation) are not seen unless a
claim names it. The first sync reaches `history_days` (default 90) back. Both are account
settings; a wider window costs more calls, not correctness.

Claims (cancellations, returns, exchanges, withdrawn returns) are read over the same window
by the day they were made. Coupang drops a returned order from its lists ("Returned orders
disappear from the list"), so a claim about a box this sync did not list makes the client
fetch its order (GET …/{orderId}/ordersheets) and put it, with the claim, on a page of its own.

A resume cursor names the phase and position: {"phase": "orders", "status", "from", "token"}
(the list call to repeat, with Coupang's nextToken) or {"phase": "claimed", "after": orderId}.
Claims are read again when a sync resumes: they are few, and they must be on the pages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from fulfill.channels.base import (
    Connector, CredentialField, Page, Problem, ShipmentNotice, SyncWindow,
)
from fulfill.channels.coupang import claims as claim_records
from fulfill.channels.coupang.mapper import map_order, order_id_of
from fulfill.channels.coupang.shipping import invoice_outcome, plan_invoices
from fulfill.channels.coupang.signing import authorization
from fulfill.channels.http import ChannelHttp
from fulfill.channels.money_time import KST
from fulfill.channels.ratelimit import TokenBucket, account_rate
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected, ChannelUnavailable, PayloadError
from fulfill.translation import N_, _

log = logging.getLogger(__name__)

LIVE_HOST = "https://api-gateway.coupang.com"
ORDER_STATUSES = ("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY",
                  "NONE_TRACKING")
# returnRequests by status: 출고중지요청, 반품접수, 쿠팡확인요청, 반품완료; then cancelType=CANCEL
# (orders cancelled while paid, before they were prepared), which takes no status.
RETURN_STATUSES = ("RU", "UC", "PR", "CC")
ORDER_SPAN_DAYS = RETURN_SPAN_DAYS = 31  # days per call, both ends included
CLAIM_SPAN_DAYS = 7  # exchangeRequests and returnWithdrawRequests
PER_PAGE = 50  # maxPerPage maximum
WITHDRAWALS_PER_PAGE = 100  # sizePerPage maximum
LOOKBACK_DAYS = 30
HISTORY_DAYS = 90
ORDERS_PER_CLAIM_PAGE = 20
RATE = 5  # requests a second
SUCCESS_CODES = frozenset({"200", "SUCCESS", "OK"})
RETRY_ADVICE = N_("Try again later; if it keeps happening, report it to support with the log.")


def day_slices(first: date, last: date, span: int) -> list[tuple[date, date]]:
    """[first, last] cut into slices of at most `span` days, both ends included."""
    slices, start = [], first
    while start <= last:
        end = min(start + timedelta(days=span - 1), last)
        slices.append((start, end))
        start = end + timedelta(days=1)
    return slices


def _days(text: object, default: int) -> int:
    """The 'days to follow an order' setting: empty for the default, else 1 to 180."""
    words = str(text or "").strip()
    if not words:
        return default
    if not words.isdigit() or not 1 <= int(words) <= 180:
        raise ChannelRejected(
            _("“{text}” is not a number of days to follow an order.").format(text=words),
            _("Open Channels, edit the account and type 1 to 180, or leave it empty for "
              "{default}.").format(default=default))
    return int(words)


class CoupangConnector(Connector):
    platform: ClassVar[Platform] = Platform.COUPANG
    credential_fields = (
        CredentialField("vendor_id", N_("Vendor ID"), help=N_(
            "Your seller code in Wing (업체코드), starting with A0, e.g. A00012345: click your "
            "name at the top right of wing.coupang.com.")),
        CredentialField("access_key", N_("Access key"), secret=True, help=N_(
            "Wing → your name → 추가판매정보 (additional sales information) → OPEN API 키 발급: "
            "the Access Key.")),
        CredentialField("secret_key", N_("Secret key"), secret=True, help=N_(
            "Same page: the Secret Key. Coupang also asks for the IP address of this "
            "computer's internet connection there.")),
        CredentialField("lookback_days", N_("Days to follow an order"), optional=True, help=N_(
            "Coupang cannot list orders that changed, so each sync reads again the orders "
            "placed in this many days (default 30). More days catch later returns, at the "
            "cost of a longer sync.")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(account, secrets)
        settings = account.settings
        self.vendor_id = str(settings.get("vendor_id") or "").strip()
        if not self.vendor_id:
            raise ChannelAuthError(_("The Coupang account has no vendor ID."),
                                   _("Open Channels and type the vendor ID (A0…) from Wing."))
        self.lookback_days = _days(settings.get("lookback_days"), LOOKBACK_DAYS)
        self.history_days = int(settings.get("history_days") or HISTORY_DAYS)
        # Coupang limits calls per second per vendor without publishing the order-API
        # figures: 5 a second is a cautious guess, and its 429s are waited out anyway.
        rate = account_rate(settings, RATE)
        self.http = http or ChannelHttp(settings.get("api_base") or LIVE_HOST, "Coupang",
                                        bucket=TokenBucket(rate=rate, burst=rate),
                                        timeout=(5.0, 95.0))
        # Coupang's gateway waits up to 90 s for a large list when asked to.
        self.http.session.headers["X-EXTENDED-TIMEOUT"] = "90000"
        self.clock = clock
        self.base = f"/v2/providers/openapi/apis/api/v4/vendors/{self.vendor_id}"

    # --- calls ---------------------------------------------------------------------------
    def _last_message(self) -> str:
        """Coupang's message in the last reply: an error ChannelHttp raises has only the
        status."""
        last = self.http.last_reply
        try:
            data = json.loads(last.body) if last else {}
        except (ValueError, UnicodeDecodeError):
            return ""
        return str(data.get("message") or "") if isinstance(data, dict) else ""

    def _call(self, method: str, path: str, params: list[tuple[str, Any]] | None = None,
              body: Any = None) -> Any:
        """One signed call; returns Coupang's answer ({code, message, data, …}). Its
        refusals become errors that carry its own message."""
        access, secret = self.secrets.get("access_key"), self.secrets.get("secret_key")
        if not access or not secret:
            raise ChannelAuthError(
                _("The Coupang account's access key or secret key is missing."),
                _("Open Channels and type both again, from Wing's OPEN API page."))
        query = urlencode([(k, str(v)) for k, v in params or [] if v not in (None, "")])
        headers = {"Authorization": authorization(access, secret, method, path, query,
                                                  self.clock()),
                   "Content-Type": "application/json;charset=UTF-8"}
        target = f"{path}?{query}" if query else path
        try:
            reply = self.http.request(method, target, headers=headers, json=body)
        except ChannelAuthError:
            message = self._last_message()
            advice = (_("Check that this computer's clock and time zone are right, then try "
                        "again.") if "expired" in message.lower() else
                      _("Open Channels and check the vendor ID, access key and secret key from "
                        "Wing, and that Coupang allows this computer's IP address."))
            raise ChannelAuthError(
                _("Coupang refused the account's keys ({answer}).").format(
                    answer=message or _("no reason given")), advice) from None
        except ChannelRejected:
            raise ChannelRejected(_("Coupang refused the request: {answer}.").format(
                answer=self._last_message() or _("no reason given")), "") from None
        data = reply.json()
        if not isinstance(data, dict):
            raise PayloadError(_("{platform} sent an unexpected answer from {url}.").format(
                platform="Coupang", url=reply.url), _(RETRY_ADVICE))
        if str(data.get("code", "200")) not in SUCCESS_CODES:
            raise ChannelRejected(_("Coupang refused the request: {answer}.").format(
                answer=data.get("message") or data.get("code")), "")
        return data

    # --- orders --------------------------------------------------------------------------
    def _days(self, window: SyncWindow) -> tuple[date, date]:
        until = window.until.astimezone(KST)
        start = (window.since - timedelta(days=self.lookback_days) if window.since
                 else window.until - timedelta(days=self.history_days))
        return min(start.astimezone(KST).date(), until.date()), until.date()

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        first, last = self._days(window)
        position = json.loads(cursor) if cursor else {}
        records = self._claims(first, last)
        seen: set[str] = set()
        plan = [(status, a, b) for status in ORDER_STATUSES
                for a, b in day_slices(first, last, ORDER_SPAN_DAYS)]
        start, token = 0, ""
        if position.get("phase") == "claimed":
            start = len(plan)
        elif position.get("phase") == "orders":
            for n, (status, a, _b) in enumerate(plan):
                if (status, a.isoformat()) == (position.get("status"), position.get("from")):
                    start, token = n, str(position.get("token") or "")
        for n in range(start, len(plan)):
            yield from self._list(plan, n, token, records, seen)
            token = ""
        after = str(position.get("after") or "") if position.get("phase") == "claimed" else ""
        yield from self._claimed(records, seen, after)

    def _list(self, plan: list[tuple[str, date, date]], n: int, token: str,
              records: dict[str, dict[str, dict[str, Any]]], seen: set[str]) -> Iterator[Page]:
        status, first, last = plan[n]
        while True:
            data = self._call("GET", f"{self.base}/ordersheets", [
                ("createdAtFrom", first.isoformat()), ("createdAtTo", last.isoformat()),
                ("status", status), ("maxPerPage", PER_PAGE), ("nextToken", token)])
            boxes = data.get("data") or []
            next_token = str(data.get("nextToken") or "")
            if next_token and next_token == token:
                raise PayloadError(
                    _("Coupang said more orders follow but sent the same page position "
                      "(nextToken) again."), _("Sync again later; nothing was lost."))
            if next_token:
                resume: dict[str, Any] = {"phase": "orders", "status": status,
                                          "from": first.isoformat(), "token": next_token}
            elif n + 1 < len(plan):
                resume = {"phase": "orders", "status": plan[n + 1][0],
                          "from": plan[n + 1][1].isoformat(), "token": ""}
            else:
                resume = {"phase": "claimed", "after": ""}
            seen.update(str(b.get("shipmentBoxId")) for b in boxes if isinstance(b, dict))
            if boxes:
                yield self._page(boxes, records, json.dumps(resume, separators=(",", ":")))
            if not next_token:
                return
            token = next_token

    def _page(self, boxes: list[Any], records: dict[str, dict[str, dict[str, Any]]],
              resume: str | None, problems: list[Problem] | None = None) -> Page:
        def with_claims(box: dict[str, Any]) -> dict[str, Any]:
            found = records.get(str(box.get("orderId")), {})
            return claim_records.attach(box, {k: v.values() for k, v in found.items()})

        account_id = self.account.id or 0
        return Page.of(boxes, lambda box: map_order(with_claims(box), account_id), order_id_of,
                       resume, problems=problems,
                       claims=lambda box: claim_records.claims(with_claims(box)))

    # --- claims --------------------------------------------------------------------------
    def _claims(self, first: date, last: date) -> dict[str, dict[str, dict[str, Any]]]:
        """Every claim record made in [first, last]: orderId -> kind -> record id -> record."""
        found: dict[str, dict[str, dict[str, Any]]] = {}

        def keep(key: str, items: list[Any]) -> None:
            for record in items:
                if not isinstance(record, dict) or not record.get("orderId"):
                    log.warning("Coupang sent a %s record without an order: %r", key, record)
                    continue
                found.setdefault(str(record["orderId"]), {}).setdefault(key, {})[
                    claim_records.record_id(key, record)] = record

        for a, b in day_slices(first, last, RETURN_SPAN_DAYS):
            days = [("createdAtFrom", a.isoformat()), ("createdAtTo", b.isoformat())]
            for status in RETURN_STATUSES:
                keep(claim_records.RETURNS, self._tokens("returnRequests",
                                                         days + [("status", status)]))
            keep(claim_records.RETURNS, self._tokens("returnRequests",
                                                     days + [("cancelType", "CANCEL")]))
        for a, b in day_slices(first, last, CLAIM_SPAN_DAYS):
            keep(claim_records.EXCHANGES, self._tokens("exchangeRequests", [
                ("createdAtFrom", f"{a.isoformat()}T00:00:00"),
                ("createdAtTo", f"{b.isoformat()}T23:59:59")]))
            keep(claim_records.WITHDRAWALS, self._withdrawals(a, b))
        return found

    def _tokens(self, what: str, params: list[tuple[str, Any]]) -> list[Any]:
        """All pages of a nextToken list."""
        items, token = [], ""
        while True:
            data = self._call("GET", f"{self.base}/{what}",
                              params + [("maxPerPage", PER_PAGE), ("nextToken", token)])
            items += data.get("data") or []
            next_token = str(data.get("nextToken") or "")
            if not next_token:
                return items
            if next_token == token:
                raise PayloadError(
                    _("Coupang sent the same page position (nextToken) of {list} again.")
                    .format(list=what), _("Sync again later; nothing was lost."))
            token = next_token

    def _withdrawals(self, first: date, last: date) -> list[Any]:
        """returnWithdrawRequests pages by pageIndex; nextPageIndex is empty on the last."""
        items, index = [], "1"
        while True:
            data = self._call("GET", f"{self.base}/returnWithdrawRequests", [
                ("dateFrom", first.isoformat()), ("dateTo", last.isoformat()),
                ("pageIndex", index), ("sizePerPage", WITHDRAWALS_PER_PAGE)])
            items += data.get("data") or []
            following = str(data.get("nextPageIndex") or "")
            if not following:
                return items
            if following == index:
                raise PayloadError(_("Coupang sent the same page of withdrawn returns again."),
                                   _("Sync again later; nothing was lost."))
            index = following

    @staticmethod
    def _named(kinds: dict[str, dict[str, Any]]) -> tuple[set[str], bool]:
        """The boxes an order's claim records name, and whether a withdrawal names a return
        this sync did not read (its box is then unknown)."""
        named: set[str] = set()
        for key in (claim_records.RETURNS, claim_records.EXCHANGES):
            for record in kinds.get(key, {}).values():
                named |= claim_records.boxes_named(key, record)
        returns = kinds.get(claim_records.RETURNS, {})
        unknown = any(ref not in returns
                      or not claim_records.boxes_named(claim_records.RETURNS, returns[ref])
                      for ref in kinds.get(claim_records.WITHDRAWALS, {}))
        return named, unknown

    def _unlisted(self, records: dict[str, dict[str, dict[str, Any]]],
                  seen: set[str]) -> list[str]:
        """Orders with a claim on a box this sync did not list (returned, cancelled, or
        placed before the window), and orders with a claim whose box is unknown."""
        wanted = []
        for order_id, kinds in records.items():
            named, unknown = self._named(kinds)
            if named - seen or unknown or not named:
                wanted.append(order_id)
        return sorted(wanted, key=lambda oid: (len(oid), oid))

    def _claimed(self, records: dict[str, dict[str, dict[str, Any]]], seen: set[str],
                 after: str) -> Iterator[Page]:
        wanted = self._unlisted(records, seen)
        if after:
            wanted = [oid for oid in wanted if (len(oid), oid) > (len(after), after)]
        for start in range(0, len(wanted), ORDERS_PER_CLAIM_PAGE):
            chunk = wanted[start:start + ORDERS_PER_CLAIM_PAGE]
            boxes: list[Any] = []
            problems: list[Problem] = []
            for order_id in chunk:
                try:
                    boxes += self.order_boxes(order_id)
                except ChannelRejected as refused:  # one order gone: report it, go on
                    named = sorted(self._named(records[order_id])[0])
                    problems.append(Problem(named[0] if named else order_id,
                                            _("Order {order}: {problem}").format(
                                                order=order_id, problem=refused),
                                            records[order_id]))
            more = start + ORDERS_PER_CLAIM_PAGE < len(wanted)
            resume = json.dumps({"phase": "claimed", "after": chunk[-1]},
                                separators=(",", ":")) if more else None
            yield self._page(boxes, records, resume, problems)

    def order_boxes(self, order_id: str) -> list[Any]:
        """Every box of an order (one object in older answers, a list in newer ones)."""
        data = self._call("GET", f"{self.base}/{order_id}/ordersheets").get("data")
        return data if isinstance(data, list) else [data] if data else []

    def box(self, shipment_box_id: str) -> dict[str, Any]:
        data = self._call("GET", f"{self.base}/ordersheets/{shipment_box_id}").get("data")
        if not isinstance(data, dict):
            raise PayloadError(
                _("Coupang sent no order sheet (발주서) for box {box}.").format(
                    box=shipment_box_id), _("Try again later; nothing was sent."))
        return data

    def test_connection(self) -> str:
        """One signed per-minute list call over the last hour: proves vendor ID and keys."""
        now = self.clock().astimezone(KST)
        self._call("GET", f"{self.base}/ordersheets", [
            ("searchType", "timeFrame"),
            ("createdAtFrom", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
            ("createdAtTo", now.strftime("%Y-%m-%dT%H:%M")), ("status", "ACCEPT")])
        return _("Connected to {account} (vendor {vendor})").format(
            account=self.account.display_name, vendor=self.vendor_id)

    # --- write-back ----------------------------------------------------------------------
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        """Acknowledge the box if Coupang still has it as paid (ACCEPT -> INSTRUCT), then
        upload the invoice for its items. Safe to repeat: the same number already on the box
        is done; another number is a refusal to correct in Wing."""
        box_id = notice.platform_order_id
        box = self.box(box_id)
        plan = plan_invoices(box, notice)  # refuses what Coupang would refuse, with why
        if plan is None:
            return  # this number is already on the box
        if box.get("status") == "ACCEPT":
            self._acknowledge(box)
        data = self._call("POST", f"{self.base}/orders/invoices",
                          body={"vendorId": self.vendor_id, "orderSheetInvoiceApplyDtos": plan})
        outcome = invoice_outcome(data, box_id)
        if outcome.succeed:
            return
        if str(self.box(box_id).get("invoiceNumber") or "").strip() == notice.tracking_number:
            return  # already there (an earlier try whose answer was lost)
        if outcome.retry:
            raise ChannelUnavailable(
                _("Coupang could not take invoice {number} for box {box} now: {answer}.").format(
                    number=notice.tracking_number, box=box_id, answer=outcome.message),
                _("fulfill tries again later by itself."))
        raise ChannelRejected(
            _("Coupang refused invoice {number} for box {box} (order {order}): {answer}.")
            .format(number=notice.tracking_number, box=box_id, order=box.get("orderId"),
                    answer=outcome.message),
            _("Check the order in Wing; correct the carrier or number and ship it again."))

    def _acknowledge(self, box: dict[str, Any]) -> None:
        box_id = str(box["shipmentBoxId"])
        data = self._call("PUT", f"{self.base}/ordersheets/acknowledgement",
                          body={"vendorId": self.vendor_id,
                                "shipmentBoxIds": [box["shipmentBoxId"]]})
        outcome = invoice_outcome(data, box_id)
        if outcome.succeed or self.box(box_id).get("status") != "ACCEPT":
            return  # acknowledged now, or by someone else in Wing meanwhile
        if outcome.retry:
            raise ChannelUnavailable(
                _("Coupang could not mark box {box} as being prepared (상품준비중) now: "
                  "{answer}.").format(box=box_id, answer=outcome.message),
                _("fulfill tries again later by itself."))
        raise ChannelRejected(
            _("Coupang refused to mark box {box} as being prepared (상품준비중): {answer}.")
            .format(box=box_id, answer=outcome.message), _("Check the order in Wing."))

    def close(self) -> None:
        self.http.close()
