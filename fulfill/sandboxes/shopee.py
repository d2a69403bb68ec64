"""A Shopee shop on loopback: signed v2 shop calls (partner_id, timestamp, access_token, shop_id,
sign in the query), token refresh that rotates both tokens, get_order_list in update_time windows
of at most 15 days with cursor paging, get_order_detail (≤50, optional fields only when asked),
get_return_list, get_tracking_number and logistics/ship_order. Amounts are JSON numbers and
errors are {"error", "message"} bodies, as Shopee sends them."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime
from itertools import count
from typing import Any

from fulfill.domain import Money, Order, OrderStatus, Platform
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

PARTNER_ID, PARTNER_KEY = "2001887", "sandbox-partner-key-6c1f0e9a4b"
SHOP_ID = "880123456"
ACCESS_TOKEN, REFRESH_TOKEN = "sandbox-access-0001", "sandbox-refresh-0001"
TOKEN_PATH = "/api/v2/auth/access_token/get"
MAX_RANGE_S = 15 * 86400

_STATUS = {
    OrderStatus.AWAITING_PAYMENT: "UNPAID", OrderStatus.AWAITING_SHIPMENT: "READY_TO_SHIP",
    OrderStatus.ON_HOLD: "IN_CANCEL", OrderStatus.SHIPPED: "SHIPPED",
    OrderStatus.DELIVERED: "COMPLETED", OrderStatus.CANCELLED: "CANCELLED",
    OrderStatus.REFUNDED: "TO_RETURN", OrderStatus.PARTIALLY_REFUNDED: "COMPLETED",
}
_SHIPPED = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.REFUNDED,
            OrderStatus.PARTIALLY_REFUNDED)
# get_order_detail fields sent only when named in response_optional_fields.
OPTIONAL_FIELDS = frozenset({
    "buyer_user_id", "buyer_username", "estimated_shipping_fee", "recipient_address",
    "actual_shipping_fee", "goods_to_declare", "note", "note_update_time", "item_list",
    "pay_time", "dropshipper", "dropshipper_phone", "split_up", "buyer_cancel_reason",
    "cancel_by", "cancel_reason", "actual_shipping_fee_confirmed", "buyer_cpf_id",
    "fulfillment_flag", "pickup_done_time", "package_list", "shipping_carrier",
    "payment_method", "total_amount", "invoice_data", "checkout_shipping_carrier",
    "reverse_shipping_fee"})


def _num(amount: Money | None) -> int | float:
    """A JSON number as Shopee writes it: 3000, 2988.99 (the float's repr is the exact text)."""
    value = amount.to_decimal() if amount is not None else 0
    return int(value) if value == int(value) else float(value)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _full_address(order: Order) -> str:
    typed, zipcode = order.ship_to.typed, order.ship_to.postal_code
    if typed.is_latin():  # "BLOCK 116, EDGEFIELD PLAINS, #05-334, SG, 820116"
        parts = [typed.line1, typed.line2, typed.city, typed.region, zipcode]
        return ", ".join(p for p in parts if p)
    return f"{typed.region}{typed.city}{typed.line1}{typed.line2}"  # 台中市西屯區…


def _item_id(sku: str) -> int:
    return 100_000_000 + int(hashlib.sha256(sku.encode()).hexdigest()[:7], 16)


def render(order: Order, order_sn: str) -> dict[str, Any]:
    """The order as get_order_detail returns it, with every optional field."""
    created, updated = _epoch(order.ordered_at), _epoch(order.updated_at or order.ordered_at)
    shipped = order.status in _SHIPPED
    items = [{"item_id": _item_id(line.sku), "item_name": line.title, "item_sku": line.sku,
              "model_id": 0, "model_name": "", "model_sku": "",
              "model_quantity_purchased": line.quantity,
              "model_original_price": _num(line.unit_price),
              "model_discounted_price": _num(line.unit_price), "wholesale": False,
              "weight": 0.2, "add_on_deal": False, "main_item": False, "add_on_deal_id": 0,
              "promotion_type": "", "promotion_id": 0, "order_item_id": _item_id(line.sku),
              "promotion_group_id": 0, "image_info": {"image_url": ""}}
             for line in order.lines]
    cancelled = order.status is OrderStatus.CANCELLED
    phone = "".join(ch for ch in order.ship_to.phone if ch.isdigit())
    return {
        "order_sn": order_sn, "region": order.ship_to.country_code, "currency": order.currency,
        "cod": False, "order_status": _STATUS[order.status], "create_time": created,
        "update_time": updated, "pay_time": None if order.status is OrderStatus.AWAITING_PAYMENT
        else created + 90, "ship_by_date": created + 3 * 86400, "days_to_ship": 3,
        "total_amount": _num(order.grand_total), "estimated_shipping_fee": _num(order.shipping),
        "actual_shipping_fee": None, "actual_shipping_fee_confirmed": False,
        "reverse_shipping_fee": 0, "buyer_user_id": 200_000 + created % 99_991,
        "buyer_username": f"buyer{created % 99_991}", "message_to_seller": order.note,
        "note": "", "note_update_time": 0, "goods_to_declare": False, "dropshipper": "",
        "dropshipper_phone": "", "invoice_data": None, "buyer_cpf_id": None,
        "checkout_shipping_carrier": None,
        "recipient_address": {
            "name": order.ship_to.typed.name, "phone": f"******{phone[-2:]}", "town": "",
            "district": "", "city": order.ship_to.typed.city, "state": order.ship_to.typed.region,
            "region": order.ship_to.country_code, "zipcode": order.ship_to.postal_code,
            "full_address": _full_address(order)},
        "item_list": items,
        "package_list": [{"package_number": f"OFG{created}{len(items)}",
                          "logistics_status": "LOGISTICS_DELIVERY_DONE" if shipped
                          else "LOGISTICS_NOT_START",
                          "shipping_carrier": "Seller Own Fleet",
                          "item_list": [{"item_id": i["item_id"], "model_id": 0} for i in items]}],
        "shipping_carrier": "Seller Own Fleet", "payment_method": "Credit Card",
        "cancel_by": "buyer" if cancelled else "", "cancel_reason":
        "Need to change delivery address" if cancelled else "",
        "buyer_cancel_reason": "Need to change delivery address" if cancelled else "",
        "split_up": False, "fulfillment_flag": "fulfilled_by_local_seller",
        "pickup_done_time": updated if shipped else 0,
    }


def _refund(order: Order, order_sn: str) -> dict[str, Any] | None:
    """The paid return behind a refunded or partly refunded order, as get_return_list lists it."""
    if order.status not in (OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED):
        return None
    total = order.grand_total
    amount = total
    if order.status is OrderStatus.PARTIALLY_REFUNDED:
        amount = Money(min(order.lines[0].unit_price.minor, total.minor // 2), order.currency)
    updated = _epoch(order.updated_at or order.ordered_at)
    return {"return_sn": f"R{order_sn}", "order_sn": order_sn, "status": "REFUND_PAID",
            "refund_amount": _num(amount), "currency": order.currency, "reason": "DAMAGED",
            "text_reason": "One item arrived damaged", "create_time": updated - 86400,
            "update_time": updated, "due_date": updated + 3 * 86400, "item": []}


def _error(error: str, message: str, status: int = 200) -> SandboxReply:
    return SandboxReply(status, {"error": error, "message": message,
                                 "request_id": hashlib.md5(message.encode()).hexdigest()})


def _ok(response: Any) -> SandboxReply:
    return SandboxReply(200, {"error": "", "message": "", "request_id": f"{time.time_ns():x}",
                              "response": response})


def _sign(*parts: object) -> str:
    return hmac.new(PARTNER_KEY.encode(), "".join(map(str, parts)).encode(),
                    hashlib.sha256).hexdigest()


class ShopeeSandbox(Sandbox):
    label = "shopee"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7,
                 region: str = "TW") -> None:
        super().__init__(rate=rate)
        self.region = region
        self.orders: dict[str, dict[str, Any]] = {}
        self.returns: list[dict[str, Any]] = []
        self.tracking: dict[str, str] = {}
        self.shipments: list[dict[str, Any]] = []  # every ship_order accepted: the write-backs
        self.access_token, self.refresh_token = ACCESS_TOKEN, REFRESH_TOKEN
        self.refreshes = 0
        self._tokens = count(2)
        self._return_serial = count(1)
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- what tests use ------------------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[str]:
        """New orders; `placed_now` stamps them as just placed, as buyers checking out now."""
        with self.lock:
            sns = []
            for order in sample_orders(Platform.SHOPEE, n, seed=seed, region=self.region):
                sn = order.platform_order_id
                while sn in self.orders:  # another seed may repeat an order_sn: make it unique
                    sn = sn[:-1] + "ABCDEFGHJKLMNPQRSTUVWXYZ"[(ord(sn[-1]) + 1) % 24]
                if placed_now:
                    order.ordered_at = order.updated_at = datetime.now(UTC)
                self.orders[sn] = render(order, sn)
                if refund := _refund(order, sn):
                    self.returns.append(refund)
                if order.status in _SHIPPED:
                    self.tracking[sn] = f"TW{_epoch(order.ordered_at) % 10**9:09d}"
                sns.append(sn)
            return sns

    def change(self, order_id: str, **fields: Any) -> None:
        """Edit an order as Shopee would; its update_time becomes now."""
        with self.lock:
            self.orders[order_id].update(fields)
            self.orders[order_id]["update_time"] = int(time.time())

    def request_return(self, order_sn: str, items: list[tuple[str, int]], *,
                       reason: str = "ITEM_DAMAGED", text: str = "") -> str:
        """The buyer asks to return `items` (SKU, pieces); returns the return_sn."""
        with self.lock:
            now = int(time.time())
            return_sn = f"R{order_sn}{next(self._return_serial):03d}"
            self.returns.append({
                "return_sn": return_sn, "order_sn": order_sn, "status": "REQUESTED",
                "refund_amount": 0, "currency": self.orders[order_sn]["currency"],
                "reason": reason, "text_reason": text, "create_time": now, "update_time": now,
                "due_date": now + 3 * 86400, "item": self._return_items(order_sn, items)})
            self.change(order_sn)
            return return_sn

    def pay_return(self, return_sn: str, amount: Money) -> None:
        """Shopee refunds the buyer for a return (the seller agreed, or Shopee decided)."""
        with self.lock:
            record = next(r for r in self.returns if r["return_sn"] == return_sn)
            record.update(status="REFUND_PAID", refund_amount=_num(amount),
                          update_time=int(time.time()))
            self.change(record["order_sn"])

    def refund(self, order_sn: str, amount: Money, items: list[tuple[str, int]] = (), *,
               reason: str = "ITEM_DAMAGED", text: str = "") -> str:
        """A return refunded at once (refund only, the goods stay); returns the return_sn."""
        return_sn = self.request_return(order_sn, list(items), reason=reason, text=text)
        self.pay_return(return_sn, amount)
        return return_sn

    def _return_items(self, order_sn: str, items: list[tuple[str, int]]) -> list[dict[str, Any]]:
        listed = {i["item_sku"]: i for i in self.orders[order_sn]["item_list"]}
        return [{"item_id": listed[sku]["item_id"], "model_id": listed[sku]["model_id"],
                 "name": listed[sku]["item_name"], "item_sku": sku, "variation_sku": "",
                 "amount": pieces, "item_price": listed[sku]["model_discounted_price"],
                 "is_add_on_deal": False, "is_main_item": False, "images": []}
                for sku, pieces in items]

    def expire_access_token(self) -> None:
        """The access token's four hours are over."""
        with self.lock:
            self.access_token = f"expired-{self.access_token}"

    def start(self) -> str:
        url = super().start()
        # The shared server writes headers and body separately; with Nagle's algorithm and
        # delayed ACKs each reply then waits ~40 ms, which a sync of many calls feels.
        assert self._server
        handler: Any = self._server.RequestHandlerClass
        handler.disable_nagle_algorithm = True
        return url

    def throttle_reply(self, wait_s: float) -> SandboxReply:
        # Shopee answers over-limit calls with an error body, not a Retry-After header.
        return _error("error_rate_limit", "Too many requests, please try again later.")

    # --- auth ----------------------------------------------------------------------------
    def _check_sign(self, request: SandboxRequest, *parts: object) -> SandboxReply | None:
        if request.arg("partner_id") != PARTNER_ID:
            return _error("error_auth", "Invalid partner_id.", 403)
        timestamp = request.arg("timestamp") or "0"
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return _error("error_auth", "Timestamp is expired.", 403)
        if request.arg("sign") != _sign(PARTNER_ID, request.path, timestamp, *parts):
            return _error("error_sign", "Wrong sign.", 403)
        return None

    def _check_shop(self, request: SandboxRequest) -> SandboxReply | None:
        token, shop = request.arg("access_token") or "", request.arg("shop_id") or ""
        if refused := self._check_sign(request, token, shop):
            return refused
        if shop != SHOP_ID:
            return _error("error_auth", "Invalid shop_id.", 403)
        if token != self.access_token:
            return _error("invalid_acceess_token", "Invalid access_token.", 403)
        return None

    def _refresh(self, request: SandboxRequest) -> SandboxReply:
        if refused := self._check_sign(request):
            return refused
        body = request.json() or {}
        if body.get("refresh_token") != self.refresh_token or str(body.get("shop_id")) != SHOP_ID:
            return _error("error_auth", "Invalid refresh_token.", 403)
        n = next(self._tokens)
        self.access_token = f"sandbox-access-{n:04d}"
        self.refresh_token = f"sandbox-refresh-{n:04d}"
        self.refreshes += 1
        return SandboxReply(200, {"error": "", "message": "", "request_id": f"refresh{n}",
                                  "access_token": self.access_token,
                                  "refresh_token": self.refresh_token, "expire_in": 14400,
                                  "partner_id": int(PARTNER_ID), "shop_id": int(SHOP_ID)})

    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(s["order_sn"], s["tracking_number"]) for s in self.shipments]

    def route(self, request: SandboxRequest) -> SandboxReply:
        if request.path == TOKEN_PATH and request.method == "POST":
            return self._refresh(request)
        handler = {
            ("GET", "/api/v2/order/get_order_list"): self._list,
            ("GET", "/api/v2/order/get_order_detail"): self._detail,
            ("GET", "/api/v2/returns/get_return_list"): self._return_list,
            ("GET", "/api/v2/logistics/get_tracking_number"): self._tracking,
            ("POST", "/api/v2/logistics/ship_order"): self._ship,
        }.get((request.method, request.path))
        if handler is None:
            return _error("error_not_found", f"Wrong path {request.path}.", 404)
        return self._check_shop(request) or handler(request)

    # --- orders --------------------------------------------------------------------------
    def _list(self, request: SandboxRequest) -> SandboxReply:
        field = request.arg("time_range_field")
        time_from, time_to = request.arg("time_from", ""), request.arg("time_to", "")
        page_size = request.arg("page_size", "")
        if field not in ("create_time", "update_time") or not (time_from + time_to).isdigit():
            return _error("error_param", "time_range_field, time_from and time_to are required.")
        if not 0 <= int(time_to) - int(time_from) <= MAX_RANGE_S:
            return _error("order.order_list_invalid_time", "The time range is at most 15 days.")
        if not page_size.isdigit() or not 1 <= int(page_size) <= 100:
            return _error("error_param", "page_size should be between 1 and 100.")
        wanted = request.arg("order_status")
        matching = sorted((o[field], sn) for sn, o in self.orders.items()
                          if int(time_from) <= o[field] <= int(time_to)
                          and (not wanted or o["order_status"] == wanted))
        offset, size = int(request.arg("cursor") or 0), int(page_size)
        chunk = matching[offset:offset + size]
        with_status = "order_status" in (request.arg("response_optional_fields") or "")
        more = offset + size < len(matching)
        listed = [{"order_sn": sn} for _, sn in chunk]
        if with_status:
            for item in listed:
                item["order_status"] = self.orders[item["order_sn"]]["order_status"]
        return _ok({"more": more, "next_cursor": str(offset + size) if more else "",
                    "order_list": listed})

    def _detail(self, request: SandboxRequest) -> SandboxReply:
        sns = [sn for sn in (request.arg("order_sn_list") or "").split(",") if sn]
        if not 1 <= len(sns) <= 50:
            return _error("error_param", "order_sn_list should have 1 to 50 order_sn.")
        asked = set((request.arg("response_optional_fields") or "").split(","))
        shown = [{k: v for k, v in self.orders[sn].items()
                  if k not in OPTIONAL_FIELDS or k in asked} for sn in sns if sn in self.orders]
        return _ok({"order_list": shown})

    def _return_list(self, request: SandboxRequest) -> SandboxReply:
        page_no, page_size = int(request.arg("page_no", "0")), int(request.arg("page_size", "10"))
        low = int(request.arg("update_time_from") or 0)
        high = int(request.arg("update_time_to") or 2**40)
        matching = sorted((r for r in self.returns if low <= r["update_time"] <= high),
                          key=lambda r: (r["update_time"], r["return_sn"]))
        chunk = matching[page_no * page_size:(page_no + 1) * page_size]
        return _ok({"more": (page_no + 1) * page_size < len(matching), "return": chunk})

    # --- logistics -----------------------------------------------------------------------
    def _tracking(self, request: SandboxRequest) -> SandboxReply:
        sn = request.arg("order_sn") or ""
        if sn not in self.orders:
            return _error("logistics.order_not_found", f"Order {sn} not found.")
        return _ok({"tracking_number": self.tracking.get(sn, ""), "plp_number": "",
                    "first_mile_tracking_number": "", "last_mile_tracking_number": ""})

    def _ship(self, request: SandboxRequest) -> SandboxReply:
        body = request.json() or {}
        sn = body.get("order_sn", "")
        number = (body.get("non_integrated") or {}).get("tracking_number", "")
        order = self.orders.get(sn)
        if order is None:
            return _error("logistics.order_not_found", f"Order {sn} not found.")
        if not number:
            return _error("error_param", "non_integrated.tracking_number is required.")
        if order["order_status"] not in ("READY_TO_SHIP", "RETRY_SHIP"):
            return _error("logistics.order_status_error",
                          f"Order status {order['order_status']} can not be shipped.")
        self.tracking[sn] = number
        self.shipments.append({"order_sn": sn, "tracking_number": number})
        self.change(sn, order_status="SHIPPED")
        return _ok({})


SECRETS = {"partner_id": PARTNER_ID, "partner_key": PARTNER_KEY, "access_token": ACCESS_TOKEN,
           "refresh_token": REFRESH_TOKEN}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url`."""
    return {"api_base": url, "shop_id": SHOP_ID, "region": "TW"}
