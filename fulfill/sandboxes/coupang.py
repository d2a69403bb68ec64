"""A Coupang Wing seller on loopback: CEA HMAC auth (signature and signed-date checked,
Coupang's 401 error bodies), order sheets per status by day (≤31 days, nextToken, ≤50 a page)
and by minute, one box, an order's boxes, acknowledgement (ACCEPT -> INSTRUCT), invoice upload
with per-box responseList, returnRequests (by status or cancelType=CANCEL),
returnWithdrawRequests (≤7 days, pageIndex) and exchangeRequests (≤7 days). Returned and
cancelled boxes drop out of the lists, as on Coupang; they stay readable by id.

The query is signed exactly as sent, and checked against the query string as it arrived.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections import deque
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fulfill.channels.ratelimit import RATE_SETTING
from fulfill.sandboxes import coupang_data as cd
from fulfill.sandboxes.coupang_orders import CoupangShop
from fulfill.sandboxes.server import SandboxReply, SandboxRequest

VENDOR_ID = "A00012345"
ACCESS_KEY = "3d2f1a0e-5c7b-4e8a-9f61-2b7c0d4e8a15"
SECRET_KEY = "9c1f0e7a52d84b3f6a0e1d2c3b4a59687f1e2d3c"
FRESH_S = 300  # how far a signed-date may be from the server's clock
ORDER_STATUSES = ("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY",
                  "NONE_TRACKING")
_PATH = re.compile(r"^/v2/providers/openapi/apis/api/v4/vendors/([^/]+)/(.+)$")
_AUTH = re.compile(r"^CEA algorithm=(?P<algorithm>[^,]+),\s*access-key=(?P<key>[^,]+),\s*"
                   r"signed-date=(?P<date>[^,]+),\s*signature=(?P<signature>\S+)$")


def _ok(data: Any, **extra: Any) -> SandboxReply:
    return SandboxReply(200, {"code": 200, "message": "OK", "data": data, **extra})


def _bad(message: str) -> SandboxReply:
    """Coupang's answer to a request it understood and refuses."""
    return SandboxReply(400, {"code": 400, "message": message, "data": None})


def _denied(message: str, status: int = 401) -> SandboxReply:
    """The gateway's answer to a request it cannot authenticate."""
    return SandboxReply(status, {"code": "ERROR", "message": message,
                                 "transactionId": str(uuid.uuid4())})


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or "") \
            else None
    except ValueError:
        return None


def _page(items: list[dict[str, Any]], key: str, token: str | None, size: int
          ) -> tuple[list[dict[str, Any]], str]:
    """Items sorted by `key` from the one whose key is `token` on; nextToken the key after."""
    items = sorted(items, key=lambda item: item[key])
    if token:
        items = [item for item in items if item[key] >= int(token)]
    chunk = items[:size]
    return chunk, str(items[size][key]) if len(items) > size else ""


