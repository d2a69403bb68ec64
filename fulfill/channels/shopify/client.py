"""Shopify Admin API: orders through GraphQL, tracking through REST fulfillment orders.

Orders: `orders(first:, after:, query: "updated_at:>='…' updated_at:<'…'", sortKey: UPDATED_AT)`
paged by `pageInfo.endCursor`, which is also the resume cursor. GraphQL is limited by query
cost: a query may ask for at most 1,000 points, and each account has a bucket of points that
refills at the plan's rate. A page asks for 25 orders of 5 lines (about 900 points, though
it is charged only for what comes back); an order with more lines has the rest fetched with
its own query, and an order whose status shows refunds or returns has them fetched with its
own query too (OrderClaims). Before each query the client waits until the bucket, as Shopify
last reported it, holds what the query will ask; a THROTTLED answer (HTTP 200 or 429) is
retried after the wait its own figures give.

Write-back: REST fulfillment orders, the documented `line_items_by_fulfillment_order` +
`tracking_info` shape. Chosen over GraphQL `fulfillmentCreate` because Shopify's own 2024-10
examples pin down its request and answer exactly; it needs the same app scopes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

from fulfill.channels.base import (
    Connector, CredentialField, Page, ShipmentNotice, ShippedLine, SyncWindow,
)
from fulfill.channels.http import ChannelHttp, Reply
from fulfill.channels.money_time import iso_z
from fulfill.channels.ratelimit import TokenBucket
from fulfill.channels.shopify.mapper import claims, legacy_id, map_order
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelError, ChannelRejected, PayloadError
from fulfill.translation import N_, _

log = logging.getLogger(__name__)

# Shopify retires a version a year after release and then answers with the oldest one it
# still supports (the X-Shopify-API-Version header says which): keep this current.
API_VERSION = "2024-10"
ORDERS_PER_PAGE = 25
LINES_PER_ORDER = 5  # most orders have 1-3 lines; more are fetched per order
MORE_LINES = 100
SCOPES_ADVICE = N_("In Shopify admin open Settings → Apps and sales channels → Develop apps → "
                   "your app, and give it read_orders, read_merchant_managed_fulfillment_orders "
                   "and write_merchant_managed_fulfillment_orders; then install it again.")

_LINE_FIELDS = """
fragment LineFields on LineItem {
  id sku name title quantity currentQuantity
  variant { id }
  originalUnitPriceSet { presentmentMoney { amount currencyCode } }
}"""

ORDERS_QUERY = """
query Orders($first: Int!, $after: String, $query: String!, $lines: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt cancelledAt cancelReason
      displayFinancialStatus displayFulfillmentStatus returnStatus
      currencyCode presentmentCurrencyCode email phone note
      totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      subtotalPriceSet { presentmentMoney { amount currencyCode } }
      totalShippingPriceSet { presentmentMoney { amount currencyCode } }
      totalTaxSet { presentmentMoney { amount currencyCode } }
      totalDiscountsSet { presentmentMoney { amount currencyCode } }
      shippingAddress {
        name firstName lastName company address1 address2 city province provinceCode zip
        countryCodeV2 phone
      }
      billingAddress { name firstName lastName }
      lineItems(first: $lines) { pageInfo { hasNextPage endCursor } nodes { ...LineFields } }
    }
  }
}""" + _LINE_FIELDS

ORDER_LINES_QUERY = """
query OrderLines($id: ID!, $after: String, $lines: Int!) {
  order(id: $id) {
    lineItems(first: $lines, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { ...LineFields }
    }
  }
}""" + _LINE_FIELDS

# An order's refunds and returns, asked only for orders whose financial or return status shows
# any (a few in a hundred): in the page query they would cost more than a page may ask.
# Refund amounts are whole whatever the number of lines; the lines only say which items.
CLAIM_REFUNDS, CLAIM_RETURNS, CLAIM_LINES = 20, 5, 5
# What Shopify will ask for it, counted as it counts a selection (an object 1, a connection
# 2 + first x its node), to pace on before its first answer says.
CLAIMS_COST = 3 + CLAIM_REFUNDS * (5 + 2 * CLAIM_LINES) + CLAIM_RETURNS * (3 + 3 * CLAIM_LINES)
ORDER_CLAIMS_QUERY = """
query OrderClaims($id: ID!, $refunds: Int!, $returns: Int!, $lines: Int!) {
  order(id: $id) {
    refunds(first: $refunds) {
      id createdAt note
      totalRefundedSet { presentmentMoney { amount currencyCode } }
      refundLineItems(first: $lines) { nodes { quantity lineItem { id sku } } }
    }
    returns(first: $returns) {
      nodes {
        id name status
        returnLineItems(first: $lines) {
          nodes {
            ... on ReturnLineItem {
              quantity returnReason customerNote
              fulfillmentLineItem { lineItem { id sku } }
            }
          }
        }
      }
    }
  }
}"""
_REFUNDED = ("PARTIALLY_REFUNDED", "REFUNDED")

# Our carrier names -> the names Shopify knows (it then links the tracking number itself).
# Anything else goes as typed, which Shopify accepts.
TRACKING_COMPANIES = {
    "ems": "Korea Post", "k-packet": "Korea Post", "kpacket": "Korea Post",
    "korea post": "Korea Post", "우체국": "Korea Post", "dhl": "DHL Express",
    "dhl express": "DHL Express", "fedex": "FedEx", "ups": "UPS", "usps": "USPS",
}
_FULFILLABLE = ("open", "in_progress")
_HELD = ("on_hold", "scheduled")


def shop_domain(text: str) -> str:
    """What the seller typed -> "seoul-glow.myshopify.com" ("seoul-glow", a URL, admin links)."""
    text = text.strip()
    url = urlsplit(text if "//" in text else f"//{text}")
    host = url.hostname or ""
    if host == "admin.shopify.com":  # admin.shopify.com/store/seoul-glow
        parts = url.path.split("/")
        host = parts[2] if len(parts) > 2 and parts[1] == "store" else ""
    if host and "." not in host:
        host = f"{host}.myshopify.com"
    if not host:
        raise ChannelError(_("{text} is not a Shopify shop address.").format(text=repr(text)),
                           _("Type it as your-shop.myshopify.com (Shopify admin → Settings → "
                             "Domains shows it)."))
    return host


def _throttled(body: Any) -> bool:
    errors = body.get("errors") if isinstance(body, dict) else None
    return isinstance(errors, list) and any(
        isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "THROTTLED"
        for e in errors)


def throttle_wait(reply: Reply) -> float | None:
    """Seconds until the bucket holds what a THROTTLED query asked for; None if not throttled."""
    try:
        body = reply.json()
    except PayloadError:
        return None
    if not _throttled(body):
        return None
    cost = (body.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    try:
        missing = float(cost["requestedQueryCost"]) - float(status["currentlyAvailable"])
        return max(missing, 0.0) / float(status["restoreRate"]) + 0.05
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return 1.0  # no figures: a second refills 50-2,000 points, whatever the plan


class CostBucket:
    """The account's query-cost bucket as Shopify last reported it, refilling since."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.maximum = self.available = self.rate = 0.0
        self.seen_at: float | None = None
        self.asked: dict[str, float] = {}  # operation -> the points it last asked for

    def observe(self, operation: str, body: Any) -> None:
        cost = (body.get("extensions") or {}).get("cost") if isinstance(body, dict) else None
        status = (cost or {}).get("throttleStatus")
        if not status:
            return
        try:
            self.maximum = float(status["maximumAvailable"])
            self.available = float(status["currentlyAvailable"])
            self.rate = float(status["restoreRate"])
            self.asked[operation] = float(cost["requestedQueryCost"])
        except (KeyError, TypeError, ValueError):
            return
        self.seen_at = self.clock()

    def wait_before(self, operation: str, estimate: float | None = None) -> float:
        """Seconds until the bucket holds what `operation` asked for last time, or the
        `estimate` before it first ran (0: send now)."""
        need = self.asked.get(operation, estimate)
        if need is None or self.seen_at is None or self.rate <= 0:
            return 0.0
        now = min(self.maximum, self.available + (self.clock() - self.seen_at) * self.rate)
        return max(0.0, min(need, self.maximum) - now) / self.rate


