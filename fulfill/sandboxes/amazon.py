"""Amazon SP-API on loopback: LWA token endpoint, restricted data tokens, Orders v0 getOrders
(LastUpdatedAfter/Before with the 2-minute rule, MarketplaceIds, NextToken), getOrderItems,
confirmShipment; Amazon's error bodies, 403 for bad/expired tokens, 429 QuotaExceeded."""

from __future__ import annotations

import base64
import json
import re
import secrets
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from fulfill.domain import Money, Order, OrderStatus, Platform
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

MARKETPLACE = "ATVPDKIKX0DER"
CLIENT_ID = "amzn1.application-oa2-client.sandbox0000000000000000000000"
CLIENT_SECRET = "amzn1.oa2-cs.v1.sandboxsecret000000000000000000000000000000"
REFRESH_TOKEN = "Atzr|IwEBISandboxRefreshToken"
TOKEN_LIFETIME_S = 3600
# The usage plan this sandbox grants when no `rate` is given, stated in x-amzn-RateLimit-Limit.
# Far above Amazon's default plans (getOrderItems 0.5/s) so a demo sync takes seconds, not minutes.
GENEROUS_RATE = "1000"
_STATUS = {
    OrderStatus.AWAITING_PAYMENT: "Pending", OrderStatus.AWAITING_SHIPMENT: "Unshipped",
    OrderStatus.ON_HOLD: "Unshipped", OrderStatus.SHIPPED: "Shipped",
    OrderStatus.DELIVERED: "Shipped", OrderStatus.CANCELLED: "Canceled",
    # Orders v0 knows no refunds (Finances API does): refunded orders stay Shipped.
    OrderStatus.REFUNDED: "Shipped", OrderStatus.PARTIALLY_REFUNDED: "Shipped",
}
_NON_PII_ADDRESS = ("City", "StateOrRegion", "PostalCode", "CountryCode")


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(amount: Money | None, currency: str) -> dict[str, str]:
    return {"CurrencyCode": currency, "Amount": str((amount or Money.zero(currency)).to_decimal())}


def _errors(status: int, code: str, message: str, details: str = "") -> SandboxReply:
    return SandboxReply(status, {"errors": [{"code": code, "message": message,
                                             "details": details}]})


