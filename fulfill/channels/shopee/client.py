"""Shopee Open Platform v2: signed shop calls, token refresh, 15-day update_time slices with
cursor paging, order details in batches of 50, tracking through logistics/ship_order.

Shopee reports most errors in the body ({"error": "...", "message": "..."}), often with
HTTP 200, so every reply is read here before it counts as a success.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, ClassVar

from fulfill.channels.base import (
    Connector, CredentialField, Page, ShipmentNotice, SyncWindow,
)
from fulfill.channels.http import ChannelHttp, Reply
from fulfill.channels.ratelimit import TokenBucket
from fulfill.channels.shopee.mapper import claims, map_order
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected, ChannelUnavailable, PayloadError
from fulfill.translation import N_, _

LIVE_HOST = "https://partner.shopeemobile.com"
TOKEN_PATH = "/api/v2/auth/access_token/get"
LIST_PATH = "/api/v2/order/get_order_list"
DETAIL_PATH = "/api/v2/order/get_order_detail"
RETURNS_PATH = "/api/v2/returns/get_return_list"
TRACKING_PATH = "/api/v2/logistics/get_tracking_number"
SHIP_PATH = "/api/v2/logistics/ship_order"

SLICE_S = 15 * 86400  # get_order_list refuses a time range longer than 15 days
PAGE_SIZE = 100  # get_order_list maximum
DETAIL_BATCH = 50  # get_order_detail maximum order_sn_list
HISTORY_DAYS = 365  # first sync reach; Shopee documents no retention limit in our sources
DETAIL_FIELDS = ",".join((
    "buyer_user_id", "buyer_username", "estimated_shipping_fee", "recipient_address",
    "actual_shipping_fee", "item_list", "pay_time", "package_list", "shipping_carrier",
    "payment_method", "total_amount", "note", "cancel_by", "cancel_reason",
    "buyer_cancel_reason", "fulfillment_flag", "pickup_done_time", "split_up"))

# Shopee's own spelling "invalid_acceess_token" is what the live API sends.
TOKEN_ERRORS = frozenset({"error_auth", "invalid_access_token", "invalid_acceess_token",
                          "error_access_token"})
AUTH_ERRORS = TOKEN_ERRORS | {"error_sign", "error_permission", "error_shop"}
THROTTLE_ERRORS = frozenset({"error_too_many_request", "error_rate_limit", "error_limit",
                             "too_many_request"})
SERVER_ERRORS = frozenset({"error_server", "error_inner", "error_system_busy"})


def sign(partner_key: str, *parts: object) -> str:
    """hex HMAC-SHA256 of the concatenated parts: partner_id, api_path, timestamp[, access_token,
    shop_id] for shop calls (public calls such as the token refresh stop after the timestamp)."""
    base = "".join(str(part) for part in parts)
    return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()


def _cursor(slice_from: int, cursor: str) -> str:
    return json.dumps({"from": slice_from, "cursor": cursor}, separators=(",", ":"))


class ShopeeConnector(Connector):
    platform: ClassVar[Platform] = Platform.SHOPEE
    credential_fields = (
        # Marked for the catalogue, translated where they are shown.
        CredentialField("region", N_("Shop country"), help=N_(
            "The Shopee site of this shop: TW, SG, MY, TH, VN, PH… (Shopee runs one shop per "
            "country)")),
        CredentialField("shop_id", N_("Shop ID"), help=N_(
            "Returned when the shop authorises your app (redirect ?shop_id=…); also in Seller "
            "Centre → Shop Settings")),
        CredentialField("partner_id", N_("Partner ID"), secret=True,
                        help=N_("Shopee Open Platform console → App List → your app (Live)")),
        CredentialField("partner_key", N_("Partner key"), secret=True,
                        help=N_("Same app page: Live Partner Key")),
        CredentialField("access_token", N_("Access token"), secret=True,
                        help=N_("From /api/v2/auth/token/get after the shop authorised the app; "
                                "fulfill renews it")),
        CredentialField("refresh_token", N_("Refresh token"), secret=True,
                        help=N_("Given with the access token; renewed at every refresh")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(account, secrets)
        self.shop_id = str(account.settings["shop_id"])
        self.history_days = int(account.settings.get("history_days") or HISTORY_DAYS)
        # Shopee publishes no rate figures in our sources: 10 requests/s is a cautious guess,
        # and its error_rate_limit answers are waited out whatever the figure.
        self.http = http or ChannelHttp(account.settings.get("api_base") or LIVE_HOST, "Shopee",
                                        bucket=TokenBucket(rate=10, burst=10))
        self.clock = clock

    # --- calls ---------------------------------------------------------------------------
    def _decode(self, reply: Reply) -> dict[str, Any]:
        try:  # JSON numbers are money here: Decimal, never float
            data = json.loads(reply.body.decode("utf-8"), parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as error:
            raise PayloadError(
                _("{platform} sent data that is not valid JSON ({error}) from {url}.").format(
                    platform="Shopee", error=error, url=reply.url),
                _("Try again later; if it keeps happening, report it to support with the log."),
            ) from None
        if not isinstance(data, dict):
            raise PayloadError(_("{platform} sent an unexpected answer from {url}.").format(
                platform="Shopee", url=reply.url), "")
        return data

    def _last_error(self) -> tuple[str, str]:
        """Shopee's error code in the last reply: a 403 ChannelHttp raises has only the
        status."""
        last = self.http.last_reply
        try:
            data = self._decode(last) if last else {}
        except PayloadError:
            data = {}
        return str(data.get("error") or ""), str(data.get("message") or "")

    def _auth_error(self, error: str, message: str) -> ChannelAuthError:
        advice = _("Open Channels and reconnect the Shopee shop (authorise fulfill again), or "
                   "check the partner ID and key.")
        if error:
            return ChannelAuthError(_("Shopee refused the shop's credentials ({error}).").format(
                error=f"{error}: {message}"), advice)
        return ChannelAuthError(_("Shopee refused the shop's credentials."), advice)

    def _wait(self, attempt: int) -> None:
        """Shopee sends no Retry-After: back off, growing, through the bucket when there is one."""
        self.http.stats.retries += 1
        self.http.hold(min(30.0, self.http.backoff_s * 2 ** attempt))

    def _send(self, method: str, path: str, params: Callable[[], dict[str, Any]],
              body: Any) -> dict[str, Any]:
        """One Shopee call, retrying throttling and server errors reported in the body."""
        attempt = 0
        while True:
            try:
                reply = self.http.request(method, path, params=params(), json=body)
            except ChannelAuthError:
                raise self._auth_error(*self._last_error()) from None
            data = self._decode(reply)
            error, message = str(data.get("error") or ""), str(data.get("message") or "")
            if not error:
                return data
            if error in AUTH_ERRORS:
                raise self._auth_error(error, message)
            if error not in THROTTLE_ERRORS | SERVER_ERRORS:
                raise ChannelRejected(_("Shopee refused the request ({error}).").format(
                    error=f"{error}: {message}"), "")
            if error in THROTTLE_ERRORS:
                self.http.stats.throttled += 1
            attempt += 1
            if attempt > self.http.max_retries * 2:
                raise ChannelUnavailable(_("Shopee kept answering {error} ({message}).").format(
                                             error=error, message=message),
                                         _("Nothing was lost; the next sync continues where "
                                           "this one stopped."))
            self._wait(attempt - 1)

    def _shop_params(self, path: str, extra: dict[str, Any]) -> Callable[[], dict[str, Any]]:
        """Query with the shop signature, rebuilt for each retry of a body error so the
        timestamp (valid ~5 min) stays fresh; ChannelHttp's own retries end well within that."""
        def build() -> dict[str, Any]:
            s, ts = self.secrets, int(self.clock())
            return {**extra, "partner_id": s["partner_id"], "timestamp": ts,
                    "access_token": s["access_token"], "shop_id": self.shop_id,
                    "sign": sign(s["partner_key"], s["partner_id"], path, ts,
                                 s["access_token"], self.shop_id)}
        return build

    def _call(self, method: str, path: str, params: dict[str, Any] | None = None,
              body: Any = None) -> dict[str, Any]:
        """A shop call; an expired access token is renewed once and the call sent again."""
        try:
            return self._send(method, path, self._shop_params(path, params or {}), body)
        except ChannelAuthError:
            if self._last_error()[0] not in TOKEN_ERRORS or not self.secrets.get("refresh_token"):
                raise
        self.refresh_access_token()
        return self._send(method, path, self._shop_params(path, params or {}), body)

    def refresh_access_token(self) -> None:
        """Trade the refresh token for new tokens; both rotate, so they go to the keychain."""
        s = self.secrets

        def params() -> dict[str, Any]:
            ts = int(self.clock())
            return {"partner_id": s["partner_id"], "timestamp": ts,
                    "sign": sign(s["partner_key"], s["partner_id"], TOKEN_PATH, ts)}

        body = {"refresh_token": s["refresh_token"], "partner_id": int(s["partner_id"]),
                "shop_id": int(self.shop_id)}
        data = self._send("POST", TOKEN_PATH, params, body)
        if not data.get("access_token") or not data.get("refresh_token"):
            raise self._auth_error("no token", "the refresh answer carried no new tokens")
        self._secrets_rotated(access_token=data["access_token"],
                              refresh_token=data["refresh_token"])

    # --- orders --------------------------------------------------------------------------
    def _slices(self, window: SyncWindow) -> tuple[int, int]:
        until = int(window.until.timestamp())
        since = int(window.since.timestamp()) if window.since else until - self.history_days * 86400
        return since, until

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        since, until = self._slices(window)
        position = json.loads(cursor) if cursor else {"from": since, "cursor": ""}
        slice_from, page_cursor = int(position["from"]), str(position["cursor"])
        if not since <= slice_from < until:
            slice_from, page_cursor = since, ""  # a cursor from another window: start over
        while slice_from < until:
            slice_to = min(slice_from + SLICE_S, until)
            yield from self._fetch_slice(slice_from, slice_to, page_cursor, until)
            slice_from, page_cursor = slice_to, ""

    def _fetch_slice(self, slice_from: int, slice_to: int, page_cursor: str,
                     until: int) -> Iterator[Page]:
        returns: dict[str, list[dict[str, Any]]] | None = None
        while True:
            listing = self._call("GET", LIST_PATH, {
                "time_range_field": "update_time", "time_from": slice_from, "time_to": slice_to,
                "page_size": PAGE_SIZE, "cursor": page_cursor,
                "response_optional_fields": "order_status"}).get("response") or {}
            order_sns = [o["order_sn"] for o in listing.get("order_list") or []]
            more, next_cursor = bool(listing.get("more")), str(listing.get("next_cursor") or "")
            if more and (not next_cursor or next_cursor == page_cursor):
                raise PayloadError(_("Shopee said more orders follow but gave no new cursor."),
                                   _("Sync again later; nothing was lost."))
            if more:
                resume: str | None = _cursor(slice_from, next_cursor)
            else:
                resume = _cursor(slice_to, "") if slice_to < until else None
            if order_sns:
                if returns is None:
                    returns = self._returns(slice_from, slice_to)
                payloads = self._details(order_sns)
                # `returns` is bound now: the page is mapped later, after this loop moved on.
                yield Page.of(
                    payloads,
                    lambda p, known=returns: map_order(p, self.account.id,
                                                       known.get(p.get("order_sn"), ())),
                    lambda p: p["order_sn"], resume,
                    claims=lambda p, known=returns: claims(p, known.get(p.get("order_sn"), ())))
            if not more:
                return
            page_cursor = next_cursor

    def _details(self, order_sns: list[str]) -> list[dict[str, Any]]:
        payloads: list[dict[str, Any]] = []
        for start in range(0, len(order_sns), DETAIL_BATCH):
            data = self._call("GET", DETAIL_PATH, {
                "order_sn_list": ",".join(order_sns[start:start + DETAIL_BATCH]),
                "response_optional_fields": DETAIL_FIELDS})
            payloads += (data.get("response") or {}).get("order_list") or []
        return payloads

    def _returns(self, time_from: int, time_to: int) -> dict[str, list[dict[str, Any]]]:
        """Returns updated in the slice, by order_sn: how partial refunds become visible."""
        by_order: dict[str, list[dict[str, Any]]] = {}
        page_no = 0
        while True:
            data = self._call("GET", RETURNS_PATH, {
                "page_no": page_no, "page_size": PAGE_SIZE,
                "update_time_from": time_from, "update_time_to": time_to})
            response = data.get("response") or {}
            for item in response.get("return") or []:
                by_order.setdefault(str(item.get("order_sn")), []).append(item)
            if not response.get("more"):
                return by_order
            page_no += 1

    def test_connection(self) -> str:
        """One signed call over the last day: proves partner key, shop and token together."""
        now = int(self.clock())
        self._call("GET", LIST_PATH, {"time_range_field": "update_time", "time_from": now - 86400,
                                      "time_to": now, "page_size": 1, "cursor": ""})
        return _("Connected to {account} (shop {shop})").format(
            account=self.account.display_name, shop=self.shop_id)

    # --- write-back ----------------------------------------------------------------------
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        """Ship with the seller's own carrier (non_integrated). Shopee keeps one tracking
        number per package: the same one already there means a repeat, so nothing is sent."""
        order_sn = notice.platform_order_id
        try:
            recorded = self._call("GET", TRACKING_PATH, {"order_sn": order_sn})
            current = str((recorded.get("response") or {}).get("tracking_number") or "")
        except ChannelRejected:
            current = ""  # no tracking yet: Shopee may say so as an error
        if current == notice.tracking_number:
            return
        if current:
            raise ChannelRejected(
                _("Shopee already has tracking number {number} for order {order}.").format(
                    number=current, order=order_sn),
                _("Shopee keeps one tracking number per parcel; correct it in Seller Centre."))
        self._call("POST", SHIP_PATH, body={
            "order_sn": order_sn, "non_integrated": {"tracking_number": notice.tracking_number}})

    def close(self) -> None:
        self.http.close()
