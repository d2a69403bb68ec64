"""A Shopify shop on loopback.

GraphQL Admin API (`POST /admin/api/2024-10/graphql.json`): the `Orders`, `OrderLines` and
`OrderClaims` (refunds and returns) operations of ShopifyConnector — search by updated_at,
sortKey UPDATED_AT, opaque cursors, nested line-item pages — with query cost: a query asking
more than 1,000 points is refused, and one asking more than the bucket holds is answered
THROTTLED (HTTP 200 by default, 429 with `throttle_status=429`) with the bucket's figures
beside it.
REST (`/admin/api/2024-10/...`): the fulfillment orders of an order, its fulfillments, and
POST fulfillments.json with line_items_by_fulfillment_order + tracking_info.
Auth: the X-Shopify-Access-Token header. Orders come from the demo generator.

It answers with the whole node whatever the query selects, and computes cost from the
connector's selection (ORDER_COST / LINE_COST) rather than from the query text.
"""

from __future__ import annotations

import base64
import json
import re
import time
from datetime import UTC, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from fulfill.domain import Money, Order, OrderStatus, Platform, is_latin
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

TOKEN = "shpat_sandbox"
SHOP = "seoul-glow-sandbox.myshopify.com"
VERSION = "2024-10"
MAX_QUERY_COST = 1000
# Points of the connector's selection (an object costs 1, a scalar 0, a connection 2 + first
# x its node): an order node without its line items (the order, 5 money bags, 2 addresses)
# and a line-item node (the line, its variant, one money bag).
ORDER_COST = 14
LINE_COST = 4


def claims_cost(refunds: int, returns: int, lines: int) -> int:
    """Points of the OrderClaims selection: the order, its refunds (with their money and
    lines) and its returns (with their lines), `lines` each."""
    return 3 + refunds * (5 + 2 * lines) + returns * (3 + 3 * lines)


SHOP_CURRENCY = "USD"
_TO_SHOP = {"USD": "1", "EUR": "1.08", "GBP": "1.27", "CAD": "0.73", "AUD": "0.66",
            "CNY": "0.14", "JPY": "0.0067", "KRW": "0.00072"}
_STATUS = {  # -> displayFinancialStatus, displayFulfillmentStatus, cancelled
    OrderStatus.AWAITING_PAYMENT: ("PENDING", "UNFULFILLED", False),
    OrderStatus.AWAITING_SHIPMENT: ("PAID", "UNFULFILLED", False),
    OrderStatus.ON_HOLD: ("PAID", "ON_HOLD", False),
    OrderStatus.SHIPPED: ("PAID", "FULFILLED", False),
    OrderStatus.DELIVERED: ("PAID", "FULFILLED", False),
    OrderStatus.CANCELLED: ("VOIDED", "UNFULFILLED", True),
    OrderStatus.REFUNDED: ("REFUNDED", "FULFILLED", False),
    OrderStatus.PARTIALLY_REFUNDED: ("PARTIALLY_REFUNDED", "FULFILLED", False),
}
_API = f"/admin/api/{VERSION}"


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bag(amount: Money | None, currency: str) -> dict[str, Any]:
    value = amount.to_decimal() if amount is not None else Decimal(0)
    shop = (value * Decimal(_TO_SHOP.get(currency, "1"))).quantize(Decimal("0.01"))
    return {"shopMoney": {"amount": str(shop), "currencyCode": SHOP_CURRENCY},
            "presentmentMoney": {"amount": str(value), "currencyCode": currency}}


def _split_name(name: str) -> tuple[str, str]:
    """(first, last) as Shopify's checkout splits them: 王芳 -> 芳, 王."""
    if " " in name.strip():
        first, _, last = name.strip().rpartition(" ")
        return first, last
    if name and not is_latin(name) and len(name) > 1:
        return name[1:], name[0]
    return name, ""


