"""Qoo10 QSM connector: orders by date window, claims beside them, tracking by SetSendingInfo.

What was verified about Qoo10's API, and what is assumed, is in fulfill.channels.qoo10.

Qoo10 has no "changed since" query and no paging. Each status is asked for by the date that
brings an order into it (ordered, paid, shipped, delivered), so any change since the last
sync falls in the window asked; cancellations, returns and refunds come from the claims
asked for by request and by completion date. The sync window is walked in WINDOW_S slices,
one page each, and an answer so full it may have been cut is asked again in halves.
An order with a claim in the window but none of its own dates there is fetched by number,
so a return that arrives weeks after delivery reaches its order.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from fulfill.channels.base import (
    Connector, CredentialField, Page, Problem, ShipmentNotice, SyncWindow,
)
from fulfill.channels.http import ChannelHttp
from fulfill.channels.qoo10.mapper import (
    asked_at, claims, map_order, order_no, parse_qoo10_time, pick, status_number,
)
from fulfill.channels.qoo10.qapi import QApi, rows_of
from fulfill.channels.qoo10.sites import site_for
from fulfill.channels.ratelimit import TokenBucket, account_rate
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelRejected
from fulfill.translation import N_, _

log = logging.getLogger(__name__)

GET_ORDERS = "ShippingBasic.GetShippingInfo_v2"
GET_CLAIMS = "ShippingBasic.GetClaimInfo_V3"
GET_ORDER = "ShippingBasic.GetShippingAndClaimInfoByOrderNo_V2"
SET_SENDING = "ShippingBasic.SetSendingInfo"

# (ShippingStat, search_condition): each status by the date an order enters it. Status 3
# (the seller confirmed) has no date of its own: it is found by its payment date.
ORDER_DATE, PAYMENT_DATE, SHIPPING_DATE, DELIVERED_DATE = 1, 2, 3, 4
LISTINGS = ((1, ORDER_DATE), (2, PAYMENT_DATE), (3, PAYMENT_DATE), (4, SHIPPING_DATE),
            (5, DELIVERED_DATE))
# Claims by the day they were asked for and the day they were settled (refund, cancel).
CLAIM_REQUESTED, CLAIM_SETTLED = 2, 3
CLAIM_CONDITIONS = (CLAIM_REQUESTED, CLAIM_SETTLED)

# Qoo10 refuses ranges over 90 days and sends a range's rows in one unpaged answer whose
# size limit it does not document. A week of a small seller's orders is tens to a few
# hundred rows, comfortably one answer, and a week is what a killed sync repeats at most.
WINDOW_S = 7 * 86400
# An answer this long may have been cut short: its window is halved and asked again. A
# production client reads several hundred rows in one answer, so the cut, if any, is higher.
FULL_ROWS = 1000
HISTORY_DAYS = 90  # first sync reach: the longest range Qoo10 answers in one query
# Qoo10 publishes no rate limit. One production client paces its calls 300 ms apart; a
# third of that pace leaves room for the seller's other tools using the same key.
RATE_PER_S, BURST = 1.0, 3


def _number_or_problem(row: dict[str, Any], problems: list[Problem]) -> str | None:
    """The row's order number; a row without one is kept as a problem."""
    try:
        return order_no(row)
    except KeyError:
        problems.append(Problem("?", "Qoo10 sent a row without an order number", row))
        return None


