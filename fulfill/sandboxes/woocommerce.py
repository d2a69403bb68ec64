"""A WooCommerce shop on loopback: /wp-json/wc/v3/orders with Basic auth, page/per_page,
modified_after/before, X-WP-Total(Pages) and Link headers, and the Shipment Tracking routes."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from fulfill.domain import Money, Order, OrderStatus, Platform
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

KEY, SECRET = "ck_sandbox_key", "cs_sandbox_secret"
_STATUS = {
    OrderStatus.AWAITING_PAYMENT: "pending", OrderStatus.AWAITING_SHIPMENT: "processing",
    OrderStatus.ON_HOLD: "on-hold", OrderStatus.SHIPPED: "completed",
    OrderStatus.DELIVERED: "completed", OrderStatus.CANCELLED: "cancelled",
    OrderStatus.REFUNDED: "refunded", OrderStatus.PARTIALLY_REFUNDED: "processing",
}


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _text(amount) -> str:
    return str(amount.to_decimal()) if amount is not None else "0"


def render(order: Order, order_id: int) -> dict[str, Any]:
    """The order as WooCommerce's REST API returns it."""
    typed = order.ship_to.typed
    first, _, last = typed.name.partition(" ")
    address = {"first_name": first, "last_name": last, "company": typed.company,
               "address_1": typed.line1, "address_2": typed.line2, "city": typed.city,
               "state": typed.region, "postcode": order.ship_to.postal_code,
               "country": order.ship_to.country_code, "phone": order.ship_to.phone}
    refunds = []
    if order.status is OrderStatus.PARTIALLY_REFUNDED and order.lines:
        refunds = [{"id": order_id * 10, "reason": "Damaged item",
                    "total": f"-{_text(order.lines[0].unit_price)}"}]
    modified = order.updated_at or order.ordered_at
    return {
        "id": order_id, "parent_id": 0, "number": str(order_id), "order_key": f"wc_order_{order_id:08x}",
        "created_via": "checkout", "version": "9.3.3", "status": _STATUS[order.status],
        "currency": order.currency, "date_created": _gmt(order.ordered_at),
        "date_created_gmt": _gmt(order.ordered_at), "date_modified": _gmt(modified),
        "date_modified_gmt": _gmt(modified), "discount_total": _text(order.discount),
        "discount_tax": "0.00", "shipping_total": _text(order.shipping), "shipping_tax": "0.00",
        "cart_tax": _text(order.tax), "total": _text(order.grand_total), "total_tax": _text(order.tax),
        "prices_include_tax": False, "customer_id": 0, "customer_note": order.note,
        "billing": {**address, "email": order.buyer_email or order.ship_to.email},
        "shipping": address, "payment_method": "stripe", "payment_method_title": "Credit card",
        "line_items": [
            {"id": order_id * 100 + n, "name": line.title, "product_id": 1000 + n,
             "variation_id": 0, "quantity": line.quantity, "tax_class": "",
             "subtotal": _text(line.amount), "subtotal_tax": "0.00", "total": _text(line.amount),
             "total_tax": "0.00", "taxes": [], "meta_data": [], "sku": line.sku,
             "price": float(line.unit_price.to_decimal())}
            for n, line in enumerate(order.lines, start=1)
        ],
        "tax_lines": [], "shipping_lines": [], "fee_lines": [], "coupon_lines": [],
        "refunds": refunds, "meta_data": [],
    }


