"""The Coupang sandbox's shop: its boxes and claim records, seeded from the demo generator,
and what buyers and Coupang do to them (tests and the demo call these; the HTTP side is in
fulfill.sandboxes.coupang)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from fulfill.domain import Order, OrderStatus, Platform
from fulfill.sandboxes import coupang_data as cd
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox

# The demo generator spreads orders over about half a year; a Coupang seller's API window
# is what matters, so the sandbox's orders are placed within the last two months.
SQUEEZE = 3


class CoupangShop(Sandbox):
    def __init__(self, orders: int, *, rate: float | None, seed: int, vendor_id: str) -> None:
        super().__init__(rate=rate)
        self.vendor_id = vendor_id
        self.boxes: dict[int, dict[str, Any]] = {}
        self.hidden: set[int] = set()  # returned or cancelled: not in the lists any more
        self.returns: dict[int, dict[str, Any]] = {}
        self.exchanges: dict[int, dict[str, Any]] = {}
        self.withdrawals: list[dict[str, Any]] = []
        self.invoices: list[dict[str, Any]] = []  # every invoice accepted: the write-backs
        self.acknowledged: list[int] = []
        self._box_ids = count(700_000_013, 17)
        self._order_ids = count(2_100_000_007_919, 7_919)
        self._receipt_ids = count(50_300_011, 11)
        self._exchange_ids = count(101_400_007, 7)
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- seeding -------------------------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[int]:
        """`n` new boxes (fulfill orders); an order that leaves from two places has two.
        `placed_now` ones were just paid (ACCEPT). Returns the box ids."""
        now = datetime.now(UTC)
        made: list[int] = []
        with self.lock:
            orders = sorted(sample_orders(Platform.COUPANG, n, seed=seed, now=now),
                            key=lambda o: o.ordered_at)
            for k, order in enumerate(orders):
                if len(made) >= n:
                    break
                if placed_now:
                    order.ordered_at, order.status = now - timedelta(seconds=90), \
                        OrderStatus.AWAITING_SHIPMENT
                else:
                    order.ordered_at = min(now - (now - order.ordered_at) / SQUEEZE,
                                           now - timedelta(minutes=5))
                made += self._add(order, k, now, placed_now, split=n - len(made) >= 2)
        return made

    def _add(self, order: Order, k: int, now: datetime, placed_now: bool, split: bool
             ) -> list[int]:
        status = "ACCEPT" if placed_now else cd.status_for(order.status, k)
        order_id = next(self._order_ids)
        shipping = order.shipping.minor if order.shipping else 0
        groups = [(order.lines, shipping)]
        if split and len(order.lines) >= 3 and k % 4 == 0 and order.status in (
                OrderStatus.AWAITING_SHIPMENT, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            groups = [(order.lines[:1], shipping), (order.lines[1:], 0)]  # two places
        ids = []
        for lines, fee in groups:
            box_id = next(self._box_ids)
            self.boxes[box_id] = cd.render_box(order, order_id, box_id, lines, fee, status, now)
            ids.append(box_id)
        if order.discount and order.discount.minor:
            self.boxes[ids[0]]["orderItems"][0]["discountPrice"] = order.discount.minor
        if not placed_now:
            self._seed_claims(order.status, ids[0], min(order.ordered_at + timedelta(days=4),
                                                        now - timedelta(minutes=1)))
        return ids

    def _seed_claims(self, status: OrderStatus, box_id: int, at: datetime) -> None:
        """The claim records behind a demo order's status."""
        box = self.boxes[box_id]
        pieces = sum(i["shippingCount"] for i in box["orderItems"])
        if status is OrderStatus.ON_HOLD:
            self.request_stop(box_id, at=at)
        elif status is OrderStatus.CANCELLED:
            self.cancel(box_id, at=at)
        elif status is OrderStatus.REFUNDED:
            self.complete_return(self.request_return(box_id, at=at, reasons=(
                "상품불량", "사용중 제품결함", "하루 만에 고장났어요")))
        elif status is OrderStatus.PARTIALLY_REFUNDED and pieces > 1:
            first = box["orderItems"][0]
            self.complete_return(self.request_return(
                box_id, [(first["externalVendorSkuCode"], 1)], at=at))
        elif status is OrderStatus.PARTIALLY_REFUNDED:
            self.request_return(box_id, at=at)
        elif status is OrderStatus.DELIVERED and box_id % 19 == 0:  # another size, please
            first = box["orderItems"][0]
            self.request_exchange(box_id, [(first["externalVendorSkuCode"], 1)], at=at)

    # --- what buyers and Coupang do ------------------------------------------------------
    def change(self, box_id: int, **fields: Any) -> None:
        """Edit a box as Coupang would; a new `status` brings the times it implies."""
        with self.lock:
            box = self.boxes[box_id]
            status = fields.pop("status", None)
            box.update(fields)
            if status:
                cd.move(box, status, datetime.now(UTC))

    def _items(self, box: dict[str, Any], items: list[tuple[str, int]] | None
               ) -> list[tuple[int, int]]:
        """(SKU, pieces) -> (vendorItemId, pieces); None means every piece of the box."""
        if items is None:
            return [(i["vendorItemId"], i["shippingCount"] - i["cancelCount"])
                    for i in box["orderItems"] if i["shippingCount"] > i["cancelCount"]]
        by_sku = {i["externalVendorSkuCode"]: i["vendorItemId"] for i in box["orderItems"]}
        return [(by_sku[sku], n) for sku, n in items]

    def cancel(self, box_id: int, *, at: datetime | None = None) -> int:
        """The buyer cancels a paid box before it is prepared (취소, cancelType=CANCEL)."""
        with self.lock:
            box, at = self.boxes[box_id], at or datetime.now(UTC)
            receipt = next(self._receipt_ids)
            self.returns[receipt] = cd.return_record(
                receipt, box, self._items(box, None), at=at, receipt_type="CANCEL",
                status="RETURNS_COMPLETED", reasons=("고객변심", "단순변심(사유없음)", ""))
            self._cancel_items(box, self._items(box, None))
            return receipt

    def _cancel_items(self, box: dict[str, Any], items: list[tuple[int, int]]) -> None:
        for item in box["orderItems"]:
            item["cancelCount"] += sum(n for i, n in items if i == item["vendorItemId"])
            item["holdCountForCancel"] = 0
            item["canceled"] = item["cancelCount"] >= item["shippingCount"]
        if all(item["canceled"] for item in box["orderItems"]):
            self.hidden.add(box["shipmentBoxId"])

    def request_stop(self, box_id: int, *, at: datetime | None = None) -> int:
        """The buyer cancels a box being prepared: 출고중지요청, for the seller to answer."""
        with self.lock:
            box, at = self.boxes[box_id], at or datetime.now(UTC)
            receipt = next(self._receipt_ids)
            items = self._items(box, None)
            self.returns[receipt] = cd.return_record(
                receipt, box, items, at=at, status="RELEASE_STOP_UNCHECKED", stop="미처리",
                reasons=("고객변심", "다른 상품 구매", "주문 실수"))
            for item in box["orderItems"]:
                item["holdCountForCancel"] = sum(n for i, n in items if i == item["vendorItemId"])
            return receipt

    def stop_shipment(self, receipt_id: int) -> None:
        """The seller stops the shipment (처리(출고중지)): the pieces are cancelled."""
        with self.lock:
            record = self.returns[receipt_id]
            record.update(receiptStatus="RETURNS_COMPLETED", releaseStopStatus="처리(출고중지)",
                          modifiedAt=cd.kst(datetime.now(UTC)))
            box = self.boxes[record["returnItems"][0]["shipmentBoxId"]]
            self._cancel_items(box, [(i["vendorItemId"], i["cancelCount"])
                                     for i in record["returnItems"]])

    def request_return(self, box_id: int, items: list[tuple[str, int]] | None = None, *,
                       at: datetime | None = None,
                       reasons: tuple[str, str, str] = ("고객변심", "단순변심(사유없음)", "")
                       ) -> int:
        """The buyer asks to send back `items` (SKU, pieces; None: all). Returns receiptId."""
        with self.lock:
            box, at = self.boxes[box_id], at or datetime.now(UTC)
            receipt = next(self._receipt_ids)
            self.returns[receipt] = cd.return_record(receipt, box, self._items(box, items),
                                                     at=at, reasons=reasons)
            return receipt

    def complete_return(self, receipt_id: int) -> None:
        """The goods came back and Coupang refunded the buyer (반품완료). A box with every
        piece returned drops out of the order-sheet lists."""
        with self.lock:
            record = self.returns[receipt_id]
            record.update(receiptStatus="RETURNS_COMPLETED",
                          modifiedAt=cd.kst(max(datetime.now(UTC),
                                                cd.from_kst(record["createdAt"]))))
            box_id = record["returnItems"][0]["shipmentBoxId"]
            box = self.boxes[box_id]
            back = sum(i["cancelCount"] for r in self.returns.values()
                       if r["receiptType"] == "RETURN" and r["receiptStatus"] == "RETURNS_COMPLETED"
                       for i in r["returnItems"] if i["shipmentBoxId"] == box_id)
            if back >= sum(i["shippingCount"] - i["cancelCount"] for i in box["orderItems"]):
                self.hidden.add(box_id)

    def withdraw_return(self, receipt_id: int, *, at: datetime | None = None) -> None:
        """The buyer withdraws a return request: it leaves the return list and a
        returnWithdrawRequests record names it (cancelId = its receiptId)."""
        with self.lock:
            record = self.returns.pop(receipt_id)
            self.withdrawals.append(cd.withdrawal_record(
                receipt_id, record["orderId"], [i["vendorItemId"] for i in record["returnItems"]],
                at or datetime.now(UTC), self.vendor_id))

    def request_exchange(self, box_id: int, items: list[tuple[str, int]], *,
                         reason_code: str = "DIFFERENTOPT",
                         reason_text: str = "색상/ 사이즈가 기대와 다름",
                         detail: str = "", at: datetime | None = None) -> int:
        """The buyer asks for other goods in place of `items`. Returns the exchangeId."""
        with self.lock:
            box, at = self.boxes[box_id], at or datetime.now(UTC)
            exchange_id = next(self._exchange_ids)
            self.exchanges[exchange_id] = cd.exchange_record(
                exchange_id, box, self._items(box, items), at=at, reason_code=reason_code,
                reason_text=reason_text, detail=detail)
            self.exchanges[exchange_id]["vendorId"] = self.vendor_id
            return exchange_id

    def withdraw_exchange(self, exchange_id: int) -> None:
        """The buyer withdraws the exchange request (철회)."""
        with self.lock:
            self.exchanges[exchange_id].update(
                exchangeStatus="CANCEL", exchangeStatusLabel="CANCEL", cancelReason="고객 철회",
                modifiedAt=cd.kst(datetime.now(UTC)))