def fulfillment_groups(fulfillment_orders: list[dict[str, Any]],
                       lines: tuple[ShippedLine, ...]) -> dict[Any, list[dict[str, Any]]]:
    """`line_items_by_fulfillment_order` entries for a shipment, one list per location
    (a fulfillment may span fulfillment orders of one location only). Empty `lines` = all
    that is left. Raises ChannelRejected, saying why, when Shopify cannot take it."""
    open_orders = [fo for fo in fulfillment_orders if fo.get("status") in _FULFILLABLE
                   and any(int(li.get("fulfillable_quantity") or 0) > 0
                           for li in fo.get("line_items") or [])]
    if not open_orders:
        if any(fo.get("status") in _HELD for fo in fulfillment_orders):
            raise ChannelRejected(
                _("Shopify holds this order (on hold or scheduled), so it cannot be marked "
                  "shipped."),
                _("Release the hold on the order in Shopify admin, then retry the write-back."))
        raise ChannelRejected(
            _("Shopify has nothing left to fulfil on this order: it was fulfilled or cancelled "
              "there."), _("Check the order in Shopify admin; the tracking number was not sent."))
    groups: dict[Any, list[dict[str, Any]]] = {}
    if not lines:
        for fo in open_orders:
            groups.setdefault(fo.get("assigned_location_id"), []).append(
                {"fulfillment_order_id": fo["id"]})
        return groups
    wanted: dict[str, int] = {}
    for line in lines:
        key = legacy_id(line.platform_line_id)
        wanted[key] = wanted.get(key, 0) + line.quantity
    for fo in open_orders:
        items = []
        for li in fo.get("line_items") or []:
            key = str(li["line_item_id"])
            take = min(wanted.get(key, 0), int(li.get("fulfillable_quantity") or 0))
            if take > 0:
                items.append({"id": li["id"], "quantity": take})
                wanted[key] -= take
        if items:
            groups.setdefault(fo.get("assigned_location_id"), []).append(
                {"fulfillment_order_id": fo["id"], "fulfillment_order_line_items": items})
    short = sorted(key for key, quantity in wanted.items() if quantity > 0)
    if short:
        raise ChannelRejected(
            _("Shopify has fewer items left to fulfil than were packed (line items "
              "{items}).").format(items=", ".join(short)),
            _("Check the order in Shopify admin (an item may have been removed or fulfilled "
              "there); the tracking number was not sent."))
    return groups