def render(order: Order, order_id: int, line_ids: list[int]) -> dict[str, Any]:
    """The order as the GraphQL Admin API's Order node, with all its line items."""
    typed = order.ship_to.typed
    first, last = _split_name(typed.name)
    financial, fulfillment, cancelled = _STATUS[order.status]
    modified = order.updated_at or order.ordered_at
    cur = order.currency
    address = {"name": f"{first} {last}".strip(), "firstName": first, "lastName": last,
               "company": typed.company or None, "address1": typed.line1,
               "address2": typed.line2 or None, "city": typed.city, "province": typed.region,
               "provinceCode": typed.region if 0 < len(typed.region) <= 3 else None,
               "zip": order.ship_to.postal_code, "countryCodeV2": order.ship_to.country_code,
               "phone": order.ship_to.phone or None}
    return {
        "id": f"gid://shopify/Order/{order_id}", "name": order.order_number,
        "createdAt": _z(order.ordered_at), "updatedAt": _z(modified),
        "cancelledAt": _z(modified) if cancelled else None,
        "cancelReason": "CUSTOMER" if cancelled else None,
        "displayFinancialStatus": financial, "displayFulfillmentStatus": fulfillment,
        "returnStatus": "NO_RETURN",
        "currencyCode": SHOP_CURRENCY, "presentmentCurrencyCode": cur,
        "email": order.buyer_email or order.ship_to.email or None,
        "phone": order.ship_to.phone or None, "note": order.note or None,
        "totalPriceSet": _bag(order.grand_total, cur),
        "subtotalPriceSet": _bag(order.subtotal, cur),
        "totalShippingPriceSet": _bag(order.shipping, cur), "totalTaxSet": _bag(order.tax, cur),
        "totalDiscountsSet": _bag(order.discount, cur),
        "shippingAddress": address,
        "billingAddress": {"name": address["name"], "firstName": first, "lastName": last},
        "lineItems": {"nodes": [
            {"id": f"gid://shopify/LineItem/{line_id}", "sku": line.sku, "name": line.title,
             "title": line.title, "quantity": line.quantity, "currentQuantity": line.quantity,
             "variant": {"id": f"gid://shopify/ProductVariant/{line_id + 7_000_000}"},
             "originalUnitPriceSet": _bag(line.unit_price, cur)}
            for line, line_id in zip(order.lines, line_ids, strict=True)
        ]},
    }


def _cursor(node: dict[str, Any]) -> str:
    key = {"last_id": int(node["id"].rsplit("/", 1)[-1]), "last_value": node["updatedAt"]}
    return base64.b64encode(json.dumps(key).encode()).decode()


def _after(cursor: str | None) -> tuple[str, int] | None:
    if not cursor:
        return None
    key = json.loads(base64.b64decode(cursor))
    return key["last_value"], key["last_id"]


_TERM = re.compile(r"updated_at:(>=|<=|>|<)'([^']+)'")
_COMPARE = {">=": str.__ge__, "<=": str.__le__, ">": str.__gt__, "<": str.__lt__}


def _matches(search: str, updated: str) -> bool:
    """Shopify search over updated_at; times are compared as "…Z" strings, as they sort."""
    for op, value in _TERM.findall(search):
        value = value.replace("+00:00", "Z")
        if not _COMPARE[op](updated, value):
            return False
    return True


