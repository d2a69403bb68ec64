"""An eBay seller on loopback: the OAuth token endpoint (refresh-token grant, ~2 h user
tokens), GET /sell/fulfillment/v1/order with filter/limit/offset, getOrder, and the
shipping_fulfillment routes, with eBay's error bodies and its 429 (errorId 2001)."""

from __future__ import annotations

import base64
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any
from urllib.parse import parse_qs, quote

from fulfill.domain import Money, Order, OrderStatus, Platform
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

CLIENT_ID = "SeoulGlo-fulfill-SBX-5f1e2d3c4-8a9b0c1d"
CLIENT_SECRET = "SBX-not-secret"  # a sandbox credential, public on purpose
REFRESH_TOKEN = ("v^1.1#i^1#r^1#p^3#I^3#f^0#t^Ul4xMF85OkY3QjZBMUVGMDQ2NjQ4RDk3Q0YxRTM2NDA2"
                 "RkI1QjRCXzBfMSNFXjI2MA==")
SCOPES = {"https://api.ebay.com/oauth/api_scope/sell.fulfillment",
          "https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly"}
TOKEN_TTL_S = 7200
BASE = "/sell/fulfillment/v1"
SELLER = "seoulglow_kpop"
# (orderPaymentStatus, orderFulfillmentStatus, cancelState) for each domain status.
_STATES = {
    OrderStatus.AWAITING_PAYMENT: ("PENDING", "NOT_STARTED", "NONE_REQUESTED"),
    OrderStatus.AWAITING_SHIPMENT: ("PAID", "NOT_STARTED", "NONE_REQUESTED"),
    OrderStatus.ON_HOLD: ("PAID", "NOT_STARTED", "IN_PROGRESS"),
    OrderStatus.SHIPPED: ("PAID", "FULFILLED", "NONE_REQUESTED"),
    OrderStatus.DELIVERED: ("PAID", "FULFILLED", "NONE_REQUESTED"),
    OrderStatus.CANCELLED: ("FULLY_REFUNDED", "NOT_STARTED", "CANCELED"),
    OrderStatus.REFUNDED: ("FULLY_REFUNDED", "FULFILLED", "NONE_REQUESTED"),
    OrderStatus.PARTIALLY_REFUNDED: ("PARTIALLY_REFUNDED", "FULFILLED", "NONE_REQUESTED"),
}


