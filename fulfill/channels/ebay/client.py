"""eBay Sell Fulfillment v1: OAuth refresh-token grant, getOrders by lastmodifieddate with
offset paging, and shipping fulfillments carrying the tracking number."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

from fulfill.channels.base import (
    Connector, CredentialField, Page, ShipmentNotice, SyncWindow,
)
from fulfill.channels.ebay.mapper import claims, map_order
from fulfill.channels.http import ChannelHttp, Reply
from fulfill.channels.money_time import iso_z, parse_time
from fulfill.channels.ratelimit import TokenBucket
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected, PayloadError
from fulfill.translation import N_, _

log = logging.getLogger(__name__)

API_BASE = "https://api.ebay.com"  # the eBay sandbox is https://api.sandbox.ebay.com
SCOPE = "https://api.ebay.com/oauth/api_scope/sell.fulfillment"
PAGE_LIMIT = 200  # getOrders' maximum `limit`
HISTORY_DAYS = 729  # getOrders reaches two years back; a first sync asks for all of it
TOKEN_MARGIN_S = 300  # refresh this long before the ~2 h user token runs out
DAILY_CALLS = 100_000  # Fulfillment API order resource, per application per day
MAX_RESTARTS = 3
# Our carrier names -> eBay shippingCarrierCode (GeteBayDetails ShippingCarrierDetails).
# Anything else is sent as the seller typed it.
CARRIERS = {
    "EMS": "KoreaPost", "K-PACKET": "KoreaPost", "KPACKET": "KoreaPost",
    "KOREA POST": "KoreaPost", "KOREAPOST": "KoreaPost", "DHL": "DHL", "FEDEX": "FedEx",
    "UPS": "UPS", "USPS": "USPS",
}


def ebay_time(moment: datetime) -> str:
    """2016-05-15T08:25:43.511Z: UTC with milliseconds, as eBay writes and reads timestamps."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def carrier_code(carrier: str) -> str:
    return CARRIERS.get(carrier.strip().upper(), carrier.strip())


def _same_tracking(a: str | None, b: str) -> bool:
    def norm(text: str) -> str:
        return "".join(text.split()).upper()

    return bool(a) and norm(a) == norm(b)


