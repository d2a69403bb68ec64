"""A Qoo10 seller on loopback, speaking QAPI as the public clients show it: form POSTs to
`/GMKT.INC.Front.QAPIService/ebayjapan.qapi/<Class.Method>` (Giosis.qapi for Singapore), the
seller authorization key in the GiosisCertificationKey header (or a `key` parameter), HTTP
200 with ResultCode/ResultMsg (ErrorCode/ErrorMsg for a key Qoo10 does not know).

- CertificationAPI.CreateCertificationKey: API key in the header, QSM login in the form.
- GetShippingInfo_v2: one status per call, by order/payment/shipping/delivered date, at most
  90 days (-10003), every row in one answer but never more than `row_limit`; cancelled orders
  are not listed. GetClaimInfo_V3 by order/request/settled date. The one-order answer.
- SetSendingInfo records what it accepts in `shipments` and refuses an order that is not
  waiting to ship, or a delivery company Qoo10 does not list.
- Throttled calls get HTTP 429 as Cloudflare, in front of api.qoo10.jp, sends it.
Codes and words not found in public sources (a wrong QSM login, SetSendingInfo's refusals)
are plausible stand-ins. Rows are rendered by fulfill.sandboxes.qoo10_rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from urllib.parse import parse_qs

from fulfill.channels.ratelimit import RATE_SETTING
from fulfill.domain import Order, Platform
from fulfill.sandboxes import qoo10_rows as rows
from fulfill.sandboxes.seed import sample_orders
from fulfill.sandboxes.server import Sandbox, SandboxReply, SandboxRequest

SERVICE = {"JP": "/GMKT.INC.Front.QAPIService/ebayjapan.qapi",
           "SG": "/GMKT.INC.Front.QAPIService/Giosis.qapi"}
API_KEY = "SBX-not-secret"  # the stand-in's own API key, public on purpose
CERT_KEY = "sandbox-sak-0001"
SELLER_ID, PASSWORD = rows.SELLER_ID, "sandbox-qsm-password"
ROW_LIMIT = 1000
MAX_RANGE = timedelta(days=90)
# The delivery companies the sandbox's Qoo10 lists (ShippingCorp), per site.
DELIVERY_COMPANIES = {
    "JP": frozenset({"EMS", "K-Packet", "韓国郵便", "CJ大韓通運", "ロッテグローバルロジス", "韓進",
                     "DHL", "FedEx", "UPS", "ヤマト宅急便", "佐川急便", "ゆうパック", "ゆうパケット",
                     "ネコポス", "クリックポスト", "Qxpress"}),
    "SG": frozenset({"EMS", "K-Packet", "Korea Post", "CJ Logistics", "Lotte Global Logistics",
                     "Hanjin", "DHL", "FedEx", "UPS", "Yamato", "Sagawa", "Japan Post",
                     "Qxpress"}),
}
_UNKNOWN_KEY = {"ErrorCode": -90001, "ErrorMsg": "存在しないAPIです。"}


def _ok(result: Any = None) -> SandboxReply:
    return SandboxReply(200, {"ResultObject": result, "ResultCode": 0, "ResultMsg": "SUCCESS"})


def _refuse(code: int, message: str) -> SandboxReply:
    return SandboxReply(200, {"ResultObject": None, "ResultCode": code, "ResultMsg": message})


def service_url(url: str, site: str = "JP") -> str:
    """The QAPI service of a sandbox started at `url`."""
    return f"{url}{SERVICE[site]}"


class Qoo10Sandbox(Sandbox):
    label = "qoo10"

    def __init__(self, orders: int = 250, *, rate: float | None = None, seed: int = 7,
                 site: str = "JP") -> None:
        super().__init__(rate=rate)
        self.site = site
        self.rows: dict[str, dict[str, Any]] = {}  # orderNo -> GetShippingInfo_v2 row
        self.claims: dict[str, list[dict[str, Any]]] = {}  # orderNo -> its claim rows
        self.shipments: list[dict[str, str]] = []  # every SetSendingInfo accepted
        self.calls: list[dict[str, Any]] = []  # method, key, version and form of each call
        self.listings: list[tuple[str, str, str, str, str]] = []  # method, status, cond, from, to
        self.row_limit = ROW_LIMIT
        self.password = PASSWORD
        self.keys, self.expired = {CERT_KEY}, set()
        self.keys_issued = 0
        self._numbers = count(1_060_000_011, 37)
        self._packs = count(1_053_000_007, 41)
        self.add_orders(orders, seed=seed, placed_now=False)

    # --- what tests use ------------------------------------------------------------------
    def add_orders(self, n: int, *, seed: int = 7, placed_now: bool = True) -> list[str]:
        """`n` new orders (items), from demo checkouts of one or more items each; `placed_now`
        stamps them as just bought. Returns their order numbers."""
        with self.lock:
            made: list[str] = []
            checkouts = self._checkouts(n, seed)
            for index, order in enumerate(checkouts):
                if placed_now:  # a second apart, the newest a second ago
                    order.ordered_at = order.updated_at = datetime.now(UTC) - timedelta(
                        seconds=len(checkouts) - index)
                numbers = [next(self._numbers) for _ in order.lines]
                cart = rows.cart_rows(order, numbers, next(self._packs), self.site)
                for row in cart:
                    self.rows[str(row["orderNo"])] = row
                for claim in rows.demo_claims(order, cart, self.site):
                    self.claims.setdefault(str(claim["orderNo"]), []).append(claim)
                made += [str(number) for number in numbers]
            return made

    def _checkouts(self, n: int, seed: int) -> list[Order]:
        """Demo checkouts holding exactly `n` items in all, spread over the demo's months like
        the demo's own orders (the few newest ones are those still to be paid and shipped)."""
        platform, region = ((Platform.QOO10, None) if self.site == "JP"
                            else (Platform.SHOPEE, self.site))  # Qoo10's demo sells in JP
        orders = sample_orders(platform, n, seed=seed, region=region)
        wanted = max(1, round(n * n / sum(len(o.lines) for o in orders)))
        while True:
            orders = sample_orders(platform, wanted, seed=seed, region=region)
            extra = sum(len(o.lines) for o in orders) - n
            if extra >= 0:
                break
            wanted += -extra
        for order in orders:  # too many items: the oldest checkouts buy fewer
            while extra and len(order.lines) > 1:
                order.lines.pop()
                extra -= 1
        return orders

    def status_of(self, order_no: str) -> int:
        return int(self.rows[order_no]["shippingStatus"].rsplit("(", 1)[1].rstrip(")"))

    def _now(self) -> str:
        return rows.qoo10_time(datetime.now(UTC), self.site)

    def change(self, order_no: str, **fields: Any) -> None:
        """Edit an order as Qoo10 would. Qoo10 keeps no change time: the date of the status
        the order is then in becomes now, so a sync asking by that date sees it."""
        with self.lock:
            row = self.rows[order_no]
            row.update(fields)
            row[rows.STATUS_DATE[self.status_of(order_no)]] = self._now()

    def open_claim(self, order_no: str, status: int, reason: str = "") -> None:
        """The buyer (or Qoo10) opens a claim on the order now: 1 cancel, 4 return, 11
        exchange; a settled one (3, 6, 14, 15, 16) is settled now too."""
        with self.lock:
            now = datetime.now(UTC)
            settled = now if status in rows.SETTLED_CLAIMS else None
            self.claims.setdefault(order_no, []).append(
                rows.claim_row(self.rows[order_no], status, now, settled, reason, self.site))

    def advance_claim(self, order_no: str, status: int, **fields: Any) -> None:
        """The order's latest claim moves on (cancel requested -> cancelled, return requested
        -> returned and refunded); settling stamps it now."""
        with self.lock:
            claim = self.claims[order_no][-1]
            claim.update(claimStatus=str(status), **fields)
            if status in rows.SETTLED_CLAIMS:
                claim["cancelRefundDate"] = self._now()

    def expire_certification_keys(self) -> None:
        """A year has passed (or the seller changed the QSM password): every key is void."""
        with self.lock:
            self.expired |= self.keys
            self.keys = set()

    def throttle_reply(self, wait_s: float) -> SandboxReply:
        return SandboxReply(429, "error code: 1015", {"Retry-After": f"{wait_s:.2f}",
                                                      "Server": "cloudflare"})

    # --- serving -------------------------------------------------------------------------
    def recorded_tracking(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(s["OrderNo"], s["TrackingNo"]) for s in self.shipments]

    def route(self, request: SandboxRequest) -> SandboxReply:
        service = SERVICE[self.site]
        if not request.path.lower().startswith(service.lower()):
            return SandboxReply(404, b"<html><body>404 Not Found</body></html>",
                                {"Content-Type": "text/html"})
        form = {name: values[0] for name, values in request.query.items()}
        if request.body:
            text = request.body.decode("utf-8")
            form.update({k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()})
        method = request.path[len(service):].strip("/") or form.get("method", "")
        key = request.headers.get("giosiscertificationkey") or form.get("key", "")
        self.calls.append({"http": request.method, "method": method, "key": key, "form": form,
                           "version": request.headers.get("qapiversion", ""),
                           "type": request.headers.get("content-type", "")})
        handler = {
            "certificationapi.createcertificationkey": self._create_key,
            "shippingbasic.getshippinginfo_v2": self._orders,
            "shippingbasic.getclaiminfo_v3": self._claims,
            "shippingbasic.getshippingandclaiminfobyorderno_v2": self._one_order,
            "shippingbasic.setsendinginfo": self._set_sending,
        }.get(method.lower())  # Qoo10 reads method names in any case
        if handler is None:
            return SandboxReply(200, {"ErrorCode": -90001,
                                      "ErrorMsg": f"Can't find method Info {method}"})
        if handler != self._create_key:
            if key in self.expired:
                return _refuse(-90004, "Seller authorization key is expired. Use a new key.")
            if key not in self.keys:
                return SandboxReply(200, dict(_UNKNOWN_KEY))
        return handler(form, key)

    def _create_key(self, form: dict[str, str], key: str) -> SandboxReply:
        if key != API_KEY:
            return SandboxReply(200, dict(_UNKNOWN_KEY))
        if form.get("user_id") != SELLER_ID or form.get("pwd") != self.password:
            return _refuse(-10001, "Please check the user id and password.")
        self.keys_issued += 1
        made = f"sandbox-sak-{self.keys_issued + 1:04d}"
        self.keys.add(made)
        return _ok(made)

    def _range(self, form: dict[str, str]) -> tuple[datetime, datetime] | SandboxReply:
        low, high = form.get("search_Sdate", ""), form.get("search_Edate", "")
        bounds = []
        for text, end_of_day in ((low, False), (high, True)):
            if not text.isdigit() or len(text) not in (8, 14):
                return _refuse(-10002, "Search Date Error")
            text = text + ("235959" if end_of_day else "000000") if len(text) == 8 else text
            bounds.append(datetime.strptime(text, "%Y%m%d%H%M%S").replace(
                tzinfo=rows.ZONES[self.site]))
        if bounds[1] < bounds[0]:
            return _refuse(-10002, "Search Date Error")
        if bounds[1] - bounds[0] > MAX_RANGE:
            return _refuse(-10003, "Searching period exceeds to 90 days.")
        return bounds[0], bounds[1]

    def _within(self, text: str, bounds: tuple[datetime, datetime]) -> bool:
        moment = rows.parse_text(text, self.site)
        return moment is not None and bounds[0] <= moment <= bounds[1]

    def _cancelled(self, order_no: str) -> bool:
        return any(int(c["claimStatus"]) in rows.CANCELLED_CLAIMS
                   for c in self.claims.get(order_no, ()))

    def _orders(self, form: dict[str, str], _key: str) -> SandboxReply:
        bounds = self._range(form)
        if isinstance(bounds, SandboxReply):
            return bounds
        stat, condition = form.get("ShippingStat", ""), form.get("search_condition") or "1"
        if condition not in rows.LISTING_DATE:
            return _refuse(-10002, "Search Date Error")
        wanted = {int(stat)} if stat in ("1", "2", "3", "4", "5") else {1, 2, 3}
        field = rows.LISTING_DATE[condition]
        found = sorted((row for no, row in self.rows.items()
                        if self.status_of(no) in wanted and not self._cancelled(no)
                        and self._within(row[field], bounds)),
                       key=lambda row: (row[field], str(row.get("orderNo"))))
        self.listings.append(("GetShippingInfo_v2", stat, condition, form["search_Sdate"],
                              form["search_Edate"]))
        return _ok([dict(row) for row in found[:self.row_limit]])

    def _claims(self, form: dict[str, str], _key: str) -> SandboxReply:
        bounds = self._range(form)
        if isinstance(bounds, SandboxReply):
            return bounds
        stat, condition = form.get("ClaimStat", ""), form.get("search_condition") or "2"
        if condition not in rows.CLAIM_DATE:
            return _refuse(-10002, "Search Date Error")
        field = rows.CLAIM_DATE[condition]
        found = sorted((claim for claims in self.claims.values() for claim in claims
                        if (not stat or claim["claimStatus"] == stat)
                        and self._within(claim[field], bounds)),
                       key=lambda claim: (claim[field], claim["orderNo"]))
        self.listings.append(("GetClaimInfo_V3", stat, condition, form["search_Sdate"],
                              form["search_Edate"]))
        return _ok([dict(claim) for claim in found[:self.row_limit]] or None)

    def _one_order(self, form: dict[str, str], _key: str) -> SandboxReply:
        order_no = form.get("OrderNo", "")
        if order_no not in self.rows:
            return _refuse(-10002, "There is no order information.")
        latest = (self.claims.get(order_no) or [None])[-1]
        return _ok([rows.single_row(self.rows[order_no], latest)])

    def _set_sending(self, form: dict[str, str], _key: str) -> SandboxReply:
        order_no, corp = form.get("OrderNo", ""), form.get("ShippingCorp", "")
        tracking = form.get("TrackingNo", "")
        if not (order_no and corp and tracking) or len(tracking) > 50 or len(corp) > 200:
            return _refuse(-10001, "Please check the OrderNo, ShippingCorp and TrackingNo.")
        if order_no not in self.rows:
            return _refuse(-10002, "There is no order information.")
        claims = self.claims.get(order_no) or []
        if self.status_of(order_no) not in (2, 3) or (
                claims and int(claims[-1]["claimStatus"]) in (1, 2, 3, 16)):
            return _refuse(-10004, "The order status is not valid.")
        if corp not in DELIVERY_COMPANIES[self.site]:
            return _refuse(-10005, "Please check the delivery company.")
        self.change(order_no, shippingStatus=rows.STATUS_TEXT[4], DeliveryCompany=corp,
                    TrackingNo=tracking)
        self.shipments.append({"OrderNo": order_no, "ShippingCorp": corp,
                               "TrackingNo": tracking})
        return _ok()


SECRETS = {"api_key": API_KEY, "certification_key": CERT_KEY, "seller_id": SELLER_ID,
           "password": PASSWORD}


def account_settings(url: str) -> dict[str, str]:
    """Settings of an account that talks to this sandbox at `url`: its orders go back 180
    days, further than a first sync reaches by default, and on loopback it need not be
    spared like Qoo10 (1 call a second)."""
    return {"api_base": service_url(url), "site": "JP", "history_days": "200",
            RATE_SETTING: "200"}
