"""A Naver Smart Store on loopback, speaking the Commerce API under /external:

- POST /v1/oauth2/token: client_credentials with the bcrypt client_secret_sign (checked
  against the application secret, timestamp valid 5 minutes), type SELF; a token lasts 3
  hours and the same one is handed out again while more than 30 minutes remain.
- GET …/product-orders/last-changed-statuses: lastChangedFrom..lastChangedTo (inclusive, at
  most 24 hours), sorted by change time then productOrderId, ≤300 (limitCount) with
  more.moreFrom + moreSequence; each product order listed once, at its last change.
- GET …/orders/{orderId}/product-order-ids, POST …/product-orders/query (≤300 ids).
- POST …/product-orders/confirm (발주확인, ≤30) and …/dispatch (발송 처리, ≤30): each
  product order succeeds or fails with Naver's error code (not paid, not confirmed, carrier
  code unknown, tracking number missing or already used…); accepted dispatches are recorded.
Gateway errors come as {"code": "GW.…", "message", "timestamp", "traceId"}: 401 GW.AUTHN for
a missing or expired token, 403 GW.IP_NOT_ALLOWED when the caller's IP is not registered
(allow_only), 429 GW.RATE_LIMIT over the rate (no Retry-After; GNCP-GW-RateLimit-* headers)
and GW.QUOTA_LIMIT on demand (limit_next). API errors are {"code", "message",
"invalidInputs"}; the token endpoint's refusal uses that form too (its exact body is not
documented in our sources).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from urllib.parse import parse_qs

import bcrypt

from fulfill.channels.ratelimit import RATE_SETTING
from fulfill.domain import OrderStatus, Platform
from fulfill.sandboxes.naver_orders import SHIPPED, kst, move_claim, open_claim, render
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

CLIENT_ID = "5Sandbox0Naver1Client2Id"
# A secret in the form Naver issues: a bcrypt salt, cost 04.
CLIENT_SECRET = "$2a$04$Kc1ZQ0VmY3Jl4dGx6SaNdO"
TOKEN_LIFE_S = 10_800
BASE = "/external/v1"
ORDERS = f"{BASE}/pay-order/seller"
IDS = re.compile(rf"^{ORDERS}/orders/(\d+)/product-order-ids$")
CARRIERS = frozenset({"CJGLS", "HYUNDAI", "HANJIN", "KGB", "EPOST", "KDEXP", "EMS", "DHL",
                      "FEDEX", "UPS", "USPS", "REGISTPOST", "ILYANG", "CHUNIL", "DAESIN",
                      "HDEXP", "KOREXG", "HLCGLOBAL", "CVSNET", "CUPARCEL", "TNT", "SFEX",
                      "QXPRESS", "CH1"})
METHODS = frozenset({"DELIVERY", "GDFW_ISSUE_SVC", "VISIT_RECEIPT", "DIRECT_DELIVERY",
                     "QUICK_SVC", "NOTHING"})
GATEWAY = {
    "GW.AUTHN": (401, "요청을 보낼 권한이 없습니다."),
    "GW.IP_NOT_ALLOWED": (403, "호출이 허용되지 않은 IP입니다."),
    "GW.NOT_FOUND": (404, "요청하신 리소스를 찾을 수 없습니다."),
    "GW.RATE_LIMIT": (429, "요청이 많아 서비스를 일시적으로 사용할 수 없습니다."),
    "GW.QUOTA_LIMIT": (429, "할당된 시간당 요청량을 초과하였습니다."),
}
CALLER_IP = "127.0.0.1"


def _trace() -> str:
    return f"sb1-{time.time_ns() % 10**6:06d}^{int(time.time() * 1000)}^1"


def gateway_error(code: str, headers: dict[str, str] | None = None) -> SandboxReply:
    status, message = GATEWAY[code]
    trace = _trace()
    return SandboxReply(status, {"code": code, "message": message,
                                 "timestamp": kst(datetime.now(UTC)), "traceId": trace},
                        {"GNCP-GW-Trace-ID": trace, **(headers or {})})


def invalid(name: str, message: str, status: int = 400) -> SandboxReply:
    return SandboxReply(status, {"code": "4000", "message": "잘못된 요청 파라미터",
                                 "timestamp": kst(datetime.now(UTC)), "traceId": _trace(),
                                 "invalidInputs": [{"name": name, "type": "Invalid",
                                                    "message": message}]})


def ok(data: Any) -> SandboxReply:
    return SandboxReply(200, {"timestamp": kst(datetime.now(UTC)), "traceId": _trace(),
                              "data": data})


def _moment(text: str | None) -> datetime | None:
    """An ISO date-time with offset, or None (Naver refuses one without)."""
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _now() -> datetime:
    """Now, to the millisecond: Naver's timestamps carry milliseconds."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class NaverSandbox(Sandbox):
    label = "naver"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7) -> None:
        super().__init__(rate=rate)
        self.items: dict[str, dict[str, Any]] = {}  # productOrderId -> query item
        self.changed: dict[str, tuple[datetime, str]] = {}  # -> (lastChangedDate, type)
        self.by_order: dict[str, list[str]] = {}
        self.tokens: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self.token_requests = 0
        self.allowed_ips: set[str] | None = None  # None: the allow-list is not checked
        self.confirms: list[str] = []
        self.dispatches: list[dict[str, Any]] = []  # every dispatch accepted: the write-backs
        self.listings: list[tuple[datetime, datetime, str]] = []  # (from, to, moreSequence)
        self._limits: deque[tuple[str, str]] = deque()
        self._product_orders = count(1)
        self._claims = count(1)
        self._tokens = count(1)
        self._to_ship = count(0)
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- what tests use ------------------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[str]:
        """New orders (order ids); `placed_now` stamps them as just paid."""
        with self.lock:
            added = []
            for order in sample_orders(Platform.NAVER, n, seed=seed):
                while order.platform_order_id in self.by_order:  # another seed's number
                    order.platform_order_id = str(int(order.platform_order_id) + 1)
                if placed_now:
                    order.ordered_at = order.updated_at = _now() - timedelta(seconds=1)
                day = order.platform_order_id[:8]
                ids = [f"{day}{30_000_000 + next(self._product_orders):08d}"
                       for _ in order.lines]
                # of the orders still to ship, every other one is already confirmed (발주확인)
                confirmed = order.status is not OrderStatus.AWAITING_SHIPMENT or \
                    next(self._to_ship) % 2 == 1
                items, changed, kind = render(order, ids, self._claim_id, confirmed)
                changed = changed.replace(microsecond=changed.microsecond // 1000 * 1000)
                for product_order_id, item in zip(ids, items, strict=True):
                    self.items[product_order_id] = item
                    self.changed[product_order_id] = (changed, kind)
                self.by_order[order.platform_order_id] = ids
                added.append(order.platform_order_id)
                if order.status is OrderStatus.DELIVERED and len(added) % 17 == 0:
                    self.request_claim(ids[0], "EXCHANGE", "COLOR_AND_SIZE",
                                       "사이즈 교환 부탁드려요")  # a few want another size
                    self.changed[ids[0]] = (changed, "CLAIM_REQUESTED")  # asked back then
            return added

    def product_order(self, product_order_id: str) -> dict[str, Any]:
        return self.items[product_order_id]["productOrder"]

    def first(self, status: str, *, single: bool = False, confirmed: bool | None = None) -> str:
        """The first order (by id) whose product orders all have `status` (and no claim,
        unless the status comes from one)."""
        claimed = status in ("CANCELED", "RETURNED", "EXCHANGED")
        for order_id, ids in sorted(self.by_order.items()):
            pos = [self.product_order(i) for i in ids]
            if all(po["productOrderStatus"] == status and (claimed or not po["claimType"])
                   for po in pos) \
                    and (not single or len(ids) == 1) and (confirmed is None or all(
                        (po["placeOrderStatus"] == "OK") == confirmed for po in pos)):
                return order_id
        raise LookupError(f"no order with every product order {status}")

    def change(self, product_order_id: str, changed_type: str = "DELIVERY_ADDRESS_CHANGED",
               **fields: Any) -> None:
        """Edit a product order as Naver would; its lastChangedDate becomes now."""
        with self.lock:
            self.product_order(product_order_id).update(fields)
            self.changed[product_order_id] = (_now(), changed_type)

    def request_claim(self, product_order_id: str, kind: str, reason: str = "BROKEN",
                      detail: str = "", quantity: int | None = None) -> str:
        """The buyer asks to CANCEL, RETURN or EXCHANGE a product order; returns the claimId."""
        with self.lock:
            claim_id = self._claim_id()
            open_claim(self.items[product_order_id], kind, claim_id, reason, detail, _now(),
                       quantity)
            self.changed[product_order_id] = (_now(), "CLAIM_REQUESTED")
            return claim_id

    def move_claim(self, product_order_id: str, status: str) -> None:
        """The claim goes on: COLLECT_DONE, RETURN_DONE, CANCEL_DONE, EXCHANGE_DONE, or
        RETURN_REJECT / EXCHANGE_REJECT / CANCEL_REJECT (withdrawn)."""
        with self.lock:
            kind = move_claim(self.items[product_order_id], status, _now())
            self.changed[product_order_id] = (_now(), kind)

    def expire_tokens(self) -> None:
        """Three hours have passed: every token handed out is dead."""
        with self.lock:
            self.tokens.clear()

    def allow_only(self, *ips: str) -> None:
        """Register these IPs for the application; calls from anywhere else are refused."""
        with self.lock:
            self.allowed_ips = set(ips)

    def limit_next(self, code: str = "GW.QUOTA_LIMIT", period: str = "SECONDS",
                   times: int = 1) -> None:
        """The next calls get a 429 with this gateway code (quota period SECONDS or ROUND)."""
        with self.lock:
            self._limits.extend([(code, period)] * times)

    def _claim_id(self) -> str:
        return f"{5_000_000_000 + next(self._claims)}"

    # --- serving -------------------------------------------------------------------------
    def throttle_reply(self, wait_s: float) -> SandboxReply:
        rate = self.limit.rate if self.limit else 1
        return gateway_error("GW.RATE_LIMIT", {
            "GNCP-GW-RateLimit-Replenish-Rate": f"{rate:g}",
            "GNCP-GW-RateLimit-Burst-Capacity": f"{2 * rate:g}",
            "GNCP-GW-RateLimit-Remaining": "0"})

    def handle(self, request: SandboxRequest) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            injected = self._limits.popleft() if self._limits else None
        if injected:
            code, period = injected
            reply = gateway_error(code, {"GNCP-GW-Quota-Period": period,
                                         "GNCP-GW-Quota-Limit": "100",
                                         "GNCP-GW-Quota-Remaining": "0"})
            return reply.status, {"Content-Type": "application/json", **reply.headers}, \
                json.dumps(reply.body, ensure_ascii=False).encode()
        return super().handle(request)

    def recorded_tracking(self) -> list[tuple[str, str]]:
        """Per order: Naver dispatches product orders, one per line, often with one number."""
        with self.lock:
            seen: list[tuple[str, str]] = []
            for entry in self.dispatches:
                pair = (str(self.items[entry["productOrderId"]]["order"]["orderId"]),
                        entry["trackingNumber"])
                if pair not in seen:
                    seen.append(pair)
            return seen

    def route(self, request: SandboxRequest) -> SandboxReply:
        if self.allowed_ips is not None and CALLER_IP not in self.allowed_ips:
            return gateway_error("GW.IP_NOT_ALLOWED")
        if request.method == "POST" and request.path == f"{BASE}/oauth2/token":
            return self._token(request)
        handler = {
            ("GET", f"{ORDERS}/product-orders/last-changed-statuses"): self._changed,
            ("POST", f"{ORDERS}/product-orders/query"): self._query,
            ("POST", f"{ORDERS}/product-orders/confirm"): self._confirm,
            ("POST", f"{ORDERS}/product-orders/dispatch"): self._dispatch,
        }.get((request.method, request.path))
        if handler is None and request.method == "GET" and IDS.match(request.path):
            handler = self._ids
        if handler is None:
            return gateway_error("GW.NOT_FOUND")
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.tokens.get(token, 0) <= time.time():
            return gateway_error("GW.AUTHN")
        return handler(request)

    # --- auth ----------------------------------------------------------------------------
    def _token(self, request: SandboxRequest) -> SandboxReply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials" or form.get("type") != "SELF":
            return invalid("grant_type", "client_credentials 와 type SELF 만 허용됩니다.")
        if form.get("client_id") != CLIENT_ID:
            return invalid("client_id", "등록되지 않은 애플리케이션입니다.", 401)
        stamp = form.get("timestamp", "")
        if not stamp.isdigit() or abs(time.time() * 1000 - int(stamp)) > 300_000:
            return invalid("timestamp", "timestamp가 유효하지 않습니다(5분 이내).")
        try:
            signed = base64.b64decode(form.get("client_secret_sign", ""), validate=True)
            expected = bcrypt.hashpw(f"{CLIENT_ID}_{stamp}".encode(), CLIENT_SECRET.encode())
        except (binascii.Error, ValueError):
            signed, expected = b"", b"-"
        if signed != expected:
            return invalid("client_secret_sign", "전자서명이 유효하지 않습니다.", 401)
        now = time.time()
        self.token_requests += 1
        token = next((t for t, until in self.tokens.items() if until - now > 1800), None)
        if token is None:
            token = f"sandbox-token-{next(self._tokens):04d}"
            self.tokens[token] = now + TOKEN_LIFE_S
        return SandboxReply(200, {"access_token": token,
                                  "expires_in": int(self.tokens[token] - now),
                                  "token_type": "Bearer"})

    # --- orders --------------------------------------------------------------------------
    def _changed(self, request: SandboxRequest) -> SandboxReply:
        start = _moment(request.arg("lastChangedFrom"))
        if start is None:
            return invalid("lastChangedFrom", "필수 입력값이며 ISO-8601 일시여야 합니다.")
        end = _moment(request.arg("lastChangedTo")) if request.arg("lastChangedTo") \
            else start + timedelta(hours=24)
        if end is None or not start <= end <= start + timedelta(hours=24):
            return invalid("lastChangedTo", "조회 기간은 최대 24시간입니다.")
        limit = request.arg("limitCount", "300") or "300"
        if not limit.isdigit() or int(limit) < 1:
            return invalid("limitCount", "1 이상의 정수여야 합니다.")
        size, sequence = min(int(limit), 300), request.arg("moreSequence") or ""
        self.listings.append((start, end, sequence))
        rows = sorted((when, pid) for pid, (when, _) in self.changed.items()
                      if start <= when <= end and not (when == start and pid < sequence))
        shown = rows[:size]
        data: dict[str, Any] = {"count": len(shown), "lastChangeStatuses": [
            self._status_row(pid, when) for when, pid in shown]}
        if len(rows) > size:
            when, pid = rows[size]
            data["more"] = {"moreFrom": kst(when), "moreSequence": pid}
        return ok(data)

    def _status_row(self, product_order_id: str, when: datetime) -> dict[str, Any]:
        item = self.items[product_order_id]
        po = item["productOrder"]
        return {"orderId": item["order"]["orderId"], "productOrderId": product_order_id,
                "lastChangedType": self.changed[product_order_id][1],
                "paymentDate": item["order"].get("paymentDate"), "lastChangedDate": kst(when),
                "productOrderStatus": po["productOrderStatus"], "claimType": po["claimType"],
                "claimStatus": po["claimStatus"], "receiverAddressChanged": False,
                "giftReceivingStatus": None}

    def _ids(self, request: SandboxRequest) -> SandboxReply:
        match = IDS.match(request.path)
        ids = self.by_order.get(match.group(1) if match else "")
        if ids is None:
            return SandboxReply(400, {"code": "100003", "message": "주문을 찾을 수 없습니다.",
                                      "timestamp": kst(datetime.now(UTC)), "traceId": _trace()})
        return ok(list(ids))

    def _query(self, request: SandboxRequest) -> SandboxReply:
        ids = (request.json() or {}).get("productOrderIds")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 300:
            return invalid("productOrderIds", "상품 주문 번호는 1~300개입니다.")
        return ok([copy.deepcopy(self.items[i]) for i in ids if i in self.items])

    # --- write-back ----------------------------------------------------------------------
    @staticmethod
    def _fail(product_order_id: Any, code: str, message: str) -> dict[str, Any]:
        return {"productOrderId": product_order_id, "code": code, "message": message}

    def _confirm(self, request: SandboxRequest) -> SandboxReply:
        ids = (request.json() or {}).get("productOrderIds")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 30:
            return invalid("productOrderIds", "발주 확인은 한 번에 1~30개입니다.")
        success, failed = [], []
        for pid in ids:
            item = self.items.get(pid)
            if item is None:
                failed.append(self._fail(pid, "100001", "상품 주문을 찾을 수 없음"))
                continue
            po = item["productOrder"]
            if po["productOrderStatus"] != "PAYED" or po["claimType"]:
                failed.append(self._fail(pid, "104442", "상품 주문 상태 확인 필요"))
            elif po["placeOrderStatus"] != "OK":  # one already confirmed is left out
                po.update(placeOrderStatus="OK", placeOrderDate=kst(_now()))
                self.changed[pid] = (_now(), "PAYED")
                self.confirms.append(pid)
                success.append({"productOrderId": pid, "isReceiverAddressChanged": False})
        return ok({"successProductOrderInfos": success, "failProductOrderInfos": failed})

    def _dispatch(self, request: SandboxRequest) -> SandboxReply:
        wanted = (request.json() or {}).get("dispatchProductOrders")
        if not isinstance(wanted, list) or not 1 <= len(wanted) <= 30:
            return invalid("dispatchProductOrders", "발송 처리는 한 번에 1~30개입니다.")
        success, failed = [], []
        for entry in wanted:
            pid = entry.get("productOrderId")
            refusal = self._dispatch_refusal(entry)
            if refusal:
                failed.append(self._fail(pid, *refusal))
                continue
            item = self.items[pid]
            now = _now()
            item["productOrder"]["productOrderStatus"] = "DELIVERING"
            item["delivery"] = {
                "deliveryMethod": entry["deliveryMethod"],
                "deliveryCompany": entry["deliveryCompanyCode"],
                "trackingNumber": entry["trackingNumber"], "deliveryStatus": "DELIVERING",
                "sendDate": entry["dispatchDate"], "pickupDate": kst(now),
                "deliveredDate": None, "isWrongTrackingNumber": False}
            self.changed[pid] = (now, "DISPATCHED")
            self.dispatches.append(dict(entry))
            success.append(pid)
        return ok({"successProductOrderIds": success, "failProductOrderInfos": failed})

    def _dispatch_refusal(self, entry: dict[str, Any]) -> tuple[str, str] | None:
        """Naver's error code and message for a dispatch it refuses, else None."""
        item = self.items.get(entry.get("productOrderId") or "")
        if item is None:
            return "100001", "상품 주문을 찾을 수 없음"
        if entry.get("deliveryMethod") not in METHODS:
            return "104117", "배송 방법 변경 필요"
        if not entry.get("deliveryCompanyCode"):
            return "104118", "택배사 미입력"
        if entry["deliveryCompanyCode"] not in CARRIERS:
            return "104119", "택배사 코드 확인"
        number = entry.get("trackingNumber") or ""
        if not number:
            return "104120", "송장 번호 미입력"
        if _moment(entry.get("dispatchDate")) is None:
            return "4000", "잘못된 요청 파라미터: dispatchDate"
        po = item["productOrder"]
        if po["productOrderStatus"] != "PAYED" or po["claimType"] == "CANCEL":
            return "104442", "상품 주문 상태 확인 필요"
        if po["placeOrderStatus"] != "OK":
            return "104443", "발주 상태 확인 필요"
        order_id = item["order"]["orderId"]
        if any((other.get("delivery") or {}).get("trackingNumber") == number
               and other["order"]["orderId"] != order_id for other in self.items.values()
               if other["productOrder"]["productOrderStatus"] in SHIPPED):
            return "104121", "배송 송장 오류(기사용 송장)"
        return None


SECRETS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url` (its orders span about
    half a year, so the first sync reaches that far; it paces itself for a sandbox, which
    has no rate limit unless one is asked for)."""
    return {"api_base": f"{url}/external", "history_days": "190", RATE_SETTING: "200"}