class EbayConnector(Connector):
    platform: ClassVar[Platform] = Platform.EBAY
    credential_fields = (
        # Marked for the catalogue, translated where they are shown.
        CredentialField("client_id", N_("App ID (Client ID)"), secret=True,
                        help=N_("developer.ebay.com → Application Keys → Production keyset")),
        CredentialField("client_secret", N_("Cert ID (Client Secret)"), secret=True,
                        help=N_("Same keyset as the App ID")),
        CredentialField("refresh_token", N_("User refresh token"), secret=True,
                        help=N_("developer.ebay.com → User Tokens → 'Get a Token from eBay via "
                                "Your Application', sell.fulfillment scope; lasts ~18 months")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None) -> None:
        super().__init__(account, secrets)
        settings = account.settings
        api = (settings.get("api_base") or API_BASE).rstrip("/")
        self.auth_base = (settings.get("auth_base") or api).rstrip("/")
        # A daily quota, spread evenly, with room for a first sync's burst of pages.
        self.http = http or ChannelHttp(f"{api}/sell/fulfillment/v1", "eBay",
                                        bucket=TokenBucket(rate=DAILY_CALLS / 86_400, burst=250))
        self.quota_reached = False
        if self.http.on_reply is None:
            self.http.on_reply = self._on_reply
        headers = self.http.session.headers
        headers["X-EBAY-C-MARKETPLACE-ID"] = settings.get("marketplace") or "EBAY_US"
        if secrets.get("access_token"):
            headers["Authorization"] = f"Bearer {secrets['access_token']}"

    # --- auth ------------------------------------------------------------------------------
    def _on_reply(self, reply: Reply) -> None:
        """eBay sends no quota headers; its 429 carries errorId 2001 (daily limit reached)."""
        if reply.status != 429 or self.quota_reached:
            return
        try:
            errors = json.loads(reply.body).get("errors") or []
        except (ValueError, AttributeError):
            return
        if any(e.get("errorId") == 2001 for e in errors if isinstance(e, dict)):
            self.quota_reached = True
            log.warning("eBay: call limit reached for %s", self.account.display_name)

    def _token_fresh(self) -> bool:
        expires = self.secrets.get("expires_at")
        if not self.secrets.get("access_token") or not expires:
            return False
        return parse_time(expires) > datetime.now(UTC) + timedelta(seconds=TOKEN_MARGIN_S)

    def _refresh(self) -> None:
        """Trade the refresh token for a new user access token (eBay keeps the refresh token)."""
        try:
            keys = f"{self.secrets['client_id']}:{self.secrets['client_secret']}"
            grant = {"grant_type": "refresh_token", "refresh_token": self.secrets["refresh_token"],
                     "scope": SCOPE}
        except KeyError as missing:
            raise ChannelAuthError(_("The {platform} account has no {name} saved.").format(
                                       platform="eBay", name=missing.args[0]),
                                   _("Open Channels and reconnect the account.")) from None
        basic = base64.b64encode(keys.encode()).decode()
        try:
            reply = self.http.request("POST", f"{self.auth_base}/identity/v1/oauth2/token",
                                      headers={"Authorization": f"Basic {basic}"}, data=grant)
        except ChannelAuthError:
            raise ChannelAuthError(_("eBay refused the App ID / Cert ID."),
                                   _("Open Channels and re-enter the production keyset.")) from None
        except ChannelRejected as error:  # invalid_grant: refresh token expired or revoked
            raise ChannelAuthError(_("eBay refused the refresh token ({error}).").format(
                                       error=error.message),
                                   _("Open Channels and reconnect the eBay account.")) from None
        body = reply.json()
        if not isinstance(body, dict) or "access_token" not in body:
            raise PayloadError(_("eBay's token answer had no access token."),
                               _("Try again later."))
        expires = datetime.now(UTC) + timedelta(seconds=int(body.get("expires_in", 7200)))
        self.http.session.headers["Authorization"] = f"Bearer {body['access_token']}"
        self._secrets_rotated(access_token=body["access_token"], expires_at=iso_z(expires))

    def _call(self, method: str, path: str, **kwargs: Any) -> Reply:
        """An API call with a live user token: refreshed before expiry, and once on a 401."""
        refreshed = not self._token_fresh()
        if refreshed:
            self._refresh()
        try:
            return self.http.request(method, path, **kwargs)
        except ChannelAuthError:
            if refreshed:
                raise
            self._refresh()  # revoked or expired early: one new token, one more try
            return self.http.request(method, path, **kwargs)

    # --- orders ----------------------------------------------------------------------------
    def _orders_path(self, window: SyncWindow, offset: int) -> str:
        since = window.since or window.until - timedelta(days=HISTORY_DAYS)
        # eBay wants [ ] percent-encoded in the filter (the spec's own example does so).
        criterion = quote(f"lastmodifieddate:[{ebay_time(since)}..{ebay_time(window.until)}]",
                          safe=":.")
        return (f"order?filter={criterion}&limit={PAGE_LIMIT}&offset={offset}"
                "&fieldGroups=TAX_BREAKDOWN")

    def _orders_page(self, window: SyncWindow, offset: int) -> tuple[list[dict[str, Any]], int]:
        body = self._call("GET", self._orders_path(window, offset)).json()
        if not isinstance(body, dict) or not isinstance(body.get("orders", []), list):
            raise PayloadError(_("{platform} sent something other than a page of "
                                 "orders.").format(platform="eBay"),
                               _("Try again later; if it keeps happening, report it to "
                                 "support."))
        return body.get("orders") or [], int(body.get("total") or 0)

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        """Cursor "offset:total". Offsets only hold while the result set stands still: when
        the total moved (an order left the window), read again from the start; upserts make
        the re-read harmless and nothing is skipped."""
        offset, _colon, known = (cursor or "0:").partition(":")
        offset, total = int(offset), int(known) if known else None
        restarts = 0
        while True:
            payloads, now_total = self._orders_page(window, offset)
            if offset and total is not None and now_total != total and restarts < MAX_RESTARTS:
                log.info("eBay order count moved from %s to %s; paging again", total, now_total)
                offset, total, restarts = 0, None, restarts + 1
                continue
            total = now_total
            after = offset + len(payloads)
            more = bool(payloads) and after < total
            yield Page.of(payloads, lambda p: map_order(p, self.account.id), lambda p: p["orderId"],
                          f"{after}:{total}" if more else None, claims=claims)
            if not more:
                return
            offset = after

    def test_connection(self) -> str:
        self._call("GET", "order?limit=1")
        return _("Connected to {account}").format(account=self.account.display_name)

    # --- write-back ------------------------------------------------------------------------
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        base = f"order/{quote(notice.platform_order_id, safe='')}"
        existing = self._call("GET", f"{base}/shipping_fulfillment").json() or {}
        # A second fulfillment with the same tracking would show the buyer two parcels.
        if any(_same_tracking(f.get("shipmentTrackingNumber"), notice.tracking_number)
               for f in existing.get("fulfillments") or []):
            return
        lines = [{"lineItemId": line.platform_line_id, "quantity": line.quantity}
                 for line in notice.lines] or self._lines_to_ship(base)
        reply = self._call("POST", f"{base}/shipping_fulfillment", json={
            "lineItems": lines,
            "shippedDate": ebay_time(notice.shipped_at),
            "shippingCarrierCode": carrier_code(notice.carrier),
            "trackingNumber": notice.tracking_number,
        })
        log.info("eBay fulfillment created: %s", reply.headers.get("Location", "?"))

    def _lines_to_ship(self, base: str) -> list[dict[str, Any]]:
        """The whole order: every line item not yet fulfilled (all of them if none is left)."""
        items = self._call("GET", base).json()["lineItems"]
        open_items = [i for i in items if i.get("lineItemFulfillmentStatus") != "FULFILLED"]
        return [{"lineItemId": i["lineItemId"], "quantity": int(i["quantity"])}
                for i in open_items or items]

    def close(self) -> None:
        self.http.close()