class ShopifySandbox(Sandbox):
    label = "shopify"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7,
                 bucket: float = 2000.0, restore_rate: float = 1000.0,
                 throttle_status: int = 200) -> None:
        """`rate`: requests a second, as REST limits them (2 on the Standard plan), over
        every route; `bucket` and `restore_rate`: the GraphQL query-cost bucket."""
        super().__init__(rate=rate, burst=rate and max(1.0, 20 * rate))
        self._order_ids = count(5_800_000_001_001)
        self._line_ids = count(13_500_000_000_001)
        self._ids = count(1_046_000_001)  # fulfillment orders, their lines, fulfillments
        self.orders: dict[int, dict[str, Any]] = {}
        self.fulfillment_orders: dict[int, list[dict[str, Any]]] = {}
        self.fulfillments: dict[int, list[dict[str, Any]]] = {}
        self.refunds: dict[int, list[dict[str, Any]]] = {}  # Refund objects, per order
        self.returns: dict[int, list[dict[str, Any]]] = {}  # Return objects, per order
        self.posted: list[dict[str, Any]] = []  # bodies of POST fulfillments.json, as sent
        self.bucket_max, self.restore_rate = bucket, restore_rate
        self.points, self._points_at = bucket, time.monotonic()
        self.throttle_status = throttle_status
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- the shop's side -----------------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[int]:
        """New orders; `placed_now` stamps them as just placed, as buyers checking out now."""
        ids = []
        for order in sample_orders(Platform.SHOPIFY, n, seed=seed):
            if placed_now:
                order.ordered_at = order.updated_at = datetime.now(UTC)
            ids.append(self.add_order(order))
        return ids

    def add_order(self, order: Order) -> int:
        """Any domain order (a test's own) as a Shopify order; returns its numeric id."""
        with self.lock:
            order_id = next(self._order_ids)
            order.order_number = f"#{1000 + len(self.orders) + 1}"
            node = render(order, order_id, [next(self._line_ids) for _ in order.lines])
            self.orders[order_id] = node
            fulfilled = node["displayFulfillmentStatus"] == "FULFILLED"
            held = node["displayFulfillmentStatus"] == "ON_HOLD"
            status = ("closed" if fulfilled else "cancelled" if node["cancelledAt"]
                      else "on_hold" if held else "open")
            self.fulfillment_orders[order_id] = [self._fulfillment_order(
                order_id, node["lineItems"]["nodes"], status, location=1)]
            self.fulfillments[order_id] = []
            self.refunds[order_id], self.returns[order_id] = [], []
            if node["displayFinancialStatus"] in ("PARTIALLY_REFUNDED", "REFUNDED"):
                full = node["displayFinancialStatus"] == "REFUNDED"
                self.refunds[order_id].append(self._refund_object(
                    order.grand_total if full else order.lines[0].unit_price, node["updatedAt"],
                    "Damaged item" if not full else ""))
            return order_id

    def _refund_object(self, amount: Money, at: str, note: str,
                       lines: list[tuple[dict[str, Any], int]] = ()) -> dict[str, Any]:
        return {"id": f"gid://shopify/Refund/{next(self._ids)}", "createdAt": at,
                "note": note or None, "totalRefundedSet": _bag(amount, amount.currency),
                "refundLineItems": {"nodes": [
                    {"quantity": quantity, "lineItem": {"id": line["id"], "sku": line["sku"]}}
                    for line, quantity in lines]}}

    def _lines_of(self, order_id: int, pieces: list[tuple[str, int]]
                  ) -> list[tuple[dict[str, Any], int]]:
        nodes = {line["sku"]: line for line in self.orders[order_id]["lineItems"]["nodes"]}
        return [(nodes[sku], quantity) for sku, quantity in pieces]

    def refund(self, order_id: int, amount: Money, lines: list[tuple[str, int]] = (), *,
               note: str = "") -> str:
        """The merchant refunds `amount`, for `lines` (SKU, pieces) or none (shipping, a
        goodwill gesture); returns the Refund's id. Refunded pieces leave the order's
        current quantity, as on Shopify."""
        with self.lock:
            node = self.orders[order_id]
            chosen = self._lines_of(order_id, list(lines))
            refund = self._refund_object(amount, _z(datetime.now(UTC)), note, chosen)
            self.refunds[order_id].append(refund)
            for line, quantity in chosen:
                line["currentQuantity"] = max(0, line["currentQuantity"] - quantity)
            paid = Decimal(node["totalPriceSet"]["presentmentMoney"]["amount"])
            refunded = sum(Decimal(r["totalRefundedSet"]["presentmentMoney"]["amount"])
                           for r in self.refunds[order_id])
            self.change(order_id, displayFinancialStatus="REFUNDED" if refunded >= paid
                        else "PARTIALLY_REFUNDED")
            return refund["id"]

    def request_return(self, order_id: int, lines: list[tuple[str, int]], *,
                       reason: str = "DEFECTIVE", note: str = "") -> str:
        """The buyer asks to return `lines` (SKU, pieces); returns the Return's id."""
        with self.lock:
            node = self.orders[order_id]
            found = self.returns[order_id]
            ret = {"id": f"gid://shopify/Return/{next(self._ids)}",
                   "name": f"{node['name']}-R{len(found) + 1}", "status": "REQUESTED",
                   "returnLineItems": {"nodes": [
                       {"quantity": quantity, "returnReason": reason,
                        "customerNote": note or None,
                        "fulfillmentLineItem": {"lineItem": {"id": line["id"],
                                                             "sku": line["sku"]}}}
                       for line, quantity in self._lines_of(order_id, lines)]}}
            found.append(ret)
            self.change(order_id, returnStatus="RETURN_REQUESTED")
            return ret["id"]

    def _fulfillment_order(self, order_id: int, lines: list[dict[str, Any]], status: str,
                           location: int) -> dict[str, Any]:
        fo_id = next(self._ids)
        open_now = status not in ("closed", "cancelled")
        return {
            "id": fo_id, "shop_id": 548380009, "order_id": order_id,
            "assigned_location_id": location, "request_status": "unsubmitted", "status": status,
            "supported_actions": ["create_fulfillment"] if status == "open" else [],
            "line_items": [
                {"id": next(self._ids), "shop_id": 548380009, "fulfillment_order_id": fo_id,
                 "quantity": line["quantity"], "line_item_id": int(line["id"].rsplit("/", 1)[-1]),
                 "inventory_item_id": int(line["variant"]["id"].rsplit("/", 1)[-1]),
                 "fulfillable_quantity": line["quantity"] if open_now else 0,
                 "variant_id": int(line["variant"]["id"].rsplit("/", 1)[-1])}
                for line in lines],
            "fulfillment_holds": [], "merchant_requests": [],
        }

    def split_locations(self, order_id: int) -> None:
        """Assign the order's later lines to a second location (a second fulfillment order)."""
        with self.lock:
            (fo,) = self.fulfillment_orders[order_id]
            nodes = self.orders[order_id]["lineItems"]["nodes"]
            half = max(1, len(nodes) // 2)
            fo["line_items"] = fo["line_items"][:half]
            self.fulfillment_orders[order_id].append(
                self._fulfillment_order(order_id, nodes[half:], fo["status"], location=2))

    def change(self, order_id: int, **fields: Any) -> None:
        """Edit an order as the shop owner would; its updatedAt becomes now."""
        with self.lock:
            self.orders[order_id].update(fields)
            self.orders[order_id]["updatedAt"] = _z(datetime.now(UTC))

    # --- serving -------------------------------------------------------------------------
    def throttle_reply(self, wait_s: float) -> SandboxReply:
        return SandboxReply(429, {"errors": "Exceeded 2 calls per second for api client. Reduce "
                                            "request rates to resume uninterrupted service."},
                            {"Retry-After": f"{wait_s:.2f}", "X-Shopify-API-Version": VERSION})

    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(f"gid://shopify/Order/{order_id}", f["tracking_number"])
                    for order_id, done in self.fulfillments.items() for f in done
                    if f.get("tracking_number")]

    def route(self, request: SandboxRequest) -> SandboxReply:
        headers = {"X-Shopify-API-Version": VERSION}
        if request.headers.get("x-shopify-access-token") != TOKEN:
            return SandboxReply(401, {"errors": "[API] Invalid API key or access token "
                                                "(unrecognized login or wrong password)"}, headers)
        path = request.path
        if path == f"{_API}/graphql.json" and request.method == "POST":
            status, body = self._graphql(request.json() or {})
            return SandboxReply(status, body, headers)
        if m := re.fullmatch(rf"{_API}/orders/(\d+)/fulfillment_orders\.json", path):
            found = self.fulfillment_orders.get(int(m[1]))
            return (SandboxReply(200, {"fulfillment_orders": found}, headers) if found is not None
                    else SandboxReply(404, {"errors": "Not Found"}, headers))
        if m := re.fullmatch(rf"{_API}/orders/(\d+)/fulfillments\.json", path):
            found = self.fulfillments.get(int(m[1]))
            return (SandboxReply(200, {"fulfillments": found}, headers) if found is not None
                    else SandboxReply(404, {"errors": "Not Found"}, headers))
        if path == f"{_API}/fulfillments.json" and request.method == "POST":
            status, body = self._create_fulfillment(request.json() or {})
            return SandboxReply(status, body, headers)
        return SandboxReply(404, {"errors": "Not Found"}, headers)

    # --- GraphQL -------------------------------------------------------------------------
    def _cost(self, requested: int, actual: int | None) -> dict[str, Any]:
        return {"requestedQueryCost": requested, "actualQueryCost": actual,
                "throttleStatus": {"maximumAvailable": self.bucket_max,
                                   "currentlyAvailable": int(self.points),
                                   "restoreRate": self.restore_rate}}

    def _graphql(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        query, variables = body.get("query") or "", body.get("variables") or {}
        match = re.search(r"query\s+(\w+)", query)
        operation = match[1] if match else ""
        lines = int(variables.get("lines", 0))
        if operation == "Orders":
            requested = 2 + int(variables["first"]) * (ORDER_COST + 2 + LINE_COST * lines)
        elif operation == "OrderLines":
            requested = 1 + 2 + LINE_COST * lines
        elif operation == "OrderClaims":
            requested = claims_cost(int(variables["refunds"]), int(variables["returns"]),
                                    int(variables["lines"]))
        else:
            return 200, {"errors": [{"message": f"Unknown operation {operation!r}",
                                     "extensions": {"code": "undefinedField"}}]}
        now = time.monotonic()
        refill = (now - self._points_at) * self.restore_rate
        self.points = min(self.bucket_max, self.points + refill)
        self._points_at = now
        if requested > MAX_QUERY_COST:
            return 200, {"errors": [{"message": f"Query cost is {requested}, which exceeds the "
                                                f"single query max cost limit ({MAX_QUERY_COST}).",
                                     "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested,
                                                    "maxCost": MAX_QUERY_COST}}],
                         "extensions": {"cost": self._cost(requested, None)}}
        if requested > self.points:
            self.throttled += 1
            return self.throttle_status, {
                "errors": [{"message": "Throttled", "extensions": {
                    "code": "THROTTLED",
                    "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                "extensions": {"cost": self._cost(requested, None)}}
        if operation == "Orders":
            data, returned = self._orders(variables, lines)
            actual = 2 + sum(ORDER_COST + 2 + LINE_COST * n for n in returned)
        elif operation == "OrderClaims":
            data = self._order_claims(variables)
            found = data["order"] or {"refunds": [], "returns": {"nodes": []}}
            actual = 3 + sum(5 + 2 * len(r["refundLineItems"]["nodes"]) for r in found["refunds"])
            actual += sum(3 + 3 * len(r["returnLineItems"]["nodes"])
                          for r in found["returns"]["nodes"])
        else:
            data, returned_lines = self._order_lines(variables, lines)
            actual = 3 + LINE_COST * returned_lines
        self.points -= actual
        return 200, {"data": data, "extensions": {"cost": self._cost(requested, actual)}}

    @staticmethod
    def _line_page(nodes: list[dict[str, Any]], first: int, after: str | None) -> dict[str, Any]:
        start = int(base64.b64decode(after)) if after else 0
        chunk = nodes[start:start + first]
        more = start + first < len(nodes)
        end = base64.b64encode(str(start + len(chunk)).encode()).decode() if chunk else None
        return {"pageInfo": {"hasNextPage": more, "endCursor": end}, "nodes": chunk}

    def _orders(self, variables: dict[str, Any], lines: int) -> tuple[dict[str, Any], list[int]]:
        first = int(variables["first"])
        search = variables.get("query") or ""
        after = _after(variables.get("after"))
        matching = sorted(
            (node for node in self.orders.values() if _matches(search, node["updatedAt"])),
            key=lambda node: (node["updatedAt"], int(node["id"].rsplit("/", 1)[-1])))
        if after:
            matching = [node for node in matching
                        if (node["updatedAt"], int(node["id"].rsplit("/", 1)[-1])) > after]
        chunk = matching[:first]
        nodes = [{**node, "lineItems": self._line_page(node["lineItems"]["nodes"], lines, None)}
                 for node in chunk]
        page = {"pageInfo": {"hasNextPage": len(matching) > first,
                             "endCursor": _cursor(chunk[-1]) if chunk else None},
                "nodes": json.loads(json.dumps(nodes))}  # a copy, as over the wire
        return {"orders": page}, [len(n["lineItems"]["nodes"]) for n in nodes]

    def _order_lines(self, variables: dict[str, Any], lines: int) -> tuple[dict[str, Any], int]:
        node = self.orders.get(int(str(variables["id"]).rsplit("/", 1)[-1]))
        if node is None:
            return {"order": None}, 0
        page = self._line_page(node["lineItems"]["nodes"], lines, variables.get("after"))
        return {"order": {"lineItems": json.loads(json.dumps(page))}}, len(page["nodes"])

    def _order_claims(self, variables: dict[str, Any]) -> dict[str, Any]:
        order_id = int(str(variables["id"]).rsplit("/", 1)[-1])
        if order_id not in self.orders:
            return {"order": None}
        lines = int(variables["lines"])

        def cut(items: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
            return [{**item, field: {"nodes": item[field]["nodes"][:lines]}} for item in items]

        refunds = cut(self.refunds[order_id][:int(variables["refunds"])], "refundLineItems")
        returns = cut(self.returns[order_id][:int(variables["returns"])], "returnLineItems")
        return {"order": json.loads(json.dumps({"refunds": refunds,
                                                "returns": {"nodes": returns}}))}

    # --- REST fulfillment ----------------------------------------------------------------
    def _create_fulfillment(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.posted.append(body)
        fulfillment = body.get("fulfillment") or {}
        groups = fulfillment.get("line_items_by_fulfillment_order") or []
        if not groups:
            return 400, {"errors": {"fulfillment": "Required parameter missing or invalid"}}
        by_id = {fo["id"]: fo for fos in self.fulfillment_orders.values() for fo in fos}
        chosen = [by_id.get(group.get("fulfillment_order_id")) for group in groups]
        if any(fo is None for fo in chosen):
            return 404, {"errors": "Not Found"}
        if len({fo["order_id"] for fo in chosen}) > 1 or \
                len({fo["assigned_location_id"] for fo in chosen}) > 1:
            return 422, {"errors": [("All fulfillment orders must belong to the same order "
                                     "and be assigned to the same location.")]}
        taken: list[tuple[dict[str, Any], int]] = []
        for group, fo in zip(groups, chosen, strict=True):
            if fo["status"] not in ("open", "in_progress"):
                return 422, {"errors": [(f"Fulfillment order {fo['id']} has an unfulfillable "
                                         f"status= {fo['status']}.")]}
            items = {li["id"]: li for li in fo["line_items"]}
            asked = group.get("fulfillment_order_line_items")
            if asked is None:
                asked = [{"id": li["id"], "quantity": li["fulfillable_quantity"]}
                         for li in fo["line_items"] if li["fulfillable_quantity"] > 0]
            for entry in asked:
                item = items.get(entry["id"])
                if item is None or not 0 < entry["quantity"] <= item["fulfillable_quantity"]:
                    return 422, {"errors": ["Invalid fulfillment order line item quantity."]}
                taken.append((item, entry["quantity"]))
        order_id = chosen[0]["order_id"]
        node = self.orders[order_id]
        for item, quantity in taken:
            item["fulfillable_quantity"] -= quantity
        for fo in chosen:
            left = any(li["fulfillable_quantity"] > 0 for li in fo["line_items"])
            fo["status"] = "in_progress" if left else "closed"
        everything = all(fo["status"] in ("closed", "cancelled")
                         for fo in self.fulfillment_orders[order_id])
        node["displayFulfillmentStatus"] = "FULFILLED" if everything else "PARTIALLY_FULFILLED"
        node["updatedAt"] = _z(datetime.now(UTC))
        tracking = fulfillment.get("tracking_info") or {}
        lines = {int(n["id"].rsplit("/", 1)[-1]): n for n in node["lineItems"]["nodes"]}
        done = self.fulfillments[order_id]
        record = {
            "id": next(self._ids), "order_id": order_id, "status": "success",
            "created_at": node["updatedAt"], "service": "manual", "updated_at": node["updatedAt"],
            "tracking_company": tracking.get("company"), "shipment_status": None,
            "location_id": chosen[0]["assigned_location_id"],
            "line_items": [{"id": item["line_item_id"],
                            "sku": lines[item["line_item_id"]]["sku"],
                            "title": lines[item["line_item_id"]]["title"], "quantity": quantity}
                           for item, quantity in taken],
            "tracking_number": tracking.get("number"),
            "tracking_numbers": [tracking["number"]] if tracking.get("number") else [],
            "tracking_url": tracking.get("url"),
            "tracking_urls": [tracking["url"]] if tracking.get("url") else [],
            "receipt": {}, "name": f"{node['name']}.{len(done) + 1}",
        }
        record["admin_graphql_api_id"] = f"gid://shopify/Fulfillment/{record['id']}"
        done.append(record)
        return 201, {"fulfillment": record}


SECRETS = {"access_token": TOKEN}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url`."""
    return {"shop_domain": SHOP, "api_base": url}