class WooCommerceSandbox(Sandbox):
    label = "woocommerce"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7) -> None:
        super().__init__(rate=rate)
        self._ids = count(5000)
        self._refund_ids = count(1_000_001)  # above the seeded ones (order id x 10)
        self.orders: dict[int, dict[str, Any]] = {}
        self.trackings: dict[int, list[dict[str, Any]]] = {}
        self.add_orders(orders, seed=seed, placed_now=False)

    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[int]:
        """New orders; `placed_now` stamps them as just placed, as buyers checking out now."""
        with self.lock:
            ids = []
            for order in sample_orders(Platform.WOOCOMMERCE, n, seed=seed):
                order_id = next(self._ids)
                if placed_now:
                    order.ordered_at = order.updated_at = datetime.now(UTC)
                self.orders[order_id] = render(order, order_id)
                ids.append(order_id)
            return ids

    def change(self, order_id: int, **fields: Any) -> None:
        """Edit an order as the shop owner would; its modified date becomes now."""
        with self.lock:
            self.orders[order_id].update(fields)
            self.orders[order_id]["date_modified_gmt"] = _gmt(datetime.now(UTC))

    def refund(self, order_id: int, amount: Money, reason: str = "") -> int:
        """The shop owner refunds part (or the rest) of an order; returns the refund's id.
        Woo lists it on the order as {id, reason, total}, total negative; a refund of
        everything paid makes the order "refunded"."""
        with self.lock:
            order = self.orders[order_id]
            refund_id = next(self._refund_ids)
            order["refunds"].append({"id": refund_id, "reason": reason,
                                     "total": f"-{_text(amount)}"})
            refunded = sum(-Decimal(r["total"]) for r in order["refunds"])
            fields = {"status": "refunded"} if refunded >= Decimal(order["total"]) else {}
            self.change(order_id, **fields)
            return refund_id

    def _authorised(self, request: SandboxRequest) -> bool:
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            return base64.b64decode(header[6:]).decode() == f"{KEY}:{SECRET}"
        return request.arg("consumer_key") == KEY and request.arg("consumer_secret") == SECRET

    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(str(order_id), t["tracking_number"])
                    for order_id, items in self.trackings.items() for t in items]

    def route(self, request: SandboxRequest) -> SandboxReply:
        if not self._authorised(request):
            return SandboxReply(401, {"code": "woocommerce_rest_cannot_view",
                                      "message": "Sorry, you cannot list resources.",
                                      "data": {"status": 401}})
        path = request.path
        if path == "/wp-json/wc/v3/orders" and request.method == "GET":
            return self._list(request)
        if m := re.fullmatch(r"/wp-json/wc/v3/orders/(\d+)", path):
            order = self.orders.get(int(m[1]))
            if order is None:
                return SandboxReply(404, {"code": "woocommerce_rest_shop_order_invalid_id",
                                          "message": "Invalid ID.", "data": {"status": 404}})
            if request.method == "PUT":
                self.change(int(m[1]), **{k: v for k, v in request.json().items() if k == "status"})
            return SandboxReply(200, order)
        if m := re.fullmatch(r"/wp-json/wc-shipment-tracking/v3/orders/(\d+)/shipment-trackings", path):
            trackings = self.trackings.setdefault(int(m[1]), [])
            if request.method == "POST":
                body = request.json()
                item = {"tracking_id": f"{len(trackings) + 1:032x}", "tracking_link": "",
                        "tracking_provider": body["tracking_provider"],
                        "tracking_number": body["tracking_number"],
                        "date_shipped": body.get("date_shipped", "")}
                trackings.append(item)
                return SandboxReply(201, item)
            return SandboxReply(200, trackings)
        return SandboxReply(404, {"code": "rest_no_route", "message": "No route was found.",
                                  "data": {"status": 404}})

    def _list(self, request: SandboxRequest) -> SandboxReply:
        per_page = int(request.arg("per_page", "10"))
        page = int(request.arg("page", "1"))
        if not 1 <= per_page <= 100:
            return SandboxReply(400, {"code": "rest_invalid_param",
                                      "message": "Invalid parameter(s): per_page",
                                      "data": {"status": 400}})
        after = (request.arg("modified_after") or "").rstrip("Z")
        before = (request.arg("modified_before") or "").rstrip("Z")
        matching = [o for _, o in sorted(self.orders.items())
                    if (not after or o["date_modified_gmt"] > after)
                    and (not before or o["date_modified_gmt"] < before)]
        pages = max(1, -(-len(matching) // per_page))
        chunk = matching[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(matching)), "X-WP-TotalPages": str(pages)}
        if page < pages:
            headers["Link"] = f'<{request.path}?page={page + 1}&per_page={per_page}>; rel="next"'
        return SandboxReply(200, chunk, headers)


SECRETS = {"consumer_key": KEY, "consumer_secret": SECRET}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url`."""
    return {"site_url": url}
