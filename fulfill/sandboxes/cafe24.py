"""A Cafe24 mall on loopback: OAuth (cafe24_oauth: a registered redirect URI, the token endpoint
with HTTP Basic, rotating refresh tokens), the admin orders list with Cafe24's filters and
limits (shop_no, date_type, start/end dates under 3 months, limit ≤ 1000, offset ≤ 15000,
embed), one order, the refunds list, the mall's carriers, and the shipments write-back that
refuses what Cafe24 refuses. The leaky bucket (40 calls draining 2 per second by default)
answers 429 when full and sends X-Api-Call-Limit on every answer; exhaust_usage() plays the
usage limit with X-Cafe24-Call-Remain. Errors come as {"error": {"code", "message"}}.
"""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC, date, datetime, time as day_time, timedelta
from itertools import count
from typing import Any
from urllib.parse import urlencode

from fulfill.channels.money_time import KST
from fulfill.channels.ratelimit import RATE_SETTING
from fulfill.domain import Money, OrderStatus, Platform
from fulfill.sandboxes import cafe24_payloads as payloads
from fulfill.sandboxes.cafe24_oauth import (
    ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, MALL_ID, REFRESH_TOKEN, OAuthEndpoints,
)
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

DATE_TYPES = frozenset({
    "order_date", "pay_date", "shipbegin_date", "shipend_date", "cancel_date", "place_date",
    "cancel_request_date", "cancel_accept_date", "cancel_complete_date",
    "exchange_request_date", "exchange_accept_date", "exchange_complete_date",
    "return_request_date", "return_accept_date", "return_complete_date",
    "purchaseconfirmation_date"})
EMBEDS = frozenset({"items", "receivers", "buyer", "return", "cancellation", "exchange"})
CARRIERS = (  # the sandbox mall's registered carriers (its own codes)
    (1, "0001", "자체배송"), (2, "0015", "우체국 EMS"), (3, "0027", "K-Packet"),
    (4, "0019", "CJ대한통운"), (5, "0004", "롯데택배"), (6, "0003", "한진택배"),
    (7, "0016", "DHL"))
# How fast the stand-in's bucket drains, calls a second. Cafe24's own 2 a second would make a
# newcomer's second sync of the five sample shops (11 searches each) take half a minute; the
# sandbox accounts ask for this rate instead. Tests of the limit pass Cafe24's figure.
DEMO_DRAIN_PER_S = 40
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ORDER_PATH = re.compile(r"/api/v2/admin/orders/([0-9]{8}-[0-9]{7})(/shipments)?")
_UNDONE = {"cancellation": "Cancellation", "return": "Return", "exchange": "Exchange"}


def _error(status: int, message: str) -> SandboxReply:
    return SandboxReply(status, {"error": {"code": status, "message": message, "more_info": {}}})


def _ok(body: Any, status: int = 200) -> SandboxReply:
    # Serialised here, under the sandbox's lock: tests may change orders meanwhile.
    return SandboxReply(status, json.dumps(body, ensure_ascii=False).encode())


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    if not _DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _three_months_after(start: date) -> date:
    month = start.month + 3
    year, month = start.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(start.day, 28))


def _search(request: SandboxRequest) -> tuple[int, date | None, date | None, int, int]:
    """shop_no, start_date, end_date, limit and offset of a list call, with Cafe24's defaults;
    ValueError when one is not a number or a date."""
    return (int(request.arg("shop_no", "1") or 1), _day(request.arg("start_date")),
            _day(request.arg("end_date")), int(request.arg("limit", "10") or 10),
            int(request.arg("offset", "0") or 0))


def _kst_range(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, day_time(), KST),
            datetime.combine(end + timedelta(days=1), day_time(), KST))


