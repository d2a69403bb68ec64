"""An Etsy shop on loopback: Open API v3 receipts with x-api-key + Bearer auth, the OAuth2
token endpoint (refresh tokens rotate), limit/offset paging, min/max_last_modified, sort_on,
quota headers and 429 + retry-after, and the receipt tracking route (form-encoded)."""

from __future__ import annotations

import math
import re
import secrets as token_source
import time
import zlib
from datetime import UTC, datetime
from itertools import count
from typing import Any
from urllib.parse import parse_qs, urlencode

from fulfill.channels.oauth import pkce_challenge
from fulfill.domain import Money, Order, OrderStatus, Platform, currency_digits
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

# Sandbox credentials, public on purpose.
KEYSTRING = "sandboxkeystring1a2b3c4d"
SHARED_SECRET = "sandbox-shared"
USER_ID, SHOP_ID = 81234567, 34567890
ACCESS_TOKEN = f"{USER_ID}.sandbox-access-token"
REFRESH_TOKEN = f"{USER_ID}.sandbox-refresh-token"
PER_SECOND, PER_DAY = 10, 10_000
EARLIEST = 946684800

_STATUS = {
    OrderStatus.AWAITING_PAYMENT: "payment processing", OrderStatus.AWAITING_SHIPMENT: "paid",
    OrderStatus.ON_HOLD: "paid", OrderStatus.SHIPPED: "completed",
    OrderStatus.DELIVERED: "completed", OrderStatus.CANCELLED: "canceled",
    OrderStatus.REFUNDED: "fully refunded", OrderStatus.PARTIALLY_REFUNDED: "partially refunded",
}
_SORT_KEYS = {"created": "created_timestamp", "updated": "updated_timestamp",
              "receipt_id": "receipt_id"}
_SORT_ORDERS = {"asc": False, "ascending": False, "up": False,
                "desc": True, "descending": True, "down": True}


def _money(amount: Money) -> dict[str, Any]:
    return {"amount": amount.minor, "divisor": 10 ** currency_digits(amount.currency),
            "currency_code": amount.currency}


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _transaction(order: Order, receipt_id: int, n: int, line, ids: count) -> dict[str, Any]:
    created = _epoch(order.ordered_at)
    shipping = order.shipping if n == 0 and order.shipping else Money.zero(order.currency)
    listing_id = 1_500_000_000 + zlib.crc32(line.sku.encode()) % 100_000_000
    shipped = order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    return {
        "transaction_id": next(ids), "title": line.title, "description": line.title,
        "seller_user_id": USER_ID, "buyer_user_id": 90_000_000 + receipt_id % 1_000_000,
        "create_timestamp": created, "created_timestamp": created, "paid_timestamp": created,
        "shipped_timestamp": _epoch(order.updated_at or order.ordered_at) if shipped else None,
        "quantity": line.quantity, "listing_image_id": listing_id * 10 + 1,
        "receipt_id": receipt_id, "is_digital": False, "file_data": "", "listing_id": listing_id,
        "transaction_type": "listing", "product_id": listing_id * 10 + 2, "sku": line.sku,
        "price": _money(line.unit_price), "shipping_cost": _money(shipping), "variations": [],
        "product_data": [], "shipping_profile_id": 210_000_001, "min_processing_days": 1,
        "max_processing_days": 3, "shipping_method": "Standard International",
        "shipping_upgrade": None, "expected_ship_date": created + 3 * 86400,
        "buyer_coupon": 0.0, "shop_coupon": 0.0,  # JSON numbers, as Etsy sends them
    }