class Qoo10Connector(Connector):
    platform: ClassVar[Platform] = Platform.QOO10
    credential_fields = (
        CredentialField("site", N_("Qoo10 site"), help=N_(
            "JP for Qoo10 Japan (qoo10.jp), SG for Qoo10 Singapore (qoo10.sg)")),
        CredentialField("api_key", N_("API key"), secret=True, help=N_(
            "Qoo10 issues it on request: QSM → Qoo10へのお問い合わせ → システム → "
            "API・FTP・QSM権限. It is renewed every year.")),
        CredentialField("certification_key", N_("Seller authorization key"), secret=True,
                        optional=True, help=N_("Made from the API key and your QSM login (it lasts a year). "
                                "Leave it empty when you give your QSM login below: fulfill "
                                "then makes and renews it itself.")),
        CredentialField("seller_id", N_("QSM login ID"), secret=True, optional=True, help=N_(
            "The ID you log in to QSM with (QSM → 基本情報 → My情報). Optional, with the "
            "password: fulfill uses them only to make a new seller authorization key.")),
        CredentialField("password", N_("QSM password"), secret=True, optional=True, help=N_(
            "Optional, see the login ID. Changing it in QSM ends the current key.")),
    )
    window_s: ClassVar[int] = WINDOW_S
    full_rows: ClassVar[int] = FULL_ROWS

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None) -> None:
        super().__init__(account, secrets)
        self.site = site_for(account.settings.get("site"))
        self.history_days = int(account.settings.get("history_days") or HISTORY_DAYS)
        rate = account_rate(account.settings, RATE_PER_S)
        self.http = http or ChannelHttp(account.settings.get("api_base") or self.site.api_base,
                                        self.site.label, bucket=TokenBucket(rate=rate, burst=BURST))
        self.qapi = QApi(self.http, self.site.label, lambda: self.secrets,
                         lambda key: self._secrets_rotated(certification_key=key))

    # --- reading -------------------------------------------------------------------------
    def _time_text(self, epoch: int) -> str:
        """yyyyMMddHHmmss in the site's zone, as Qoo10 reads search dates."""
        return datetime.fromtimestamp(epoch, self.site.zone).strftime("%Y%m%d%H%M%S")

    def _rows(self, method: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return rows_of(self.qapi.call(method, params))

    def _listing(self, method: str, params: dict[str, Any], start: int,
                 end: int) -> list[dict[str, Any]]:
        """Every row of [start, end); an answer of full_rows rows is asked again in halves."""
        found: list[dict[str, Any]] = []
        pending = [(start, end)]
        while pending:
            low, high = pending.pop()
            rows = self._rows(method, {**params, "search_Sdate": self._time_text(low),
                                       "search_Edate": self._time_text(high - 1)})
            if len(rows) >= self.full_rows and high - low > 1:
                middle = (low + high) // 2
                pending += [(middle, high), (low, middle)]  # the earlier half first
                continue
            if len(rows) >= self.full_rows:
                log.warning("Qoo10 sent %d rows for the one second %s; some may be missing",
                            len(rows), self._time_text(low))
            found += rows
        return found

    def _claims(self, start: int, end: int, problems: list[Problem]
                ) -> dict[str, list[dict[str, Any]]]:
        """The window's claims by order number, each once (asked for and settled in the
        window, a claim is listed under both dates)."""
        by_order: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        for condition in CLAIM_CONDITIONS:
            for record in self._listing(GET_CLAIMS, {"search_condition": condition},
                                        start, end):
                if (number := _number_or_problem(record, problems)) is not None:
                    key = (asked_at(record), str(record.get("claimStatus")))
                    by_order.setdefault(number, {})[key] = record
        return {no: sorted(found.values(), key=asked_at) for no, found in by_order.items()}

    def _order(self, number: str) -> dict[str, Any] | None:
        """One order by number. The listing's row is richer (the cart's shipping, the address
        in parts), so it is asked for by the order's own date when Qoo10 still lists it."""
        try:
            rows = self._rows(GET_ORDER, {"OrderNo": number})
        except ChannelRejected:
            return None
        single = next((row for row in rows if order_no(row) == number), None)
        if single is None:
            return None
        status = status_number(pick(single, "shippingStatus", "ShippingStatus"))
        ordered = parse_qoo10_time(pick(single, "orderDate", "OrderDate"), self.site)
        if status and ordered:
            second = int(ordered.timestamp())
            for row in self._listing(GET_ORDERS, {"ShippingStat": status,
                                                  "search_condition": ORDER_DATE},
                                     second, second + 1):
                if order_no(row) == number:
                    return row
        return single

    def _page(self, start: int, end: int, resume: str | None) -> Page | None:
        rows: dict[str, dict[str, Any]] = {}
        problems: list[Problem] = []
        for status, condition in LISTINGS:
            for row in self._listing(GET_ORDERS, {"ShippingStat": status,
                                                  "search_condition": condition}, start, end):
                if (number := _number_or_problem(row, problems)) is not None:
                    rows[number] = row
        claimed = self._claims(start, end, problems)
        for number in sorted(set(claimed) - set(rows)):
            if (row := self._order(number)) is not None:
                rows[number] = row
            else:
                problems.append(Problem(number, "Qoo10 reports a claim on this order but does "
                                        "not return the order", {"claims": claimed[number]}))
        payloads = [{**rows[no], "claims": claimed[no]} if no in claimed else rows[no]
                    for no in sorted(rows, key=lambda no: (len(no), no))]
        if not payloads and not problems:
            return None
        account_id, site = self.account.id or 0, self.site
        return Page.of(payloads, lambda p: map_order(p, account_id, site), order_no, resume,
                       problems=problems, fetched=len(payloads) + len(problems),
                       claims=lambda p: claims(p, site))

    def _span(self, window: SyncWindow) -> tuple[int, int]:
        # Whole seconds, as Qoo10 reads times; the part-second cut off the end is read again
        # by the next sync's overlap. (A resumed run's stored window has whole seconds too.)
        until = math.floor(window.until.timestamp())
        if window.since is None:
            return until - self.history_days * 86400, until
        return math.floor(window.since.timestamp()), until

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        since, until = self._span(window)
        start = int(json.loads(cursor)["from"]) if cursor else since
        if not since <= start < until:
            start = since  # a cursor from another window: start over
        while start < until:
            end = min(start + self.window_s, until)
            resume = json.dumps({"from": end}) if end < until else None
            if (page := self._page(start, end, resume)) is not None:
                yield page
            start = end

    def test_connection(self) -> str:
        """One keyed call over the last day: proves the API key, login or key, and site."""
        now = int(datetime.now(UTC).timestamp())
        self._rows(GET_ORDERS, {"ShippingStat": 2, "search_condition": PAYMENT_DATE,
                                "search_Sdate": self._time_text(now - 86400),
                                "search_Edate": self._time_text(now)})
        return _("Connected to {account} ({site})").format(account=self.account.display_name,
                                                           site=self.site.label)

    # --- write-back ----------------------------------------------------------------------
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        """SetSendingInfo for the order. Qoo10 keeps one tracking number per order: the same
        number already there means this was sent before, so nothing is sent again."""
        number = notice.platform_order_id
        corp = self.site.shipping_corp(notice.carrier)
        if corp is None:
            raise ChannelRejected(
                _("{platform} has no delivery company for the carrier “{carrier}”.").format(
                    platform=self.site.label, carrier=notice.carrier),
                _("Ship with a carrier Qoo10 lists (EMS, K-Packet, CJ, Lotte, Hanjin, DHL, "
                  "Yamato, Sagawa, Japan Post), or enter the tracking number in QSM."))
        rows = self._rows(GET_ORDER, {"OrderNo": number})
        current = next((row for row in rows if order_no(row) == number), None)
        if current is None:
            raise ChannelRejected(_("{platform} has no order {order}.").format(
                platform=self.site.label, order=number), _("Check the order number in QSM."))
        have = str(pick(current, "trackingNo", "TrackingNo") or "").strip()
        if have == notice.tracking_number:
            return
        if have:
            raise ChannelRejected(
                _("{platform} already has tracking number {tracking} for order {order}.").format(
                    platform=self.site.label, tracking=have, order=number),
                _("Qoo10 keeps one tracking number per order; correct it in QSM if it is "
                  "wrong."))
        self.qapi.call(SET_SENDING, {"OrderNo": number, "ShippingCorp": corp,
                                     "TrackingNo": notice.tracking_number})

    def close(self) -> None:
        self.http.close()