def render(order: Order) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The order as getOrders returns it (with PII) and its getOrderItems list."""
    status = _STATUS[order.status]
    pending, cur = status == "Pending", order.currency
    shipped = status == "Shipped"
    count = sum(line.quantity for line in order.lines)
    modified = order.updated_at or order.ordered_at
    payload: dict[str, Any] = {
        "AmazonOrderId": order.platform_order_id, "PurchaseDate": _z(order.ordered_at),
        "LastUpdateDate": _z(modified), "OrderStatus": status, "FulfillmentChannel": "MFN",
        "SalesChannel": "Amazon.com", "ShipServiceLevel": "Std US D2D Dom",
        "NumberOfItemsShipped": count if shipped else 0,
        "NumberOfItemsUnshipped": 0 if shipped or status == "Canceled" else count,
        "PaymentMethod": "Other", "PaymentMethodDetails": ["Standard"],
        "IsReplacementOrder": False, "MarketplaceId": MARKETPLACE,
        "ShipmentServiceLevelCategory": "Standard", "OrderType": "StandardOrder",
        "EarliestShipDate": _z(order.ordered_at + timedelta(days=1)),
        "LatestShipDate": _z(order.ordered_at + timedelta(days=3)),
        "IsBusinessOrder": False, "IsPrime": False, "IsGlobalExpressEnabled": False,
        "IsPremiumOrder": False, "IsSoldByAB": False, "IsIBA": False, "IsISPU": False,
        "IsAccessPointOrder": False, "ElectronicInvoiceStatus": "NotRequired",
    }
    if not pending:  # Pending orders carry neither money nor address yet
        typed = order.ship_to.typed
        payload["OrderTotal"] = _money(order.grand_total, cur)
        address = {"Name": typed.name, "AddressLine1": typed.line1, "AddressLine2": typed.line2,
                   "City": typed.city, "StateOrRegion": typed.region,
                   "PostalCode": order.ship_to.postal_code,
                   "CountryCode": order.ship_to.country_code,
                   "Phone": order.ship_to.phone, "AddressType": "Residential"}
        payload["ShippingAddress"] = {k: v for k, v in address.items() if v}
        payload["BuyerInfo"] = {"BuyerEmail": order.buyer_email, "BuyerName": order.buyer_name}
    items = []
    for n, line in enumerate(order.lines):
        item: dict[str, Any] = {
            "ASIN": f"B0{zlib.crc32(line.sku.encode()) % 10**8:08d}",
            "OrderItemId": f"{line.platform_line_id:0>14}",
            "SellerSKU": line.sku, "Title": line.title, "QuantityOrdered": line.quantity,
            "QuantityShipped": line.quantity if shipped else 0,
            "ProductInfo": {"NumberOfItems": "1"},
            "IsGift": "false", "ConditionId": "New", "ConditionSubtypeId": "New",
            "IsTransparency": False, "SerialNumberRequired": False,
        }
        if not pending:  # pricing is absent while Pending
            first = n == 0  # order-level shipping, tax and discount ride on the first item
            item["ItemPrice"] = _money(line.amount, cur)  # price x quantity
            item["ItemTax"] = _money(order.tax if first else None, cur)
            item["ShippingPrice"] = _money(order.shipping if first else None, cur)
            item["PromotionDiscount"] = _money(order.discount if first else None, cur)
        if order.status is OrderStatus.ON_HOLD:
            item["BuyerRequestedCancel"] = {"IsBuyerRequestedCancel": "true",
                                            "BuyerCancelReason": "Ordered by mistake"}
        items.append(item)
    return payload, items


def _token(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


def _untoken(text: str) -> dict[str, Any] | None:
    try:
        return json.loads(base64.urlsafe_b64decode(text.encode()))
    except ValueError:
        return None


class AmazonSandbox(Sandbox):
    label = "amazon"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7) -> None:
        super().__init__(rate=rate)
        self.advertised_rate = f"{rate:g}" if rate else GENEROUS_RATE
        self.offset = timedelta(0)  # the sandbox's clock, movable by tests
        self.orders: dict[str, dict[str, Any]] = {}
        self.items: dict[str, list[dict[str, Any]]] = {}
        self.confirmations: dict[str, list[dict[str, Any]]] = {}  # write-backs, per order
        self.access_tokens: dict[str, datetime] = {}  # token -> expiry
        self.restricted_tokens: dict[str, datetime] = {}
        self.token_grants = 0
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- what tests drive --------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> datetime:
        """Move the sandbox's clock on (past the 2-minute settling rule); returns its now."""
        self.offset += timedelta(seconds=seconds)
        return self.now()

    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[str]:
        with self.lock:
            # Seed orders were placed well before the 2-minute settling window.
            sample = sample_orders(Platform.AMAZON, n, seed=seed,
                                   now=self.now() - timedelta(minutes=3))
            ids = []
            for order in sample:
                if order.platform_order_id in self.orders:
                    continue  # the generator can repeat an id across seeds
                if placed_now:
                    order.ordered_at = order.updated_at = self.now()
                order_id = order.platform_order_id
                self.orders[order_id], self.items[order_id] = render(order)
                ids.append(order.platform_order_id)
            return ids

    def change(self, order_id: str, **fields: Any) -> None:
        """Edit an order's fields as Amazon would; its LastUpdateDate becomes now."""
        with self.lock:
            self.orders[order_id].update(fields)
            self.orders[order_id]["LastUpdateDate"] = _z(self.now())

    def expire_tokens(self) -> None:
        """Every access token issued so far stops working, as after their hour is up."""
        with self.lock:
            past = self.now() - timedelta(seconds=1)
            self.access_tokens = dict.fromkeys(self.access_tokens, past)
            self.restricted_tokens = dict.fromkeys(self.restricted_tokens, past)

    def throttle_reply(self, wait_s: float) -> SandboxReply:
        # Amazon sends no Retry-After: a bare 429 with QuotaExceeded.
        return SandboxReply(429, {"errors": [{
            "code": "QuotaExceeded",
            "message": "You exceeded your quota for the requested resource.",
            "details": ""}]}, {"x-amzn-RateLimit-Limit": self.advertised_rate,
                               "x-amzn-RequestId": secrets.token_hex(8)})

    def start(self) -> str:
        url = super().start()
        # One sync makes a request per order (getOrderItems). The base handler writes headers
        # and body separately, so Nagle + delayed ACK would stall each request ~40 ms.
        self._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[union-attr]
        return url

    # --- routing -----------------------------------------------------------------------
    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(order_id, package["trackingNumber"])
                    for order_id, packages in self.confirmations.items() for package in packages]

    def route(self, request: SandboxRequest) -> SandboxReply:
        if request.path == "/auth/o2/token" and request.method == "POST":
            return self._lwa(request)
        denied = self._denied(request)
        if denied:
            return denied
        reply = self._operation(request)
        reply.headers.setdefault("x-amzn-RequestId", secrets.token_hex(8))
        if reply.status < 500:
            reply.headers["x-amzn-RateLimit-Limit"] = self.advertised_rate
        return reply

    def _operation(self, request: SandboxRequest) -> SandboxReply:
        path, method = request.path, request.method
        if path == "/tokens/2021-03-01/restrictedDataToken" and method == "POST":
            return self._restricted(request)
        if path == "/orders/v0/orders" and method == "GET":
            return self._get_orders(request)
        if (m := re.fullmatch(r"/orders/v0/orders/([\d-]+)/orderItems", path)) and method == "GET":
            return self._get_items(m[1], request)
        if (m := re.fullmatch(r"/orders/v0/orders/([\d-]+)/shipmentConfirmation", path)) \
                and method == "POST":
            return self._confirm(m[1], request)
        return _errors(404, "NotFound", "Resource not found.")

    def _lwa(self, request: SandboxRequest) -> SandboxReply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return SandboxReply(401, {"error_description": "Client authentication failed",
                                      "error": "invalid_client"})
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != REFRESH_TOKEN:
            return SandboxReply(400, {"error_description": "The request has an invalid grant "
                                      "parameter : refresh_token", "error": "invalid_grant"})
        token = f"Atza|{secrets.token_urlsafe(24)}"
        self.access_tokens[token] = self.now() + timedelta(seconds=TOKEN_LIFETIME_S)
        self.token_grants += 1
        return SandboxReply(200, {"access_token": token, "refresh_token": REFRESH_TOKEN,
                                  "token_type": "bearer", "expires_in": TOKEN_LIFETIME_S})

    def _denied(self, request: SandboxRequest) -> SandboxReply | None:
        token = request.headers.get("x-amz-access-token")
        if not token:
            return _errors(403, "MissingAuthenticationToken",
                           "Access to requested resource is denied.")
        expiry = self.access_tokens.get(token)
        if expiry is None and request.path == "/orders/v0/orders":
            expiry = self.restricted_tokens.get(token)  # an RDT works only where it was made for
        if expiry is None:
            return _errors(403, "Unauthorized", "Access to requested resource is denied.",
                           "The access token you provided is revoked, malformed or invalid.")
        if expiry <= self.now():
            return _errors(403, "Unauthorized",
                           "The security token included in the request is expired", "")
        return None

    def _restricted(self, request: SandboxRequest) -> SandboxReply:
        resources = (request.json() or {}).get("restrictedResources") or []
        if not any(r.get("method") == "GET" and r.get("path") == "/orders/v0/orders"
                   for r in resources):
            return _errors(400, "InvalidInput",
                           "This sandbox issues RDTs for GET /orders/v0/orders only.")
        token = f"Atz.sprdt|{secrets.token_urlsafe(24)}"
        self.restricted_tokens[token] = self.now() + timedelta(seconds=TOKEN_LIFETIME_S)
        return SandboxReply(200, {"restrictedDataToken": token, "expiresIn": TOKEN_LIFETIME_S})

    # --- getOrders ---------------------------------------------------------------------
    def _filters(self, request: SandboxRequest) -> dict[str, Any] | SandboxReply:
        after, before = request.arg("LastUpdatedAfter"), request.arg("LastUpdatedBefore")
        if not after and not request.arg("CreatedAfter"):
            return _errors(400, "InvalidInput",
                           "Either CreatedAfter or LastUpdatedAfter must be specified.")
        if not after:
            return _errors(400, "InvalidInput", "This sandbox filters by LastUpdatedAfter only.")
        try:
            since = datetime.fromisoformat(after.replace("Z", "+00:00"))
            until = datetime.fromisoformat(before.replace("Z", "+00:00")) if before else None
        except ValueError:
            return _errors(400, "InvalidInput", "Dates must be in ISO 8601 format.")
        latest = self.now() - timedelta(minutes=2)
        if (until or since) > latest:
            return _errors(400, "InvalidInput", "LastUpdatedBefore must be a date at least "
                                                "2 minutes before the current time.")
        if until and since >= until:
            return _errors(400, "InvalidInput",
                           "LastUpdatedAfter must be before LastUpdatedBefore.")
        channels = request.arg("FulfillmentChannels")
        return {"after": _z(since), "before": _z(until or latest),
                "channels": channels.split(",") if channels else None,
                "size": int(request.arg("MaxResultsPerPage", "100"))}

    def _get_orders(self, request: SandboxRequest) -> SandboxReply:
        marketplaces = (request.arg("MarketplaceIds") or "").split(",")
        if MARKETPLACE not in marketplaces:
            return _errors(400, "InvalidInput",
                           "Invalid MarketplaceIds: the seller does not sell there.")
        next_token = request.arg("NextToken")
        if next_token:  # filters are ignored when paging: they travel inside the token
            state = _untoken(next_token)
            if state is None:
                return _errors(400, "InvalidInput", "Invalid NextToken.")
            filters, position = state["f"], tuple(state["p"])
        else:
            filters = self._filters(request)
            if isinstance(filters, SandboxReply):
                return filters
            position = ("", "")
        if not 1 <= filters["size"] <= 100:
            return _errors(400, "InvalidInput", "MaxResultsPerPage must be between 1 and 100.")
        # Keyset order (LastUpdateDate, id): an order changing mid-paging shifts nothing.
        matching = sorted(
            (o for o in self.orders.values()
             if filters["after"] <= o["LastUpdateDate"] <= filters["before"]
             and (not filters["channels"] or o["FulfillmentChannel"] in filters["channels"])
             and (o["LastUpdateDate"], o["AmazonOrderId"]) > position),
            key=lambda o: (o["LastUpdateDate"], o["AmazonOrderId"]))
        chunk = matching[: filters["size"]]
        body: dict[str, Any] = {"Orders": [self._visible(o, request) for o in chunk]}
        if len(matching) > len(chunk):
            last = chunk[-1]
            body["NextToken"] = _token({"f": filters,
                                        "p": [last["LastUpdateDate"], last["AmazonOrderId"]]})
        body["LastUpdatedBefore"] = filters["before"]
        return SandboxReply(200, {"payload": body})

    def _visible(self, order: dict[str, Any], request: SandboxRequest) -> dict[str, Any]:
        """Without a restricted data token Amazon withholds name, street, phone and buyer."""
        if request.headers.get("x-amz-access-token") in self.restricted_tokens:
            return order
        shown = {k: v for k, v in order.items() if k != "BuyerInfo"}
        if "ShippingAddress" in order:
            shown["ShippingAddress"] = {k: v for k, v in order["ShippingAddress"].items()
                                        if k in _NON_PII_ADDRESS}
        return shown

    def _get_items(self, order_id: str, request: SandboxRequest) -> SandboxReply:
        if order_id not in self.orders:
            return _errors(404, "NotFound", f"Order {order_id} not found.")
        items, size = self.items[order_id], 10  # getOrderItems pages too (page size is Amazon's)
        token = request.arg("NextToken") or "0"
        start = int(token) if token.isdigit() else 0
        payload: dict[str, Any] = {"AmazonOrderId": order_id,
                                   "OrderItems": items[start:start + size]}
        if start + size < len(items):
            payload["NextToken"] = str(start + size)
        return SandboxReply(200, {"payload": payload})

    # --- confirmShipment ---------------------------------------------------------------
    def _confirm(self, order_id: str, request: SandboxRequest) -> SandboxReply:
        order = self.orders.get(order_id)
        if order is None:
            return _errors(404, "NotFound", f"Order {order_id} not found.")
        body = request.json() or {}
        package = body.get("packageDetail") or {}
        missing = [k for k in ("packageReferenceId", "carrierCode", "trackingNumber", "shipDate",
                               "orderItems") if not package.get(k)]
        if body.get("marketplaceId") != order["MarketplaceId"] or missing:
            return _errors(400, "InvalidInput", "The input you have submitted is not valid.",
                           f"missing or wrong: {', '.join(missing) or 'marketplaceId'}")
        reference = package["packageReferenceId"]
        if not (isinstance(reference, str) and reference.isdigit() and int(reference) > 0):
            return _errors(400, "InvalidInput",
                           "PackageReferenceId: is invalid, must be a positive numeric value.")
        if package["carrierCode"] == "Other" and not package.get("carrierName"):
            return _errors(400, "InvalidInput",
                           "carrierName is required when carrierCode is Other.")
        done = self.confirmations.setdefault(order_id, [])
        if any(p["packageReferenceId"] == reference for p in done):
            return _errors(400, "InvalidInput",
                           f"Package {reference} has already been confirmed for order {order_id}.")
        if order["OrderStatus"] not in ("Unshipped", "PartiallyShipped"):
            return _errors(400, "InvalidInput",
                           f"Order {order_id} is {order['OrderStatus']} and cannot be confirmed.")
        error = self._ship_items(order_id, package["orderItems"])
        if error:
            return error
        done.append(package)
        return SandboxReply(204, b"")

    def _ship_items(self, order_id: str, lines: list[dict[str, Any]]) -> SandboxReply | None:
        items = {i["OrderItemId"]: i for i in self.items[order_id]}
        for line in lines:
            item = items.get(str(line.get("orderItemId")))
            left = item["QuantityOrdered"] - item["QuantityShipped"] if item else 0
            if item is None or line.get("quantity", 0) > left:
                return _errors(400, "InvalidInput",
                               f"Order item {line.get('orderItemId')} cannot ship that quantity.")
        for line in lines:
            items[str(line["orderItemId"])]["QuantityShipped"] += line["quantity"]
        shipped = sum(i["QuantityShipped"] for i in items.values())
        ordered = sum(i["QuantityOrdered"] for i in items.values())
        self.change(order_id, OrderStatus="Shipped" if shipped == ordered else "PartiallyShipped",
                    NumberOfItemsShipped=shipped, NumberOfItemsUnshipped=ordered - shipped)
        return None


SECRETS = {"refresh_token": REFRESH_TOKEN, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url` (both API and LWA)."""
    return {"api_base": url, "auth_base": url, "marketplace_id": MARKETPLACE}