class CoupangSandbox(CoupangShop):
    label = "coupang"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7) -> None:
        super().__init__(orders, rate=rate, seed=seed, vendor_id=VENDOR_ID)
        self.invoice_faults: deque[tuple[bool, str]] = deque()
        self.asked: list[tuple[str, str, dict[str, str]]] = []  # (method, path after vendor, query)

    def refuse_next_invoice(self, message: str, *, retry: bool = False) -> None:
        """The next invoice upload gets succeed=false with this resultMessage."""
        self.invoice_faults.append((retry, message))

    def throttle_reply(self, wait_s: float) -> SandboxReply:
        # Coupang answers over-limit calls with a bare 429 (no Retry-After in its notices).
        return _denied("Too Many Requests", 429)

    # --- auth ----------------------------------------------------------------------------
    def _check_auth(self, request: SandboxRequest) -> SandboxReply | None:
        match = _AUTH.match(request.headers.get("authorization", "").strip())
        if not match:
            return _denied("Invalid authorization header.")
        if match["algorithm"] != "HmacSHA256" or match["key"] != ACCESS_KEY:
            return _denied("Invalid access key.")
        try:
            signed = datetime.strptime(match["date"], "%y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            return _denied("Invalid signed-date.")
        if abs((datetime.now(UTC) - signed).total_seconds()) > FRESH_S:
            return _denied("Specified signature is expired.")
        message = f"{match['date']}{request.method}{request.path}{request.raw_query}"
        expected = hmac.new(SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, match["signature"]):
            return _denied("Invalid signature.")
        return None

    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(str(i["shipmentBoxId"]), i["invoiceNumber"]) for i in self.invoices]

    def route(self, request: SandboxRequest) -> SandboxReply:
        match = _PATH.match(request.path)
        if not match:
            return SandboxReply(404, {"code": 404, "message": "Not Found", "data": None})
        if refused := self._check_auth(request):
            return refused
        vendor, rest = match.groups()
        if vendor != VENDOR_ID:
            return _denied(f"Vendor {vendor} does not belong to this access key.", 403)
        self.asked.append((request.method, rest, {k: v[0] for k, v in request.query.items()}))
        method = request.method
        if method == "GET" and rest == "ordersheets":
            return self._ordersheets(request)
        if method == "GET" and (found := re.fullmatch(r"ordersheets/(\d+)", rest)):
            box = self.boxes.get(int(found[1]))
            return _ok(box) if box else _bad(f"shipmentBoxId ({found[1]}) is not found.")
        if method == "GET" and (found := re.fullmatch(r"(\d+)/ordersheets", rest)):
            boxes = [b for b in self.boxes.values() if b["orderId"] == int(found[1])]
            return _ok(boxes) if boxes else _bad(f"orderId ({found[1]}) is not found.")
        if method == "PUT" and rest == "ordersheets/acknowledgement":
            return self._acknowledge(request.json() or {})
        if method == "POST" and rest == "orders/invoices":
            return self._invoices(request.json() or {})
        if method == "GET" and rest == "returnRequests":
            return self._returns(request)
        if method == "GET" and rest == "returnWithdrawRequests":
            return self._withdrawals(request)
        if method == "GET" and rest == "exchangeRequests":
            return self._exchanges(request)
        return SandboxReply(404, {"code": 404, "message": f"No API at {request.path}",
                                  "data": None})

    # --- order sheets --------------------------------------------------------------------
    def _ordersheets(self, request: SandboxRequest) -> SandboxReply:
        status = request.arg("status")
        if status not in ORDER_STATUSES:
            return _bad(f"status must be one of {', '.join(ORDER_STATUSES)}.")
        listed = [b for i, b in self.boxes.items()
                  if b["status"] == status and i not in self.hidden]
        if request.arg("searchType") == "timeFrame":  # by minute: one answer, no paging
            try:
                low = datetime.fromisoformat(request.arg("createdAtFrom", ""))
                high = datetime.fromisoformat(request.arg("createdAtTo", ""))
            except ValueError:
                return _bad("createdAtFrom and createdAtTo must be yyyy-MM-ddTHH:mm.")
            if not timedelta(0) <= high - low <= timedelta(hours=24):
                return _bad("The search period by minute is at most 24 hours.")
            found = [b for b in listed
                     if low <= datetime.fromisoformat(b["orderedAt"]) < high + timedelta(minutes=1)]
            return _ok(sorted(found, key=lambda b: b["shipmentBoxId"]))
        first, last = _day(request.arg("createdAtFrom")), _day(request.arg("createdAtTo"))
        if first is None or last is None:
            return _bad("createdAtFrom and createdAtTo must be yyyy-MM-dd.")
        if not 0 <= (last - first).days <= 30:
            return _bad("The search period is at most 31 days (createdAtFrom to createdAtTo).")
        size = request.arg("maxPerPage", "50") or ""
        if not size.isdigit() or not 1 <= int(size) <= 50:
            return _bad("maxPerPage must be between 1 and 50.")
        found = [b for b in listed if first <= date.fromisoformat(b["orderedAt"][:10]) <= last]
        chunk, token = _page(found, "shipmentBoxId", request.arg("nextToken"), int(size))
        return _ok(chunk, nextToken=token)

    def _acknowledge(self, body: dict[str, Any]) -> SandboxReply:
        ids = body.get("shipmentBoxIds") or []
        if body.get("vendorId") != VENDOR_ID or not 1 <= len(ids) <= 50:
            return _bad("vendorId and 1 to 50 shipmentBoxIds are required.")
        answers = []
        for box_id in ids:
            box = self.boxes.get(int(box_id))
            if box is None:
                answers.append(self._answer(box_id, False, "NOT_FOUND_SHIPMENT_BOX", True,
                                            f"shipmentBoxId ({box_id}) is not found."))
            elif box["status"] != "ACCEPT" or int(box_id) in self.hidden:
                answers.append(self._answer(
                    box_id, False, "INVALID_STATUS", False,
                    f"Unable to change the delivery status ({box['status']})."))
            else:
                cd.move(box, "INSTRUCT", datetime.now(UTC))
                self.acknowledged.append(int(box_id))
                answers.append(self._answer(box_id, True, "OK", False, "request succeeded."))
        failed = sum(not a["succeed"] for a in answers)
        return _ok({"responseKey": -abs(hash(tuple(ids))) % 10**18,
                    "responseCode": 1 if failed else 0,
                    "responseMessage": "apply instructStatus result - Partial errors."
                    if failed else "SUCCESS", "responseList": answers})

    @staticmethod
    def _answer(box_id: Any, succeed: bool, code: str, retry: bool, message: str | None
                ) -> dict[str, Any]:
        return {"shipmentBoxId": box_id, "succeed": succeed, "resultCode": code,
                "retryRequired": retry, "resultMessage": message}

    def _invoices(self, body: dict[str, Any]) -> SandboxReply:
        dtos = body.get("orderSheetInvoiceApplyDtos") or []
        if body.get("vendorId") != VENDOR_ID or not dtos:
            return _bad("vendorId and orderSheetInvoiceApplyDtos are required.")
        by_box: dict[int, list[dict[str, Any]]] = {}
        for dto in dtos:
            by_box.setdefault(int(dto.get("shipmentBoxId") or 0), []).append(dto)
        answers = [self._invoice(box_id, group) for box_id, group in by_box.items()]
        failed = sum(not a["succeed"] for a in answers)
        return _ok({"responseCode": 1 if failed else 0,
                    "responseMessage": "Partial errors." if failed else "SUCCESS",
                    "responseList": answers})

    def _invoice(self, box_id: int, dtos: list[dict[str, Any]]) -> dict[str, Any]:
        box = self.boxes.get(box_id)
        if box is None:
            return self._answer(box_id, False, "NOT_FOUND_SHIPMENT_BOX", False,
                                f"shipmentBoxId ({box_id}) is not found.")
        if self.invoice_faults:
            retry, message = self.invoice_faults.popleft()
            return self._answer(box_id, False, "FAIL", retry, message)
        codes = {dto.get("deliveryCompanyCode") for dto in dtos}
        numbers = {str(dto.get("invoiceNumber") or "").strip() for dto in dtos}
        if len(codes) != 1 or not codes <= set(cd.CARRIER_NAMES):
            return self._answer(box_id, False, "INVALID_DELIVERY_COMPANY", False,
                                f"deliveryCompanyCode {sorted(map(str, codes))} is not valid.")
        number = numbers.pop() if len(numbers) == 1 else ""
        if not re.fullmatch(r"[0-9A-Za-z-]{6,30}", number):
            return self._answer(box_id, False, "INVALID_INVOICE_NUMBER", False,
                                "invoiceNumber is not valid.")
        if box["status"] != "INSTRUCT" or box_id in self.hidden:
            return self._answer(box_id, False, "INVALID_STATUS", False,
                                f"An invoice can be uploaded only in INSTRUCT (상품준비중); "
                                f"the box is {box['status']}.")
        if any(i["holdCountForCancel"] for i in box["orderItems"]):
            return self._answer(box_id, False, "RELEASE_STOP_REQUESTED", False,
                                "The buyer asked to stop the shipment (출고중지요청); "
                                "answer the request first.")
        if any(b["invoiceNumber"] == number for b in self.boxes.values()):
            return self._answer(box_id, False, "DUPLICATE_INVOICE", False,
                                f"Invoice number {number} was used within 6 months.")
        wanted = {i["vendorItemId"] for i in box["orderItems"]
                  if i["shippingCount"] > i["cancelCount"]}
        sent = {int(dto.get("vendorItemId") or 0) for dto in dtos}
        if sent != wanted or any(dto.get("orderId") != box["orderId"] for dto in dtos):
            return self._answer(box_id, False, "INVALID_ITEMS", False,
                                "Every vendorItemId of the box, with its orderId, is needed "
                                "unless splitShipping is true.")
        code = codes.pop()
        cd.ship(box, code, number, datetime.now(UTC))
        self.invoices.append({"shipmentBoxId": box_id, "deliveryCompanyCode": code,
                              "invoiceNumber": number, "vendorItemIds": sorted(sent)})
        return self._answer(box_id, True, "OK", False, None)

    # --- claims --------------------------------------------------------------------------
    def _returns(self, request: SandboxRequest) -> SandboxReply:
        first, last = _day(request.arg("createdAtFrom")), _day(request.arg("createdAtTo"))
        if first is None or last is None:
            return _bad("createdAtFrom and createdAtTo must be yyyy-MM-dd.")
        if not 0 <= (last - first).days <= 30:
            return _bad("The search period is at most 31 days.")
        status, cancel_type = request.arg("status"), request.arg("cancelType")
        if cancel_type == "CANCEL":
            if status:
                return _bad("status cannot be used with cancelType=CANCEL.")
            found = [r for r in self.returns.values() if r["receiptType"] == "CANCEL"]
        elif status in cd.RETURN_STATUS_QUERY:
            found = [r for r in self.returns.values() if r["receiptType"] == "RETURN"
                     and r["receiptStatus"] in cd.RETURN_STATUS_QUERY[status]]
        else:
            return _bad("status (RU, UC, PR, CC) or cancelType=CANCEL is required.")
        found = [r for r in found if first <= date.fromisoformat(r["createdAt"][:10]) <= last]
        size = request.arg("maxPerPage", "50") or "50"
        if not size.isdigit() or not 1 <= int(size) <= 50:
            return _bad("maxPerPage must be between 1 and 50.")
        chunk, token = _page(found, "receiptId", request.arg("nextToken"), int(size))
        return _ok(chunk, nextToken=token)

    def _withdrawals(self, request: SandboxRequest) -> SandboxReply:
        first, last = _day(request.arg("dateFrom")), _day(request.arg("dateTo"))
        if first is None or last is None:
            return _bad("dateFrom and dateTo must be yyyy-MM-dd.")
        if not 0 <= (last - first).days <= 6:
            return _bad("The search period is at most 7 days, both dates included.")
        index, size = request.arg("pageIndex", "1") or "1", request.arg("sizePerPage", "10") or "10"
        if not (index.isdigit() and size.isdigit() and 1 <= int(size) <= 100 and int(index) >= 1):
            return _bad("pageIndex must be 1 or more and sizePerPage 1 to 100.")
        found = sorted((w for w in self.withdrawals
                        if first <= date.fromisoformat(w["createdAt"][:10]) <= last),
                       key=lambda w: w["cancelId"])
        start = (int(index) - 1) * int(size)
        more = start + int(size) < len(found)
        return _ok(found[start:start + int(size)],
                   nextPageIndex=str(int(index) + 1) if more else "")

    def _exchanges(self, request: SandboxRequest) -> SandboxReply:
        try:
            low = datetime.fromisoformat(request.arg("createdAtFrom", ""))
            high = datetime.fromisoformat(request.arg("createdAtTo", ""))
        except ValueError:
            return _bad("createdAtFrom and createdAtTo must be yyyy-MM-ddTHH:mm:ss.")
        if not timedelta(0) <= high - low < timedelta(days=7):
            return _bad("The search period is at most 7 days.")
        status = request.arg("status")
        found = [x for x in self.exchanges.values()
                 if low <= datetime.fromisoformat(x["createdAt"]) <= high
                 and (not status or x["exchangeStatus"] == status)]
        size = request.arg("maxPerPage", "10") or "10"
        if not size.isdigit() or not 1 <= int(size) <= 50:
            return _bad("maxPerPage must be between 1 and 50.")
        chunk, token = _page(found, "exchangeId", request.arg("nextToken"), int(size))
        return _ok(chunk, nextToken=token)


SECRETS = {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url`."""
    return {"api_base": url, "vendor_id": VENDOR_ID, RATE_SETTING: "50"}

