"""Amazon SP-API Orders v0: orders updated in a window, NextToken paging, one getOrderItems call
per order, shipment confirmation. Auth is Login with Amazon (LWA) refresh-token -> access
token in `x-amz-access-token`; buyer name/address come only with a Restricted Data Token (RDT).
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from fulfill.channels.amazon.mapper import MARKETPLACES, claims, map_order
from fulfill.channels.base import (
    Connector, CredentialField, Page, Problem, ShipmentNotice, ShippedLine, SyncWindow,
)
from fulfill.channels.http import ChannelHttp, Reply
from fulfill.channels.money_time import iso_z
from fulfill.channels.ratelimit import TokenBucket
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected, PayloadError
from fulfill.translation import N_, _

log = logging.getLogger(__name__)

AUTH_BASE = "https://api.amazon.com"
ENDPOINTS = {"na": "https://sellingpartnerapi-na.amazon.com",
             "eu": "https://sellingpartnerapi-eu.amazon.com",
             "fe": "https://sellingpartnerapi-fe.amazon.com"}
US_MARKETPLACE = "ATVPDKIKX0DER"
ORDERS = "orders/v0/orders"
# Default usage plans (rate per second, burst), one bucket per operation as Amazon counts them.
LIMITS = {"getOrders": (0.0167, 20), "getOrderItems": (0.5, 30), "confirmShipment": (2, 10),
          "createRestrictedDataToken": (1, 10)}
TOKEN_MARGIN_S = 60  # refresh this long before the access token's stated expiry
# Amazon has no "everything" query (LastUpdatedAfter is required): a first sync reaches back
# this far. Each order costs a getOrderItems call (0.5/s), so years of history would take hours.
FIRST_SYNC_DAYS = 180
# Carriers whose Amazon carrierCode is known; any other goes as "Other" + carrierName.
CARRIER_CODES = {"usps": "USPS", "ups": "UPS", "fedex": "FedEx", "dhl": "DHL",
                 "dhl express": "DHL"}


def package_reference(tracking_number: str) -> str:
    """A stable positive number per tracking number (Amazon accepts only positive numeric ids),
    so a repeat of the same parcel is recognisably the same package."""
    return str(zlib.crc32(tracking_number.strip().encode()) % 2_000_000_000 + 1)


class AmazonConnector(Connector):
    platform: ClassVar[Platform] = Platform.AMAZON
    settle_s: ClassVar[int] = 120  # LastUpdatedBefore must be at least 2 minutes before now
    credential_fields = (
        # Marked for the catalogue, translated where they are shown.
        CredentialField("marketplace_id", N_("Marketplace ID"),
                        help=N_("ATVPDKIKX0DER for Amazon.com (Seller Central → Settings)")),
        CredentialField("refresh_token", N_("Refresh token"), secret=True,
                        help=N_("Seller Central → Apps and Services → Develop Apps → "
                                "Authorize (Atzr|…)")),
        CredentialField("client_id", N_("LWA client ID"), secret=True,
                        help=N_("Developer Central → your app → LWA credentials → View")),
        CredentialField("client_secret", N_("LWA client secret"), secret=True,
                        help=N_("Next to the client ID in Developer Central")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None) -> None:
        super().__init__(account, secrets)
        settings = account.settings
        self.marketplace_id = settings.get("marketplace_id") or US_MARKETPLACE
        region = MARKETPLACES.get(self.marketplace_id, ("", "", "na"))[2]
        self.auth_base = (settings.get("auth_base") or AUTH_BASE).rstrip("/")
        self.http = http or ChannelHttp(settings.get("api_base") or ENDPOINTS[region], "Amazon")
        self.http.on_reply = self._on_reply
        self.buckets = {op: TokenBucket(rate, burst) for op, (rate, burst) in LIMITS.items()}
        self._operation: str | None = None
        self._rdt: tuple[str, float] | None = None

    # --- auth --------------------------------------------------------------------------
    def _access_token(self) -> str:
        """The cached LWA access token, refreshed shortly before it expires."""
        token, expires = self.secrets.get("access_token"), self.secrets.get("access_token_expires")
        if token and expires and time.time() < float(expires) - TOKEN_MARGIN_S:
            return token
        missing = [k for k in ("refresh_token", "client_id", "client_secret")
                   if not self.secrets.get(k)]
        if missing:
            raise ChannelAuthError(_("The {platform} account has no {name} saved.").format(
                                       platform="Amazon", name=", ".join(missing)),
                                   _("Open Channels and reconnect the account."))
        self.http.bucket, self._operation = None, None
        form = {"grant_type": "refresh_token", "refresh_token": self.secrets["refresh_token"],
                "client_id": self.secrets["client_id"],
                "client_secret": self.secrets["client_secret"]}
        try:
            body = self.http.request("POST", f"{self.auth_base}/auth/o2/token", data=form).json()
        except ChannelRejected as error:  # 400 invalid_grant: the authorisation was revoked
            raise ChannelAuthError(
                _("Amazon refused the refresh token ({error}).").format(error=self._error_text()),
                _("In Seller Central authorise the app again, then reconnect the account.")
            ) from error
        expires_at = time.time() + int(body.get("expires_in", 3600))
        changed = {"access_token": body["access_token"],
                   "access_token_expires": str(int(expires_at))}
        if body.get("refresh_token"):
            changed["refresh_token"] = body["refresh_token"]
        self._secrets_rotated(**changed)
        return body["access_token"]

    def _restricted_token(self) -> str:
        """An RDT for getOrders with buyer info and shipping address (PII) in it."""
        if self._rdt and time.time() < self._rdt[1] - TOKEN_MARGIN_S:
            return self._rdt[0]
        body = self._call("createRestrictedDataToken", "POST",
                          "tokens/2021-03-01/restrictedDataToken", json={"restrictedResources": [{
                              "method": "GET", "path": f"/{ORDERS}",
                              "dataElements": ["buyerInfo", "shippingAddress"]}]}).json()
        self._rdt = (body["restrictedDataToken"], time.time() + int(body.get("expiresIn", 3600)))
        return self._rdt[0]

    def _forget_tokens(self) -> None:
        self._rdt = None
        self.secrets = {k: v for k, v in self.secrets.items()
                        if k not in ("access_token", "access_token_expires")}

    def _call(self, operation: str, method: str, path: str, *, restricted: bool = False,
              **kwargs: Any) -> Reply:
        """One SP-API operation through its own token bucket. A 403 may be an access token
        Amazon expired early: refresh once and retry before calling the credentials bad."""
        for attempt in (1, 2):
            token = self._restricted_token() if restricted else self._access_token()
            self.http.bucket, self._operation = self.buckets[operation], operation
            try:
                return self.http.request(method, path, headers={"x-amz-access-token": token},
                                         **kwargs)
            except ChannelAuthError:
                if attempt == 2:
                    raise
                log.info("Amazon refused the access token (%s); refreshing", self._error_text())
                self._forget_tokens()
        raise AssertionError("unreachable")

    def _on_reply(self, reply: Reply) -> None:
        # Amazon states the rate it applies to this seller and operation; follow it.
        rate = reply.header_number("x-amzn-RateLimit-Limit")
        bucket = self.buckets.get(self._operation or "")
        if bucket and rate and rate > 0:
            bucket.rate = rate

    def _error_text(self) -> str:
        """Amazon's own words from the last error reply (SP-API `errors` or LWA `error`)."""
        last = self.http.last_reply
        if not last:
            return ""
        try:
            body = last.json()
        except PayloadError:
            return last.body[:200].decode("utf-8", "replace")
        if isinstance(body, dict) and body.get("errors"):
            return "; ".join(f"{e.get('code')}: {e.get('message')}" for e in body["errors"])
        if isinstance(body, dict) and body.get("error"):
            return f"{body['error']}: {body.get('error_description', '')}"
        return ""

    # --- orders ------------------------------------------------------------------------
    def _filters(self, window: SyncWindow) -> dict[str, Any]:
        since = window.since or window.until - timedelta(days=FIRST_SYNC_DAYS)
        return {"MarketplaceIds": self.marketplace_id, "LastUpdatedAfter": iso_z(since),
                "LastUpdatedBefore": iso_z(window.until),
                "FulfillmentChannels": "MFN",  # FBA orders are Amazon's to ship, not the seller's
                "MaxResultsPerPage": 100}

    def _payload(self, reply: Reply) -> dict[str, Any]:
        body = reply.json()
        if not isinstance(body, dict) or not isinstance(body.get("payload"), dict):
            raise PayloadError(_("Amazon sent an answer without its payload."),
                               _("Try again later; if it keeps happening, report it to "
                                 "support."))
        return body["payload"]

    def _order_items(self, order_id: str) -> list[dict[str, Any]]:
        items, token = [], None
        while True:
            params = {"NextToken": token} if token else None
            payload = self._payload(self._call("getOrderItems", "GET",
                                               f"{ORDERS}/{order_id}/orderItems", params=params))
            items.extend(payload.get("OrderItems") or [])
            token = payload.get("NextToken")
            if not token:
                return items

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        if window.since and window.since >= window.until:
            return  # nothing can have changed in an empty window (Amazon would say 400)
        token = cursor
        while True:
            # With a NextToken Amazon ignores the other filters, but still wants the marketplace.
            params = ({"MarketplaceIds": self.marketplace_id, "NextToken": token} if token
                      else self._filters(window))
            try:
                payload = self._payload(self._call("getOrders", "GET", ORDERS, params=params,
                                                   restricted=True))
            except ChannelRejected:
                if token is None or token != cursor:
                    raise
                # The saved NextToken from an interrupted run may have expired: read the
                # window again from its start; upserts make the repeat harmless.
                log.info("Amazon refused the saved NextToken (%s); restarting the window",
                         self._error_text())
                token = cursor = None
                continue
            orders = payload.get("Orders")
            if not isinstance(orders, list):
                raise PayloadError(_("{platform} sent something other than a list of "
                                     "orders.").format(platform="Amazon"), "")
            yield self._page(orders, payload.get("NextToken"))
            token = payload.get("NextToken")
            if not token:
                return

    def _page(self, orders: list[dict[str, Any]], next_token: str | None) -> Page:
        payloads, problems = [], []
        for order in orders:
            try:
                payloads.append({**order, "OrderItems": self._order_items(order["AmazonOrderId"])})
            except ChannelRejected as error:  # one order Amazon will not detail: keep the rest
                problems.append(Problem(str(order.get("AmazonOrderId", "?")),
                                        f"order items unavailable: {error.message}", order))
        return Page.of(payloads, lambda p: map_order(p, self.account.id),
                       lambda p: p["AmazonOrderId"], next_token, problems=problems,
                       fetched=len(orders), claims=claims)

    def test_connection(self) -> str:
        until = datetime.now(UTC) - timedelta(seconds=self.settle_s + 60)
        self._call("getOrders", "GET", ORDERS, params={
            "MarketplaceIds": self.marketplace_id,
            "LastUpdatedAfter": iso_z(until - timedelta(days=1)),
            "LastUpdatedBefore": iso_z(until), "MaxResultsPerPage": 1})
        return _("Connected to {account}").format(account=self.account.display_name)

    # --- write-back --------------------------------------------------------------------
    def _shipped_lines(self, notice: ShipmentNotice) -> tuple[ShippedLine, ...]:
        """The notice's lines, or every item still unshipped for a whole-order notice."""
        if notice.lines:
            return notice.lines
        items = self._order_items(notice.platform_order_id)
        left = [ShippedLine(str(i["OrderItemId"]),
                            int(i["QuantityOrdered"]) - int(i.get("QuantityShipped") or 0))
                for i in items]
        left = tuple(line for line in left if line.quantity > 0)
        # Nothing left: most likely our own earlier confirmation of this very parcel. Send it
        # again whole; Amazon recognises the package and says so (handled below).
        return left or tuple(ShippedLine(str(i["OrderItemId"]), int(i["QuantityOrdered"]))
                             for i in items if int(i["QuantityOrdered"]) > 0)

    def mark_shipped(self, notice: ShipmentNotice) -> None:
        carrier_code = CARRIER_CODES.get(notice.carrier.strip().lower(), "Other")
        reference = package_reference(notice.tracking_number)
        package = {"packageReferenceId": reference, "carrierCode": carrier_code,
                   "trackingNumber": notice.tracking_number, "shipDate": iso_z(notice.shipped_at),
                   "orderItems": [{"orderItemId": line.platform_line_id, "quantity": line.quantity}
                                  for line in self._shipped_lines(notice)]}
        if carrier_code == "Other":
            package["carrierName"] = notice.carrier
        if notice.service:
            package["shippingMethod"] = notice.service
        try:
            self._call("confirmShipment", "POST",
                       f"{ORDERS}/{notice.platform_order_id}/shipmentConfirmation",
                       json={"marketplaceId": self.marketplace_id, "packageDetail": package})
        except ChannelRejected:
            # Orders v0 offers no read-back of confirmed tracking, so a repeat cannot be
            # checked for beforehand. Instead the packageReferenceId is derived from the
            # tracking number: when Amazon answers 400 that this package was already confirmed
            # (a repeat after a crash), the parcel is on Amazon already, which is success.
            words = self._error_text()
            lowered = words.lower()
            if "already" in lowered and (reference in words or "package" in lowered):
                log.info("Amazon already has package %s of %s: %s", reference,
                         notice.platform_order_id, words)
                return
            raise

    def close(self) -> None:
        self.http.close()