def render(order: Order, receipt_id: int, transaction_ids: count | None = None) -> dict[str, Any]:
    """The order as Etsy's ShopReceipt (every property of the spec's schema)."""
    ids = transaction_ids or count(receipt_id * 100 + 1)
    zero = Money.zero(order.currency)
    created, updated = _epoch(order.ordered_at), _epoch(order.updated_at or order.ordered_at)
    status = _STATUS[order.status]
    shipped = order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    typed, ship_to = order.ship_to.typed, order.ship_to
    discount = order.discount or zero
    refunds = []
    if order.status in (OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED) and order.lines:
        full = order.status is OrderStatus.REFUNDED
        amount = order.grand_total if full else order.lines[0].unit_price
        refunds = [{"amount": _money(amount), "created_timestamp": updated, "reason": "Other",
                    "note_from_issuer": "", "status": "REFUND"}]
    shipments = [{"receipt_shipping_id": receipt_id * 10 + 1, "shipment_notification_timestamp":
                  updated, "carrier_name": "korea-post",
                  "tracking_code": f"EG{receipt_id % 10**9:09d}KR"}] if shipped else []
    formatted = "\n".join([*typed.lines(), ship_to.postal_code, ship_to.country_code])
    return {
        "receipt_id": receipt_id, "receipt_type": 0, "seller_user_id": USER_ID,
        "seller_email": "seller@seoulstitch.example",
        "buyer_user_id": 90_000_000 + receipt_id % 1_000_000,
        "buyer_email": None,  # Etsy withholds it unless the app was granted access
        "name": typed.name, "first_line": typed.line1, "second_line": typed.line2 or None,
        "city": typed.city, "state": typed.region or None, "zip": ship_to.postal_code,
        "status": status, "formatted_address": formatted, "country_iso": ship_to.country_code,
        "payment_method": "cc", "payment_email": None, "message_from_seller": None,
        "message_from_buyer": order.note or None, "message_from_payment": None,
        "is_paid": status not in ("open", "payment processing"), "is_shipped": shipped,
        "create_timestamp": created, "created_timestamp": created,
        "update_timestamp": updated, "updated_timestamp": updated,
        "is_gift": False, "gift_message": "", "gift_sender": "",
        "grandtotal": _money(order.grand_total), "subtotal": _money(order.subtotal - discount),
        "total_price": _money(order.subtotal),
        "total_shipping_cost": _money(order.shipping or zero),
        "total_tax_cost": _money(order.tax or zero), "total_vat_cost": _money(zero),
        "discount_amt": _money(discount), "gift_wrap_price": _money(zero),
        "shipments": shipments,
        "transactions": [_transaction(order, receipt_id, n, line, ids)
                         for n, line in enumerate(order.lines)],
        "refunds": refunds,
    }


def _error(status: int, message: str, description: str = "") -> SandboxReply:
    body = {"error": message, **({"error_description": description} if description else {})}
    return SandboxReply(status, body)