class Cafe24Sandbox(OAuthEndpoints, Sandbox):
    label = "cafe24"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7,
                 bucket: int = 40) -> None:
        super().__init__()  # Cafe24's own bucket, below, instead of the shared limiter
        self.drain, self.bucket_size = rate or DEMO_DRAIN_PER_S, bucket
        self.level, self._leaked_at = 0.0, time.monotonic()
        self.orders: dict[str, dict[str, Any]] = {}
        self.events: dict[str, payloads.Events] = {}
        self.refunds: list[dict[str, Any]] = []
        self.shipments: dict[str, list[dict[str, Any]]] = {}
        self.shipment_posts: list[dict[str, Any]] = []  # every accepted write-back request
        self.carriers_forbidden = False  # the app lacks mall.read_shipping
        self.access_tokens: dict[str, float | None] = {ACCESS_TOKEN: None}  # -> expiry
        self.refresh_tokens = {REFRESH_TOKEN}
        self.redirect_uris: set[str] = set()
        self.codes: dict[str, tuple[str, float]] = {}  # code -> (redirect_uri, expiry)
        self.refreshes = 0
        self.api_versions: list[str | None] = []  # X-Cafe24-Api-Version of each admin call
        self.usage_blocked_until, self.blocked_calls = 0.0, 0
        self._claims, self._tokens, self._numbers = count(1), count(2), count(9_000_001)
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- what tests and the demo drive ------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[str]:
        """New orders (with the claims their status implies); `placed_now` as if just
        placed."""
        with self.lock:
            ids = []
            for index, order in enumerate(sample_orders(Platform.CAFE24, n, seed=seed)):
                if placed_now:
                    order.ordered_at = order.updated_at = datetime.now(UTC)
                order_id = order.platform_order_id
                if placed_now or order_id in self.orders:
                    day = order.ordered_at.astimezone(KST).strftime("%Y%m%d")
                    order_id = f"{day}-{next(self._numbers):07d}"
                payload, events = payloads.render(order, order_id, index)
                self.orders[order_id], self.events[order_id] = payload, events
                self._seed_claims(order_id, order.status, order.updated_at or order.ordered_at)
                parcels: dict[str, list[dict[str, Any]]] = {}
                for item in payload["items"]:
                    if item["tracking_no"]:
                        parcels.setdefault(item["shipping_code"], []).append(item)
                for shipping_code, items in parcels.items():
                    self._record_shipment(order_id, shipping_code, items[0]["tracking_no"],
                                          items[0]["shipping_company_code"],
                                          [i["order_item_code"] for i in items], "shipping",
                                          order.updated_at or order.ordered_at)
                ids.append(order_id)
            return ids

    def _seed_claims(self, order_id: str, status: OrderStatus, at: datetime) -> None:
        payload = self.orders[order_id]
        paid = Money.parse(payload["payment_amount"], payload["currency"])
        if status is OrderStatus.CANCELLED:
            self._cancel(order_id, "A", "Ordered by mistake", at)
        elif status is OrderStatus.ON_HOLD and payload["items"][0]["order_status"] == "C00":
            self._open(order_id, "C", None, "C00", "A", "Want to change the colour",
                       at - timedelta(hours=2), status_before="N20")
        elif status in (OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED):
            items = payload["items"]
            if status is OrderStatus.REFUNDED:
                pieces, refund = None, paid
            else:
                first = items[0]
                line = Money.parse(first["product_price"], payload["currency"]) * first["quantity"]
                pieces = [(first["order_item_code"], first["quantity"])]
                refund = Money(min(line.minor, paid.minor // 2), paid.currency)
            ordered = datetime.fromisoformat(payload["order_date"])
            claim = self._open(order_id, "R", pieces, "R00", "V", "Arrived damaged",
                               at - (at - ordered) / 4)
            self._complete_return(claim, refund, at)

    def _claim_code(self, letter: str, at: datetime) -> str:
        return f"{letter}{at.astimezone(KST):%Y%m%d}-{next(self._claims):07d}"

    def _open(self, order_id: str, letter: str, pieces: list[tuple[str, int]] | None,
              status: str, reason_type: str, reason: str, at: datetime,
              status_before: str | None = None) -> str:
        payload = self.orders[order_id]
        pieces = pieces or [(i["order_item_code"], i["quantity"]) for i in payload["items"]]
        code = self._claim_code(letter, at)
        payloads.open_claim(payload, self.events[order_id], letter, code, pieces, status,
                            reason_type, reason, at)
        if status_before:
            for item in payloads.claim_items(payload, code):
                item["order_status_before_cs"] = status_before
        return code

    def _order_of(self, claim_code: str) -> str:
        return next(oid for oid, p in self.orders.items()
                    if any(i["claim_code"] == claim_code for i in p["items"]))

    def _cancel(self, order_id: str, reason_type: str, reason: str, at: datetime) -> str:
        payload = self.orders[order_id]
        open_claim = next((i["claim_code"] for i in payload["items"]
                           if i["order_status"] in ("C00", "C10")), None)
        code = open_claim or self._open(order_id, "C", None, "C10", reason_type, reason, at)
        _, record = payloads.find_record(payload, code)
        record["status"] = "canceled"
        items = payloads.claim_items(payload, code)
        paid = payload["paid"] == "T"
        payloads.set_status(payload, [i["order_item_code"] for i in items],
                            "C40" if paid else "C49")
        for item in items:
            item["cancel_date"] = payloads.kst_plain(at)
        payload.update(canceled="T", cancel_date=payloads.kst_iso(at))
        self.events[order_id].setdefault("cancel_date", []).append(at)
        self.events[order_id].setdefault("cancel_complete_date", []).append(at)
        if paid:
            left = Money.parse(payload["actual_order_amount"]["payment_amount"],
                               payload["currency"])
            self.refunds.append(payloads.pay_refund(payload, record, left, at))
        return code

    def _complete_return(self, claim_code: str, refund: Money | None, at: datetime) -> None:
        order_id = self._order_of(claim_code)
        payload = self.orders[order_id]
        _, record = payloads.find_record(payload, claim_code)
        record.update(status="returned", pickup_completed="T")
        codes = [i["order_item_code"] for i in payloads.claim_items(payload, claim_code)]
        payloads.set_status(payload, codes, "R41")
        self.events[order_id].setdefault("return_complete_date", []).append(at)
        if refund is not None:
            self._pay_refund(claim_code, refund, at)

    def _pay_refund(self, claim_code: str, refund: Money, at: datetime) -> None:
        order_id = self._order_of(claim_code)
        payload = self.orders[order_id]
        _, record = payloads.find_record(payload, claim_code)
        items = payloads.claim_items(payload, claim_code)
        letter = claim_code[0]
        payloads.set_status(payload, [i["order_item_code"] for i in items],
                            {"R": "R40", "E": "E35"}.get(letter, "C40"))
        self.refunds.append(payloads.pay_refund(payload, record, refund, at))

    def request_cancel(self, order_id: str, *, reason_type: str = "A", reason: str = "") -> str:
        """The buyer asks to cancel (C00); returns the claim code."""
        with self.lock:
            status = self.orders[order_id]["items"][0]["order_status"]
            return self._open(order_id, "C", None, "C00", reason_type, reason,
                              datetime.now(UTC), status_before=status)

    def cancel(self, order_id: str, *, reason_type: str = "A", reason: str = "") -> str:
        """The order is cancelled (C40) and the buyer refunded; returns the claim code."""
        with self.lock:
            return self._cancel(order_id, reason_type, reason, datetime.now(UTC))

    def request_return(self, order_id: str, pieces: list[tuple[str, int]] | None = None, *,
                       reason_type: str = "V", reason: str = "Arrived damaged") -> str:
        """The buyer asks to return (order_item_code, quantity) pieces; all when None."""
        with self.lock:
            return self._open(order_id, "R", pieces, "R00", reason_type, reason, datetime.now(UTC))

    def request_exchange(self, order_id: str, pieces: list[tuple[str, int]] | None = None, *,
                         reason_type: str = "O", reason: str = "Wrong size") -> str:
        with self.lock:
            return self._open(order_id, "E", pieces, "E00", reason_type, reason, datetime.now(UTC))

    def complete_return(self, claim_code: str, refund: Money | None = None) -> None:
        """The goods came back (R41), and with `refund` the money went back too (R40)."""
        with self.lock:
            self._complete_return(claim_code, refund, datetime.now(UTC))

    def pay_refund(self, claim_code: str, refund: Money) -> None:
        """The refund of a returned claim is paid later (R41 -> R40): only GET /refunds
        dates it, no orders date_type does."""
        with self.lock:
            self._pay_refund(claim_code, refund, datetime.now(UTC))

    def withdraw(self, claim_code: str) -> None:
        """The buyer withdraws the request: the items go back, request_undone says so."""
        with self.lock:
            payload = self.orders[self._order_of(claim_code)]
            key, record = payloads.find_record(payload, claim_code)
            record["undone"] = "T"
            for item in payloads.claim_items(payload, claim_code):
                item.update(order_status=item["order_status_before_cs"] or "N40",
                            request_undone=_UNDONE[key])

    def set_status(self, order_id: str, code: str, date_type: str | None = None) -> None:
        """Every item to `code`; `date_type` names the event Cafe24 dates it by, if any."""
        with self.lock:
            payload = self.orders[order_id]
            payloads.set_status(payload, [i["order_item_code"] for i in payload["items"]], code)
            if date_type:
                self.events[order_id].setdefault(date_type, []).append(datetime.now(UTC))

    def change(self, order_id: str, date_type: str | None = None, **fields: Any) -> None:
        """Edit order fields; `date_type` names the dated event that goes with the edit."""
        with self.lock:
            self.orders[order_id].update(fields)
            if date_type:
                self.events[order_id].setdefault(date_type, []).append(datetime.now(UTC))

    def expire_access_tokens(self) -> None:
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = time.time() - 1

    def exhaust_usage(self, seconds: float) -> None:
        """The app used up its usage allowance: calls are refused for `seconds`."""
        with self.lock:
            self.usage_blocked_until = time.monotonic() + seconds

    def _record_shipment(self, order_id: str, shipping_code: str, tracking: str, code: str,
                         item_codes: list[str], status: str, at: datetime) -> None:
        shipments = self.shipments.setdefault(order_id, [])
        if any(s["shipping_code"] == shipping_code for s in shipments):
            return
        shipments.append({"shop_no": self.orders[order_id]["shop_no"],
                          "shipping_code": shipping_code, "order_id": order_id,
                          "tracking_no": tracking, "tracking_no_updated_date": payloads.kst_iso(at),
                          "shipping_company_code": code,
                          "items": [{"order_item_code": c, "status": status} for c in item_codes]})

    # --- serving ----------------------------------------------------------------------------
    def _take(self) -> int | None:
        """One call into the bucket: how full it is then, or None when it is full."""
        now = time.monotonic()
        self.level = max(0.0, self.level - (now - self._leaked_at) * self.drain)
        self._leaked_at = now
        if self.level + 1 > self.bucket_size:
            return None
        self.level += 1
        return math.ceil(self.level)

    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(post["order_id"], str(post["tracking_no"])) for post in self.shipment_posts]

    def route(self, request: SandboxRequest) -> SandboxReply:
        if request.path == "/api/v2/oauth/authorize" and request.method == "GET":
            return self._authorize(request)
        if request.path == "/api/v2/oauth/token" and request.method == "POST":
            return self._token(request)
        if not request.path.startswith("/api/v2/admin/"):
            return _error(404, "No API found or resource not found.")
        used = self._take()
        if used is None:
            self.throttled += 1
            reply = _error(429, "Too Many Requests.")
            reply.headers["X-Api-Call-Limit"] = f"{self.bucket_size}/{self.bucket_size}"
            return reply
        limit = {"X-Api-Call-Limit": f"{used}/{self.bucket_size}"}
        now = time.monotonic()
        if now < self.usage_blocked_until:
            self.throttled += 1
            self.blocked_calls += 1
            self.usage_blocked_until += 0.5  # calling on while blocked makes the wait longer
            reply = _error(429, "API usage limit exceeded.")
            reply.headers.update(limit, **{
                "X-Cafe24-Call-Usage": "120.04",
                "X-Cafe24-Call-Remain": str(math.ceil(self.usage_blocked_until - now))})
            return reply
        reply = self._admin(request)
        usage = f"{used / self.bucket_size * 100:.2f}"
        reply.headers.update(limit, **{"X-Cafe24-Call-Usage": usage, "X-Cafe24-Time-Usage": "0.50"})
        return reply

    def _admin(self, request: SandboxRequest) -> SandboxReply:
        version = request.headers.get("x-cafe24-api-version")
        self.api_versions.append(version)
        if version is not None and not _DATE.fullmatch(version):
            return _error(400, f"X-Cafe24-Api-Version {version} is not a version (YYYY-MM-DD).")
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        if token not in self.access_tokens:
            return _error(401, "Invalid access_token. (invalid_token)")
        expiry = self.access_tokens[token]
        if expiry is not None and time.time() >= expiry:
            return _error(401, "access_token time expired. (invalid_token)")
        if request.path == "/api/v2/admin/orders" and request.method == "GET":
            return self._list(request)
        if request.path == "/api/v2/admin/refunds" and request.method == "GET":
            return self._refund_list(request)
        if request.path == "/api/v2/admin/carriers" and request.method == "GET":
            if self.carriers_forbidden:
                return _error(403, "Insufficient scope. (mall.read_shipping)")
            return _ok({"carriers": [
                {"shop_no": int(request.arg("shop_no", "1") or 1), "carrier_id": cid,
                 "shipping_carrier_code": code, "shipping_carrier": name,
                 "track_shipment_url": None, "shipping_type": "B",
                 "default_shipping_carrier": "T" if cid == 2 else "F"}
                for cid, code, name in CARRIERS]})
        match = _ORDER_PATH.fullmatch(request.path)
        if not match:
            return _error(404, "No API found or resource not found.")
        order_id, shipments = match.groups()
        try:
            body = request.json() if request.method == "POST" else None
            shop = int((body or {}).get("shop_no") or request.arg("shop_no", "1") or 1)
        except (ValueError, TypeError, AttributeError):
            return _error(400, "The request body is not JSON.")
        payload = self.orders.get(order_id)
        if payload is None or payload["shop_no"] != shop:
            return _error(404, "No API found or resource not found.")
        if not shipments and request.method == "GET":
            return _ok({"order": self._shown(payload, request.arg("embed"))})
        if shipments and request.method == "GET":
            return _ok({"shipments": self.shipments.get(order_id, [])})
        if shipments and request.method == "POST":
            return self._ship(order_id, body if isinstance(body, dict) else {})
        return _error(405, "Method not allowed.")

    @staticmethod
    def _shown(payload: dict[str, Any], embed: str | None) -> dict[str, Any]:
        asked = set((embed or "").split(","))
        return {k: v for k, v in payload.items() if k not in EMBEDS or k in asked}

    def _matching(self, order_id: str, date_type: str, span: tuple[datetime, datetime]) -> bool:
        low, high = span
        return any(low <= moment < high for moment in self.events[order_id].get(date_type, ()))

    def _list(self, request: SandboxRequest) -> SandboxReply:
        try:
            shop, start, end, limit, offset = _search(request)
        except ValueError as bad:
            return _error(422, f"A parameter is not valid ({bad}). Dates are YYYY-MM-DD.")
        ids = [i for i in (request.arg("order_id") or "").split(",") if i]
        date_type = request.arg("date_type") or "order_date"
        embed = request.arg("embed")
        if end is not None and start is None:
            return _error(422, "end_date must be used with start_date.")
        if not ids and (start is None or end is None):
            return _error(422, "start_date and end_date are required.")
        if start and end and (end < start or end >= _three_months_after(start)):
            return _error(422, "The search period must be under 3 months, end_date after "
                               "start_date.")
        if date_type not in DATE_TYPES or len(ids) > 100:
            return _error(422, "date_type or order_id is not valid.")
        if not 1 <= limit <= 1000 or not 0 <= offset <= 15000 or shop < 1:
            return _error(422, "limit must be 1-1000, offset 0-15000 and shop_no at least 1.")
        if embed and not set(embed.split(",")) <= EMBEDS:
            return _error(422, f"embed {embed} is not valid.")
        span = _kst_range(start, end) if start and end else None
        matching = [p for oid, p in self.orders.items()
                    if p["shop_no"] == shop and (not ids or oid in ids)
                    and (span is None or self._matching(oid, date_type, span))]
        matching.sort(key=lambda p: (p["order_date"], p["order_id"]), reverse=True)  # newest first
        chunk = matching[offset:offset + limit]
        body: dict[str, Any] = {"orders": [self._shown(p, embed) for p in chunk]}
        if offset + limit < len(matching):
            query = urlencode({**{k: v[0] for k, v in request.query.items()},
                               "offset": offset + limit})
            body["links"] = [{"rel": "next", "href": f"{self.url}{request.path}?{query}"}]
        return _ok(body)

    def _refund_list(self, request: SandboxRequest) -> SandboxReply:
        try:
            shop, start, end, limit, offset = _search(request)
        except ValueError as bad:
            return _error(422, f"A parameter is not valid ({bad}). Dates are YYYY-MM-DD.")
        date_type = request.arg("date_type") or "refund_date"
        if start is None or end is None or end < start:
            return _error(422, "start_date and end_date are required.")
        if date_type not in ("refund_date", "accepted_refund_date") or not 1 <= limit <= 500 \
                or not 0 <= offset <= 15000:
            return _error(422, "date_type, limit (1-500) or offset (0-15000) is not valid.")
        low, high = _kst_range(start, end)
        matching = [r for r in self.refunds if r["shop_no"] == shop
                    and low <= datetime.fromisoformat(r[date_type]) < high]
        matching.sort(key=lambda r: r[date_type], reverse=True)
        return _ok({"refunds": matching[offset:offset + limit]})

    def _ship(self, order_id: str, body: dict[str, Any]) -> SandboxReply:
        asked = body.get("request")
        if not isinstance(asked, dict):
            return _error(422, "request is required.")
        tracking, code = str(asked.get("tracking_no") or ""), asked.get("shipping_company_code")
        status = asked.get("status")
        if not tracking or len(tracking) > 40:
            return _error(422, "tracking_no is required (at most 40 characters).")
        carrier = next((name for _, c, name in CARRIERS if c == code), None)
        if carrier is None:
            return _error(422, f"shipping_company_code {code} is not a carrier of this mall.")
        if status not in ("standby", "shipping"):
            return _error(422, "status must be standby or shipping.")
        payload = self.orders[order_id]
        items = {i["order_item_code"]: i for i in payload["items"]}
        codes = asked.get("order_item_code") or list(items)
        if any(c not in items for c in codes):
            return _error(422, "order_item_code is not an item of the order.")
        stuck = sorted({items[c]["order_status"] for c in codes} - {"N10", "N20", "N21"})
        if stuck:
            return _error(422, f"The order status ({', '.join(stuck)}) does not allow shipping.")
        now = datetime.now(UTC)
        shipping_code = payloads.ship(payload, self.events[order_id], tracking, code, carrier, now,
                                      codes, "N30" if status == "shipping" else "N21")
        self._record_shipment(order_id, shipping_code, tracking, code, codes, status, now)
        self.shipment_posts.append({"order_id": order_id, "shop_no": body.get("shop_no"), **asked})
        return _ok({"shipments": [{"shop_no": payload["shop_no"], "shipping_code": shipping_code,
                                   "order_id": order_id, "status": status, "tracking_no": tracking,
                                   "shipping_company_code": code, "order_item_code": codes,
                                   "carrier_id": next(i for i, c, _ in CARRIERS if c == code)}]},
                   201)


SECRETS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "access_token": ACCESS_TOKEN,
           "refresh_token": REFRESH_TOKEN}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url` (its orders span about
    half a year, so the first sync reaches 200 days back)."""
    return {"api_base": url, "mall_id": MALL_ID, "shop_no": "1,2,3,4,5", "history_days": "200",
            RATE_SETTING: f"{DEMO_DRAIN_PER_S:g}"}