def ebay_time(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _value(amount: Money | Decimal | None) -> str:
    """eBay writes amounts without trailing zeros: "41.8", "12"."""
    number = amount.to_decimal() if isinstance(amount, Money) else Decimal(amount or 0)
    return format(number.normalize(), "f")


def _error(status: int, error_id: int, message: str, domain: str = "API_FULFILLMENT",
           long: str = "") -> SandboxReply:
    error = {"errorId": error_id, "domain": domain, "category": "REQUEST", "message": message}
    return SandboxReply(status, {"errors": [{**error, "longMessage": long or message}]})


def _oauth_error(error: str, description: str, status: int = 400) -> SandboxReply:
    return SandboxReply(status, {"error": error, "error_description": description})


def _contact(order: Order) -> dict[str, Any]:
    typed, to = order.ship_to.typed, order.ship_to
    where = {"addressLine1": typed.line1, "addressLine2": typed.line2, "city": typed.city,
             "stateOrProvince": typed.region, "postalCode": to.postal_code,
             "countryCode": to.country_code}
    contact = {"fullName": typed.name, "companyName": typed.company,
               "contactAddress": {k: v for k, v in where.items() if v},
               "primaryPhone": {"phoneNumber": to.phone}, "email": to.email or order.buyer_email}
    return {k: v for k, v in contact.items() if v}


def _amounts(currency: str):
    def amount(value: Money | Decimal | None) -> dict[str, str]:
        return {"value": _value(value), "currency": currency}
    return amount


def _line_items(order: Order, serial: int, fulfilment: str) -> list[dict[str, Any]]:
    amount = _amounts(order.currency)
    ship_by = ebay_time(order.ordered_at + timedelta(days=3))
    return [{
        "lineItemId": f"{10_000_000_000_000 + serial * 100 + n}",
        "legacyItemId": f"{2_660_000_000 + n}",
        "sku": line.sku, "title": line.title, "quantity": line.quantity,
        "lineItemCost": amount(line.amount), "total": amount(line.amount),
        "deliveryCost": {"shippingCost": amount(Decimal(0))}, "appliedPromotions": [], "taxes": [],
        "refunds": [], "soldFormat": "FIXED_PRICE", "listingMarketplaceId": "EBAY_US",
        "purchaseMarketplaceId": "EBAY_US", "lineItemFulfillmentStatus": fulfilment,
        "itemLocation": {"location": "Seoul", "countryCode": "KR", "postalCode": "04524"},
        "lineItemFulfillmentInstructions": {"shipByDate": ship_by, "guaranteedDelivery": False},
    } for n, line in enumerate(order.lines, start=1)]


def _refunds(order: Order, serial: int, payment: str, when: str) -> list[dict[str, Any]]:
    """A partial refund gives back one unit of the first line; a full one everything."""
    if not payment.endswith("REFUNDED"):
        return []
    refunded = order.grand_total if payment == "FULLY_REFUNDED" else order.lines[0].unit_price
    return [{"refundId": f"5{serial:09d}", "refundReferenceId": f"R{serial:08d}",
             "refundDate": when, "amount": _amounts(order.currency)(refunded),
             "refundStatus": "REFUNDED"}]


def render(order: Order, order_id: str, serial: int) -> dict[str, Any]:
    """The order as getOrders returns it (eBay leaves out empty fields)."""
    amount = _amounts(order.currency)
    payment, fulfilment, cancel = _STATES[order.status]
    created, modified = ebay_time(order.ordered_at), ebay_time(order.updated_at or order.ordered_at)
    items = _line_items(order, serial, fulfilment)
    refunds = _refunds(order, serial, payment, modified)
    pricing = {"priceSubtotal": amount(order.subtotal), "deliveryCost": amount(order.shipping),
               "total": amount(order.grand_total)}
    if order.tax:
        pricing["tax"] = amount(order.tax)
    if order.discount:
        pricing["priceDiscount"] = amount(-order.discount)
    fee = (order.grand_total.to_decimal() * Decimal("0.1325")).quantize(Decimal("0.01"))
    payload = {
        "orderId": order_id, "salesRecordReference": str(1000 + serial), "sellerId": SELLER,
        "creationDate": created, "lastModifiedDate": modified,
        "orderFulfillmentStatus": fulfilment, "orderPaymentStatus": payment,
        "buyer": {"username": f"buyer_{serial:05d}",
                  "taxAddress": {"city": order.ship_to.typed.city,
                                 "countryCode": order.ship_to.country_code,
                                 "postalCode": order.ship_to.postal_code}},
        "pricingSummary": pricing,
        "cancelStatus": {"cancelState": cancel, "cancelRequests": [],
                         **({"cancelledDate": modified} if cancel == "CANCELED" else {})},
        "paymentSummary": {
            "payments": [{"paymentMethod": "EBAY", "paymentReferenceId": f"P{serial:010d}",
                          "paymentDate": created, "amount": amount(order.grand_total),
                          "paymentStatus": "PENDING" if payment == "PENDING" else "PAID"}],
            "refunds": refunds, "totalDueSeller": amount(order.grand_total.to_decimal() - fee)},
        "fulfillmentStartInstructions": [{
            "fulfillmentInstructionsType": "SHIP_TO", "ebaySupportedFulfillment": False,
            "minEstimatedDeliveryDate": ebay_time(order.ordered_at + timedelta(days=8)),
            "maxEstimatedDeliveryDate": ebay_time(order.ordered_at + timedelta(days=16)),
            "shippingStep": {"shippingCarrierCode": "KoreaPost",
                             "shippingServiceCode": "StandardInternational",
                             "shipTo": _contact(order)}}],
        "fulfillmentHrefs": [], "lineItems": items,
        "ebayCollectAndRemitTax": bool(order.tax), "totalFeeBasisAmount": amount(order.grand_total),
        "totalMarketplaceFee": amount(fee),
    }
    if order.note:
        payload["buyerCheckoutNotes"] = order.note
    return payload


def redacted(payload: dict[str, Any], now: datetime) -> dict[str, Any]:
    """eBay's PII limits: e-mail only for 14 days; name, street and phone only for 90."""
    age = now - _parse(payload["creationDate"])
    if age <= timedelta(days=14):
        return payload
    out = {**payload, "fulfillmentStartInstructions": []}
    for step in payload["fulfillmentStartInstructions"]:
        ship_to = dict(step["shippingStep"]["shipTo"])
        ship_to.pop("email", None)
        if age > timedelta(days=90):
            for key in ("fullName", "primaryPhone"):
                ship_to.pop(key, None)
            ship_to["contactAddress"] = {k: v for k, v in ship_to.get("contactAddress", {}).items()
                                         if k != "addressLine1"}
        out["fulfillmentStartInstructions"].append(
            {**step, "shippingStep": {**step["shippingStep"], "shipTo": ship_to}})
    return out


class EbaySandbox(Sandbox):
    label = "ebay"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7) -> None:
        super().__init__(rate=rate)
        self._serial = count(1)
        self._refund_serial = count(1)
        self.orders: dict[str, dict[str, Any]] = {}
        self.fulfillments: dict[str, list[dict[str, Any]]] = {}
        self.write_backs: list[dict[str, Any]] = []  # every createShippingFulfillment body
        self.tokens: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self.token_requests = 0
        self._throttle = 0
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- what tests drive ------------------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[str]:
        with self.lock:
            ids = []
            for order in sample_orders(Platform.EBAY, n, seed=seed):
                serial = next(self._serial)
                order_id = order.platform_order_id
                if not order_id or order_id in self.orders:
                    order_id = f"{10 + serial % 90:02d}-{11000 + serial:05d}-{serial:05d}"
                if placed_now:
                    order.ordered_at = order.updated_at = datetime.now(UTC)
                self.orders[order_id] = render(order, order_id, serial)
                ids.append(order_id)
            return ids

    def change(self, order_id: str, **fields: Any) -> None:
        """Edit an order as eBay would after a buyer's or seller's action; modified becomes now."""
        with self.lock:
            self.orders[order_id].update(fields)
            self.orders[order_id]["lastModifiedDate"] = ebay_time(datetime.now(UTC))

    def refund(self, order_id: str, amount: Money, *, line_item_id: str | None = None) -> str:
        """The seller issues a refund (issueRefund), for the order or one line item; returns
        its refundId. A refund of all that was paid makes the order FULLY_REFUNDED."""
        with self.lock:
            order = self.orders[order_id]
            refund_id = f"6{next(self._refund_serial):09d}"
            when = ebay_time(datetime.now(UTC))
            value = _amounts(amount.currency)(amount)
            summary = order["paymentSummary"]
            summary["refunds"].append({"refundId": refund_id, "refundReferenceId":
                                       f"R{refund_id}", "refundDate": when, "amount": value,
                                       "refundStatus": "REFUNDED"})
            if line_item_id:
                item = next(i for i in order["lineItems"] if i["lineItemId"] == line_item_id)
                item["refunds"].append({"refundId": refund_id, "refundDate": when,
                                        "amount": value})
            refunded = sum(Decimal(r["amount"]["value"]) for r in summary["refunds"])
            full = refunded >= Decimal(order["pricingSummary"]["total"]["value"])
            self.change(order_id, orderPaymentStatus="FULLY_REFUNDED" if full
                        else "PARTIALLY_REFUNDED")
            return refund_id

    def expire_tokens(self) -> None:
        """Every access token handed out so far stops working, as after two hours."""
        with self.lock:
            self.tokens.clear()

    def throttle_next(self, times: int = 1) -> None:
        """The next `times` API calls answer with eBay's over-the-limit 429."""
        self._throttle += times

    def throttle_reply(self, wait_s: float) -> SandboxReply:
        # eBay sends no Retry-After: only errorId 2001 in the body.
        return _error(429, 2001, "Too many requests.", "ACCESS",
                      "The request limit has been reached for the resource.")

    # --- routing ---------------------------------------------------------------------------
    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(order_id, f["shipmentTrackingNumber"])
                    for order_id, done in self.fulfillments.items() for f in done
                    if f["shipmentTrackingNumber"]]

    def route(self, request: SandboxRequest) -> SandboxReply:
        if request.path == "/identity/v1/oauth2/token" and request.method == "POST":
            return self._token(request)
        if not request.path.startswith(BASE + "/"):
            return _error(404, 2002, "Resource not found", "ACCESS")
        if denied := self._check_bearer(request):
            return denied
        if self._throttle:
            self._throttle -= 1
            self.throttled += 1
            return self.throttle_reply(0)
        path, host = request.path[len(BASE):], request.headers.get("host", "127.0.0.1")
        if path == "/order" and request.method == "GET":
            return self._list(request, host)
        m = re.fullmatch(r"/order/([^/]+)(/shipping_fulfillment)?(?:/([^/]+))?", path)
        if not m or m[1] not in self.orders:
            return _error(404, 32100, f"Invalid order ID: {m[1] if m else path}")
        order_id = m[1]
        if not m[2]:
            return SandboxReply(200, redacted(self.orders[order_id], datetime.now(UTC)))
        if m[3]:
            found = [f for f in self.fulfillments.get(order_id, []) if f["fulfillmentId"] == m[3]]
            if not found:
                return _error(404, 32200, "Invalid fulfillment ID")
            return SandboxReply(200, found[0])
        if request.method == "POST":
            return self._fulfil(order_id, request.json() or {}, host)
        done = self.fulfillments.get(order_id, [])
        return SandboxReply(200, {"fulfillments": done, "total": len(done)})

    def _token(self, request: SandboxRequest) -> SandboxReply:
        self.token_requests += 1
        header = request.headers.get("authorization", "")
        keys = base64.b64decode(header[6:]).decode() if header.startswith("Basic ") else ""
        if keys != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return _oauth_error("invalid_client", "client authentication failed", 401)
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") != "refresh_token":
            return _oauth_error("unsupported_grant_type", "grant type in request is not "
                                "supported by the authorization server")
        if form.get("refresh_token") != REFRESH_TOKEN:
            return _oauth_error("invalid_grant", "the provided authorization refresh token is "
                                "invalid or was issued to another client")
        if not set(form.get("scope", next(iter(SCOPES))).split()) <= SCOPES:
            return _oauth_error("invalid_scope", "The requested scope is invalid, unknown, "
                                "malformed, or exceeds the scope granted to the client")
        token = "v^1.1#i^1#p^3#r^1#I^3#f^0#t^" + secrets.token_urlsafe(48)
        self.tokens[token] = time.time() + TOKEN_TTL_S
        return SandboxReply(200, {"access_token": token, "expires_in": TOKEN_TTL_S,
                                  "token_type": "User Access Token"})

    def _check_bearer(self, request: SandboxRequest) -> SandboxReply | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return _error(401, 1002, "Missing access token", "OAuth",
                          "Access token is missing in the Authorization HTTP request header.")
        if self.tokens.get(header[7:], 0) < time.time():
            return _error(401, 1001, "Invalid access token", "OAuth",
                          "Invalid access token. Check the value of the Authorization HTTP "
                          "request header.")
        return None

    # --- getOrders -------------------------------------------------------------------------
    def _list(self, request: SandboxRequest, host: str) -> SandboxReply:
        limit, offset = int(request.arg("limit", "50")), int(request.arg("offset", "0"))
        if not 1 <= limit <= 200 or offset < 0:
            return _error(400, 30800, "Invalid limit or offset")
        text = request.arg("filter") or ""
        now = datetime.now(UTC)
        try:
            keep = self._filter(text, now)
        except ValueError as error:
            return _error(400, 30500, f"Invalid filter: {error}")
        # Newest first, as eBay lists them.
        matching = sorted((o for o in self.orders.values() if keep(o)),
                          key=lambda o: (o["creationDate"], o["orderId"]), reverse=True)

        def href(at: int) -> str:
            query = f"filter={quote(text, safe=':.,')}&" if text else ""
            return f"http://{host}{BASE}/order?{query}limit={limit}&offset={at}"

        page = {"href": href(offset), "total": len(matching), "limit": limit, "offset": offset,
                "orders": [redacted(o, now) for o in matching[offset:offset + limit]]}
        if offset + limit < len(matching):
            page["next"] = href(offset + limit)
        if offset:
            page["prev"] = href(max(0, offset - limit))
        return SandboxReply(200, page)

    @staticmethod
    def _filter(text: str, now: datetime):
        ranges = dict(re.findall(r"(creationdate|lastmodifieddate):\[([^\]]*)\]", text))
        states = re.search(r"orderfulfillmentstatus:\{([^}]*)\}", text)
        known = r"(creationdate|lastmodifieddate):\[[^\]]*\]|orderfulfillmentstatus:\{[^}]*\}"
        rest = re.sub(known, "", text)
        if rest.strip(", "):
            raise ValueError(rest)
        if "creationdate" in ranges:  # both given: eBay uses creationdate only
            field, span = "creationDate", ranges["creationdate"]
        elif "lastmodifieddate" in ranges:
            field, span = "lastModifiedDate", ranges["lastmodifieddate"]
        else:  # no date criterion: orders created in the last 90 days
            field, span = "creationDate", ebay_time(now - timedelta(days=90)) + ".."
        low, sep, high = span.partition("..")
        if not sep or not low:
            raise ValueError("expected [from..] or [from..to]")
        start, end = _parse(low), _parse(high) if high else None
        wanted = set(states[1].split("|")) if states else None

        def keep(order: dict[str, Any]) -> bool:
            moment = _parse(order[field])
            return (start <= moment and (end is None or moment <= end)
                    and (wanted is None or order["orderFulfillmentStatus"] in wanted))
        return keep

    # --- createShippingFulfillment ---------------------------------------------------------
    def _fulfil(self, order_id: str, body: dict[str, Any], host: str) -> SandboxReply:
        order = self.orders[order_id]
        items = {i["lineItemId"]: i for i in order["lineItems"]}
        lines = body.get("lineItems") or []
        if not lines or any(ln.get("lineItemId") not in items or not 1 <= int(ln.get("quantity", 0))
                            <= items[ln["lineItemId"]]["quantity"] for ln in lines):
            return _error(400, 32400, "Invalid line items",
                          long="lineItems must name this order's line items and quantities")
        if order["cancelStatus"]["cancelState"] == "CANCELED":
            return _error(409, 32600, "The order is cancelled and cannot be fulfilled")
        self.write_backs.append({"orderId": order_id, **body})
        done = self.fulfillments.setdefault(order_id, [])
        taken = {f["fulfillmentId"] for f in done}
        fulfillment_id = body.get("trackingNumber") or f"{len(done) + 1}"
        if fulfillment_id in taken:
            fulfillment_id = f"{fulfillment_id}-{len(done) + 1}"
        done.append({"fulfillmentId": fulfillment_id, "lineItems": lines,
                     "shipmentTrackingNumber": body.get("trackingNumber", ""),
                     "shippedDate": body.get("shippedDate") or ebay_time(datetime.now(UTC)),
                     "shippingCarrierCode": body.get("shippingCarrierCode", "")})
        for line in lines:
            items[line["lineItemId"]]["lineItemFulfillmentStatus"] = "FULFILLED"
        states = {i["lineItemFulfillmentStatus"] for i in order["lineItems"]}
        location = f"http://{host}{BASE}/order/{order_id}/shipping_fulfillment/{fulfillment_id}"
        order["fulfillmentHrefs"].append(location)
        self.change(order_id, orderFulfillmentStatus="FULFILLED" if states == {"FULFILLED"}
                    else "IN_PROGRESS")
        return SandboxReply(201, b"", {"Location": location})


SECRETS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account whose API and token endpoint are this sandbox at `url`."""
    return {"api_base": url, "auth_base": url, "marketplace": "EBAY_US"}