class EtsySandbox(Sandbox):
    label = "etsy"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7) -> None:
        super().__init__(rate=rate)
        self._receipt_ids = count(3_300_000_001)
        self._transaction_ids = count(4_100_000_001)
        self.receipts: dict[int, dict[str, Any]] = {}
        self.tracking_posts: list[dict[str, Any]] = []  # every write-back, in order
        self.access_tokens: dict[str, float | None] = {ACCESS_TOKEN: None}  # -> expiry (epoch)
        self.refresh_tokens: set[str] = {REFRESH_TOKEN}
        self.auth_codes: dict[str, tuple[str, str]] = {}  # code -> (challenge, redirect_uri)
        self.refreshes = 0
        self.daily_limit, self.used_today = PER_DAY, 0
        self._throttle_next = 0
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- what tests drive ----------------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[int]:
        """New receipts; `placed_now` stamps them as just placed, as buyers checking out now."""
        with self.lock:
            ids = []
            for order in sample_orders(Platform.ETSY, n, seed=seed):
                receipt_id = next(self._receipt_ids)
                if placed_now:
                    order.ordered_at = order.updated_at = datetime.now(UTC)
                self.receipts[receipt_id] = render(order, receipt_id, self._transaction_ids)
                ids.append(receipt_id)
            return ids

    def change(self, order_id: int, **fields: Any) -> None:
        """Edit a receipt as Etsy would after a seller or buyer action; it is modified now."""
        with self.lock:
            now = int(time.time())
            self.receipts[order_id].update(fields, update_timestamp=now, updated_timestamp=now)

    def refund(self, receipt_id: int, amount: Money, *, reason: str = "",
               note: str = "") -> None:
        """The seller refunds part (or the rest) of a receipt in Shop Manager."""
        with self.lock:
            receipt = self.receipts[receipt_id]
            receipt["refunds"].append({"amount": _money(amount),
                                       "created_timestamp": int(time.time()),
                                       "reason": reason or None,
                                       "note_from_issuer": note or None, "status": "REFUND"})
            refunded = sum(r["amount"]["amount"] for r in receipt["refunds"])
            full = refunded >= receipt["grandtotal"]["amount"]
            self.change(receipt_id, status="fully refunded" if full else "partially refunded")

    def expire_access_tokens(self) -> None:
        """Every access token handed out so far has run out (an hour has passed)."""
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = time.time() - 1

    def throttle_next(self, times: int = 1) -> None:
        """The next requests get Etsy's 429 (per-second quota) before being served."""
        self._throttle_next += times

    def throttle_reply(self, wait_s: float) -> SandboxReply:
        return SandboxReply(
            429, {"error": f"You have exceeded your quota of: {PER_SECOND} requests per second."},
            {**self._quota_headers(0), "retry-after": str(max(1, math.ceil(wait_s)))})

    # --- serving -------------------------------------------------------------------------
    def _quota_headers(self, this_second: int | None = None) -> dict[str, str]:
        if this_second is None:
            this_second = int(self.limit.tokens) if self.limit else PER_SECOND - 1
        return {"x-limit-per-second": str(PER_SECOND), "x-remaining-this-second": str(this_second),
                "x-limit-per-day": str(self.daily_limit),
                "x-remaining-today": str(max(0, self.daily_limit - self.used_today))}

    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(str(post["receipt_id"]), post["tracking_code"])
                    for post in self.tracking_posts if post.get("tracking_code")]

    def route(self, request: SandboxRequest) -> SandboxReply:
        if self._throttle_next:
            self._throttle_next -= 1
            return self.throttle_reply(1.0)
        if self.used_today >= self.daily_limit:
            return SandboxReply(429, {"error": f"You have exceeded your quota of: "
                                               f"{self.daily_limit} requests per day."},
                                {**self._quota_headers(), "retry-after": "3600"})
        self.used_today += 1
        reply = self._route(request)
        reply.headers = {**self._quota_headers(), **reply.headers}
        return reply

    def _route(self, request: SandboxRequest) -> SandboxReply:
        if request.path == "/oauth/connect" and request.method == "GET":
            return self._consent(request)
        if request.path == "/v3/public/oauth/token" and request.method == "POST":
            return self._token(request)
        refused = self._check_key(request) or self._check_token(request)
        if refused:
            return refused
        m = re.fullmatch(r"/v3/application/shops/(\d+)/receipts(?:/(\d+)(/tracking)?)?",
                         request.path)
        if not m:
            return _error(404, "Resource not found")
        if int(m[1]) != SHOP_ID:
            return _error(403, f"The authenticated user does not own shop {m[1]}.")
        if m[2] is None:
            return self._list(request) if request.method == "GET" else _error(405, "Not allowed")
        receipt = self.receipts.get(int(m[2]))
        if receipt is None:
            return _error(404, f"Receipt with receipt_id {m[2]} was not found.")
        if m[3] and request.method == "POST":
            return self._tracking(request, receipt)
        return SandboxReply(200, receipt) if request.method == "GET" else _error(405, "Not allowed")

    def _check_key(self, request: SandboxRequest) -> SandboxReply | None:
        key = request.headers.get("x-api-key", "")
        if key == f"{KEYSTRING}:{SHARED_SECRET}":
            return None
        if key == KEYSTRING:
            return _error(403, "Shared secret is required in x-api-key header.")
        return _error(403, "Invalid API key")

    def _check_token(self, request: SandboxRequest) -> SandboxReply | None:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        if token not in self.access_tokens:
            return _error(401, "invalid_token", "access token is invalid")
        expiry = self.access_tokens[token]
        if expiry is not None and time.time() >= expiry:
            return _error(401, "invalid_token", "access token is expired")
        return None

    def _consent(self, request: SandboxRequest) -> SandboxReply:
        """Etsy's consent page, with the seller pressing Allow at once: redirect with a code."""
        if request.arg("client_id") != KEYSTRING or request.arg("code_challenge_method") != "S256":
            return _error(400, "invalid_request", "client_id or code_challenge_method is wrong")
        code = token_source.token_urlsafe(16)
        self.auth_codes[code] = (request.arg("code_challenge") or "", request.arg("redirect_uri") or "")
        query = urlencode({"code": code, "state": request.arg("state") or ""})
        return SandboxReply(302, b"", {"Location": f"{request.arg('redirect_uri')}?{query}"})

    def _issue_tokens(self) -> SandboxReply:
        access, refresh = (f"{USER_ID}.{token_source.token_urlsafe(40)}" for _ in range(2))
        self.access_tokens[access] = time.time() + 3600
        self.refresh_tokens.add(refresh)
        return SandboxReply(200, {"access_token": access, "token_type": "Bearer",
                                  "expires_in": 3600, "refresh_token": refresh})

    def _token(self, request: SandboxRequest) -> SandboxReply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") == "authorization_code":
            challenge, redirect_uri = self.auth_codes.pop(form.get("code", ""), ("", ""))
            if not challenge or form.get("redirect_uri") != redirect_uri:
                return _error(400, "invalid_grant", "code is invalid or already used")
            if pkce_challenge(form.get("code_verifier", "")) != challenge:
                return _error(400, "invalid_grant", "code_verifier does not match the challenge")
            return self._issue_tokens()
        if form.get("grant_type") != "refresh_token":
            return _error(400, "unsupported_grant_type", "grant_type must be refresh_token")
        if form.get("client_id") != KEYSTRING:
            return _error(400, "invalid_client", "client_id is invalid")
        if form.get("refresh_token") not in self.refresh_tokens:
            return _error(400, "invalid_grant", "refresh_token is revoked")
        self.refresh_tokens.discard(form["refresh_token"])  # rotation: the old one is dead
        access, refresh = (f"{USER_ID}.{token_source.token_urlsafe(40)}" for _ in range(2))
        self.access_tokens[access] = time.time() + 3600
        self.refresh_tokens.add(refresh)
        self.refreshes += 1
        return SandboxReply(200, {"access_token": access, "token_type": "Bearer",
                                  "expires_in": 3600, "refresh_token": refresh})

    def _list(self, request: SandboxRequest) -> SandboxReply:
        try:
            limit, offset = int(request.arg("limit", "25")), int(request.arg("offset", "0"))
            low = int(request.arg("min_last_modified") or EARLIEST)
            high = int(request.arg("max_last_modified") or 2**40)
        except ValueError:
            return _error(400, "Expected an integer for limit, offset or a timestamp.")
        sort_key = _SORT_KEYS.get(request.arg("sort_on", "created") or "")
        descending = _SORT_ORDERS.get(request.arg("sort_order", "desc") or "")
        if not 1 <= limit <= 100 or offset < 0 or low < EARLIEST or high < EARLIEST:
            return _error(400, "Invalid parameter: limit must be 1-100, offset ≥ 0, "
                               f"timestamps ≥ {EARLIEST}.")
        if sort_key is None or descending is None:
            return _error(400, "Invalid sort_on or sort_order.")
        matching = [r for r in self.receipts.values() if low <= r["updated_timestamp"] <= high]
        matching.sort(key=lambda r: (r[sort_key], r["receipt_id"]), reverse=descending)
        page = matching[offset:offset + limit]
        return SandboxReply(200, {"count": len(matching), "results": page})

    def _tracking(self, request: SandboxRequest, receipt: dict[str, Any]) -> SandboxReply:
        if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
            return _error(400, "Expected application/x-www-form-urlencoded.")
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        code, carrier = form.get("tracking_code"), form.get("carrier_name")
        if bool(code) != bool(carrier):
            return _error(400, "tracking_code and carrier_name must be sent together.")
        if receipt["status"] in ("canceled", "fully refunded"):
            return _error(409, "Cannot submit tracking for a canceled receipt.")
        self.tracking_posts.append({"receipt_id": receipt["receipt_id"], **form})
        now = int(time.time())
        if code:
            receipt["shipments"].append({"receipt_shipping_id": receipt["receipt_id"] * 10 + 1 +
                                         len(receipt["shipments"]),
                                         "shipment_notification_timestamp": now,
                                         "carrier_name": carrier, "tracking_code": code})
        status = "completed" if receipt["status"] == "paid" else receipt["status"]
        self.change(receipt["receipt_id"], is_shipped=True, status=status)
        return SandboxReply(200, receipt)


SECRETS = {"api_key": KEYSTRING, "shared_secret": SHARED_SECRET, "access_token": ACCESS_TOKEN,
           "refresh_token": REFRESH_TOKEN, "expires_at": ""}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url`."""
    return {"api_base": url, "shop_id": str(SHOP_ID)}