class ShopifyConnector(Connector):
    platform: ClassVar[Platform] = Platform.SHOPIFY
    credential_fields = (
        # Marked for the catalogue, translated where they are shown; an example stays as it is.
        CredentialField("shop_domain", N_("Shop address"), help="your-shop.myshopify.com"),
        CredentialField("access_token", N_("Admin API access token"), secret=True,
                        help=N_("Shopify admin → Settings → Apps and sales channels → Develop "
                                "apps → your app → API credentials (starts with shpat_)")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None) -> None:
        super().__init__(account, secrets)
        self.domain = shop_domain(account.settings["shop_domain"])
        base = account.settings.get("api_base") or f"https://{self.domain}"
        # REST allows a burst of 40 calls then 2 a second (Standard plan); GraphQL is paced
        # by query cost below.
        self.http = http or ChannelHttp(base, "Shopify", bucket=TokenBucket(rate=2, burst=40))
        self.http.session.headers["X-Shopify-Access-Token"] = secrets["access_token"]
        self.http.throttle_wait = throttle_wait
        self.http.on_reply = self._check_version
        self.cost = CostBucket()
        self._version_warned = False

    def _path(self, resource: str) -> str:
        return f"admin/api/{API_VERSION}/{resource}"

    def _check_version(self, reply: Reply) -> None:
        served = reply.headers.get("X-Shopify-API-Version")
        if served and served != API_VERSION and not self._version_warned:
            self._version_warned = True
            log.warning("Shopify answered with API version %s instead of %s", served, API_VERSION)

    # --- GraphQL -------------------------------------------------------------------------
    def graphql(self, operation: str, query: str, variables: dict[str, Any], *,
                estimate: float | None = None) -> dict[str, Any]:
        """Run one query, pacing by query cost (`estimate`: its cost before Shopify first
        said); returns its `data`."""
        wait = self.cost.wait_before(operation, estimate)
        if wait:
            self.http._wait(wait)
        reply = self.http.request("POST", self._path("graphql.json"), json={
            "query": query, "variables": variables, "operationName": operation})
        body = reply.json()
        self.cost.observe(operation, body)
        if not isinstance(body, dict):
            raise PayloadError(_("Shopify sent something other than a GraphQL answer."),
                               _("Check the shop address in Channels."))
        errors = body.get("errors")
        if errors:
            listed = errors if isinstance(errors, list) else [{"message": errors}]
            codes = {(e.get("extensions") or {}).get("code") for e in listed if isinstance(e, dict)}
            words = "; ".join(str(e.get("message") if isinstance(e, dict) else e)
                              for e in listed)[:300]
            if "ACCESS_DENIED" in codes:
                raise ChannelAuthError(_("Shopify refused access: {error}").format(error=words),
                                       _(SCOPES_ADVICE))
            raise ChannelRejected(_("Shopify refused the query: {error}").format(error=words), "")
        data = body.get("data")
        if not isinstance(data, dict):
            raise PayloadError(_("Shopify's answer had no data."), _("Try again later."))
        return data

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        search = f"updated_at:<'{iso_z(window.until)}'"
        if window.since:
            search = f"updated_at:>='{iso_z(window.since)}' {search}"
        after = cursor
        while True:
            data = self.graphql("Orders", ORDERS_QUERY, {
                "first": ORDERS_PER_PAGE, "after": after, "query": search,
                "lines": LINES_PER_ORDER})
            connection = data.get("orders")
            if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
                raise PayloadError(_("{platform} sent something other than a list of "
                                     "orders.").format(platform="Shopify"),
                                   _("Check the shop address in Channels."))
            nodes = connection["nodes"]
            for node in nodes:
                self._fetch_remaining_lines(node)
                self._fetch_claims(node)
            info = connection.get("pageInfo") or {}
            after = info.get("endCursor")
            more = bool(info.get("hasNextPage")) and bool(nodes) and bool(after)
            yield Page.of(nodes, lambda p: map_order(p, self.account.id), lambda p: p["id"],
                          after if more else None, claims=claims)
            if not more:
                return

    def _fetch_remaining_lines(self, node: Any) -> None:
        """Complete an order's line items in place when the page carried only the first few."""
        items = node.get("lineItems") if isinstance(node, dict) else None
        if not isinstance(items, dict) or not isinstance(items.get("nodes"), list):
            return  # the mapper reports the order as a problem
        info = items.get("pageInfo") or {}
        while info.get("hasNextPage") and info.get("endCursor"):
            order = self.graphql("OrderLines", ORDER_LINES_QUERY, {
                "id": node["id"], "after": info["endCursor"], "lines": MORE_LINES}).get("order")
            if not order:
                return  # deleted meanwhile: the order stays a problem with the lines it had
            more = order["lineItems"]
            items["nodes"].extend(more["nodes"])
            info = more.get("pageInfo") or {}
            items["pageInfo"] = info

    def _fetch_claims(self, node: Any) -> None:
        """Add the order's refunds and returns to its node when its status shows any."""
        if not isinstance(node, dict) or not node.get("id"):
            return
        refunded = node.get("displayFinancialStatus") in _REFUNDED
        returned = node.get("returnStatus") not in (None, "NO_RETURN")
        if not (refunded or returned):
            return
        order = self.graphql("OrderClaims", ORDER_CLAIMS_QUERY, {
            "id": node["id"], "refunds": CLAIM_REFUNDS, "returns": CLAIM_RETURNS,
            "lines": CLAIM_LINES}, estimate=CLAIMS_COST).get("order")
        if order:  # None: deleted meanwhile, and the order is read without its claims
            node["refunds"] = order.get("refunds") or []
            node["returns"] = order.get("returns") or {"nodes": []}

    # --- write-back (REST) ---------------------------------------------------------------
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        order_id = legacy_id(notice.platform_order_id)
        sent = self.http.get_json(self._path(f"orders/{order_id}/fulfillments.json"))
        # A write-back repeated after a crash must not add a second parcel for the buyer.
        already = any(
            notice.tracking_number in (f.get("tracking_numbers") or [f.get("tracking_number")])
            and f.get("status") not in ("cancelled", "error", "failure")
            for f in (sent or {}).get("fulfillments") or [])
        if already and notice.lines:
            return
        listing = self.http.get_json(self._path(f"orders/{order_id}/fulfillment_orders.json"))
        try:
            groups = fulfillment_groups((listing or {}).get("fulfillment_orders") or [],
                                        notice.lines)
        except ChannelRejected:
            if already:
                return  # everything went with this tracking number before
            raise
        tracking = {"number": notice.tracking_number,
                    "company": TRACKING_COMPANIES.get(notice.carrier.strip().lower(),
                                                      notice.carrier.strip())}
        if notice.tracking_url:
            tracking["url"] = notice.tracking_url
        notify = str(self.account.settings.get("notify_customer", "true")).lower() != "false"
        for by_fulfillment_order in groups.values():
            self.http.request("POST", self._path("fulfillments.json"), json={"fulfillment": {
                "line_items_by_fulfillment_order": by_fulfillment_order,
                "tracking_info": tracking, "notify_customer": notify}})

    def test_connection(self) -> str:
        super().test_connection()
        return _("Connected to {account}").format(account=self.domain)

    def close(self) -> None:
        self.http.close()
