"""Cafe24 order payloads for the sandbox, in the shapes of the admin docs: the order with its
items, receivers, buyer and claim records, the refund records, and the claim steps
(request, complete, refund, withdraw) that change them.

Each order also has its dated events by the orders list's date_type (order_date, pay_date,
shipbegin_date, …): the list searches those, as Cafe24 has no "changed since" filter.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from fulfill.channels.money_time import KST
from fulfill.domain import Money, Order, OrderStatus

Events = dict[str, list[datetime]]
SHOP_BY_CURRENCY = {"KRW": 1, "USD": 2, "JPY": 3, "CNY": 4, "TWD": 5}
STATUS_TEXT = {"N00": "Before Deposit", "N10": "Preparing Product", "N20": "Preparing Shipment",
               "N21": "Standby", "N22": "Shipping Hold", "N30": "Shipping",
               "N40": "Shipping Complete", "N50": "Purchase Confirmed"}
_SHIPPED = {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.REFUNDED,
            OrderStatus.PARTIALLY_REFUNDED}
_DISCOUNT_KEYS = ("membership_discount_amount", "shipping_fee_discount_amount",
                  "set_product_discount_amount", "app_discount_amount", "point_incentive_amount",
                  "market_other_discount_amount", "points_spent_amount", "credits_spent_amount",
                  "coupon_shipping_fee_amount", "total_amount_due")


def amount(value: Money | None) -> str:
    """Cafe24 writes every amount with two decimals, whatever the currency: "30000.00"."""
    return f"{value.to_decimal() if value is not None else 0:.2f}"


def kst_iso(moment: datetime | None) -> str | None:
    """2026-05-27T12:45:19+09:00, as orders carry their dates."""
    return moment.astimezone(KST).isoformat(timespec="seconds") if moment else None


def kst_plain(moment: datetime | None) -> str | None:
    """2026-05-27 12:45:19 (KST, no offset), as the items list writes its dates."""
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S") if moment else None


def _product_no(sku: str) -> int:
    return 10 + zlib.crc32(sku.encode()) % 9000


def _item(order: Order, order_id: str, shop: int, n: int, line, status: str) -> dict[str, Any]:
    product_no = _product_no(line.sku)
    product_code = f"P{product_no:07X}"
    base_sku = line.sku.rsplit("-", 1)[0] if line.sku.count("-") > 1 else line.sku
    return {
        "shop_no": shop, "item_no": n, "order_item_code": f"{order_id}-{n:02d}",
        "variant_code": f"{product_code}000A", "product_no": product_no,
        "product_code": product_code, "internal_product_name": line.title,
        "custom_product_code": base_sku, "custom_variant_code": line.sku,
        "eng_product_name": None, "option_id": "000A", "option_value": "",
        "option_value_default": "", "additional_option_value": "", "additional_option_values": [],
        "product_name": line.title, "product_name_default": line.title,
        "product_price": amount(line.unit_price), "option_price": "0.00",
        "additional_discount_price": "0.00", "coupon_discount_price": "0.00",
        "app_item_discount_amount": "0.00", "payment_amount": None, "quantity": line.quantity,
        "product_tax_type": "A", "tax_rate": 10, "supplier_product_name": "",
        "supplier_transaction_type": "D", "supplier_id": "S0000000", "supplier_name": "",
        "tracking_no": None, "shipping_code": None, "claim_code": None,
        "claim_reason_type": None, "claim_reason": None, "refund_bank_name": None,
        "refund_bank_account_no": None, "refund_bank_account_holder": None,
        "post_express_flag": None, "order_status": status, "request_undone": None,
        "claim_quantity": 0, "order_status_additional_info": None, "status_code": "N1",
        "status_text": STATUS_TEXT.get(status, status), "open_market_status": "",
        "bundled_shipping_type": "N", "shipping_company_id": None, "shipping_company_name": None,
        "shipping_company_code": None, "product_bundle": "F", "product_bundle_no": "0",
        "naver_pay_order_id": None, "naver_pay_claim_status": None,
        "individual_shipping_fee": "0.00", "shipping_fee_type": "X",
        "shipping_payment_option": "P", "store_pickup": "F",
        "ordered_date": kst_plain(order.ordered_at), "shipped_date": None,
        "delivered_date": None, "purchaseconfirmation_date": None, "cancel_date": None,
        "return_confirmed_date": None, "return_request_date": None,
        "return_collected_date": None, "cancel_request_date": None, "refund_date": None,
        "exchange_request_date": None, "exchange_date": None, "product_weight": "0.20",
        "hs_code": "", "origin_place": "Domestic", "made_in_code": "KR", "gift": "F",
        "subscription": "F", "option_type": None, "options": [], "market_discount_amount": "0.00",
        "labels": None, "order_status_before_cs": None, "supply_price": amount(line.unit_price),
        "multi_invoice": None, "shipping_expected_date": None, "order_id": order_id,
        "claim_type": None, "claim_status": None,
    }


def _receiver(order: Order, order_id: str, shop: int) -> dict[str, Any]:
    to, typed, latin = order.ship_to, order.ship_to.typed, order.ship_to.latin
    full = " ".join(p for p in (typed.line1, typed.line2, typed.city, typed.region) if p)
    street_en = ", ".join(p for p in (latin.line1, latin.line2) if p) if latin else ""
    return {
        "shop_no": shop, "name": typed.name, "name_furigana": "", "phone": "",
        "cellphone": to.phone, "virtual_phone_no": None, "zipcode": to.postal_code,
        "address1": typed.line1, "address2": typed.line2, "address_state": typed.region,
        "address_city": typed.city, "address_street": "", "address_full": full,
        "name_en": latin.name if latin else "", "city_en": latin.city if latin else "",
        "state_en": latin.region if latin else "", "street_en": street_en,
        "country_code": to.country_code, "country_name": to.country_code,
        "country_name_en": to.country_code, "shipping_message": order.note,
        "clearance_information_type": None, "clearance_information": None,
        "wished_delivery_date": "", "wished_delivery_time": None,
        "shipping_code": f"D-{order_id}-00",
    }


def _amounts(order: Order) -> dict[str, str]:
    charged = {"order_price_amount": amount(order.subtotal),
               "shipping_fee": amount(order.shipping),
               "coupon_discount_price": amount(order.discount), "tax": "0.00",
               "payment_amount": amount(order.grand_total)}
    return {**charged, **{key: "0.00" for key in _DISCOUNT_KEYS}}


def render(order: Order, order_id: str, index: int) -> tuple[dict[str, Any], Events]:
    """A demo order as GET /orders?embed=… lists it, with its events. The claims its
    status implies (a cancellation, a return refunded in full or for one item) are
    opened and settled through the same steps the sandbox's helpers use."""
    shop = order.raw.get("shop_no") or SHOP_BY_CURRENCY.get(order.currency, 1)
    status = order.status
    paid_at = (None if status is OrderStatus.AWAITING_PAYMENT
               else order.ordered_at + timedelta(seconds=90))
    code = {OrderStatus.AWAITING_PAYMENT: "N00",
            OrderStatus.AWAITING_SHIPMENT: "N20" if index % 2 else "N10",
            OrderStatus.ON_HOLD: "N22" if index % 2 else "C00",
            OrderStatus.SHIPPED: "N30", OrderStatus.CANCELLED: "N20",
            }.get(status, "N50" if index % 3 == 0 else "N40")
    items = [_item(order, order_id, shop, n, line, code) for n, line in enumerate(order.lines, 1)]
    email = order.buyer_email or order.ship_to.email
    payload: dict[str, Any] = {
        "shop_no": shop, "currency": order.currency, "order_id": order_id, "market_id": "self",
        "market_order_no": None, "member_id": f"member{index:05d}", "member_email": email,
        "member_authentication": "T", "initial_order_amount": _amounts(order),
        "actual_order_amount": _amounts(order), "billing_name": order.buyer_name,
        "bank_code": None, "bank_code_name": None, "payment_method": ["card"],
        "payment_method_name": ["Credit card"], "payment_gateway_names": None,
        "sub_payment_method_name": "PayPal" if order.currency == "USD" else None,
        "sub_payment_method_code": "PM002" if order.currency == "USD" else None,
        "transaction_ids": None, "paid": "F" if paid_at is None else "T", "canceled": "F",
        "order_date": kst_iso(order.ordered_at), "first_order": "F",
        "payment_date": kst_iso(paid_at), "order_from_mobile": "F", "use_escrow": "F",
        "bank_account_no": None, "bank_account_owner_name": None, "market_seller_id": None,
        "payment_amount": amount(order.grand_total), "cancel_date": None,
        "order_place_name": "PC", "order_place_id": "cafe24", "payment_confirmation": None,
        "commission": "0.00", "postpay": "F", "admin_additional_amount": "0.00",
        "additional_shipping_fee": "0.00", "international_shipping_insurance": "0.00",
        "additional_handling_fee": "0.00",
        "shipping_type": "A" if order.ship_to.country_code == "KR" else "B",
        "shipping_type_text": "Domestic Shipping" if order.ship_to.country_code == "KR"
        else "International Shipping", "shipping_status": "F", "wished_delivery_date": "",
        "wished_delivery_time": None, "wished_carrier_id": None, "wished_carrier_name": None,
        "return_confirmed_date": None, "total_supply_price": amount(order.subtotal),
        "naver_point": 0, "additional_order_info_list": [], "store_pickup": "F",
        "easypay_name": "", "loan_status": None, "subscription": "F", "multiple_addresses": "F",
        "exchange_rate": "1.0000", "first_payment_methods": ["card"],
        "naverpay_payment_information": None, "include_tax": "F", "tax_detail": [],
        "service_type": None, "service_data": None, "show_shipping_address": "T",
        "social_member_code": None, "social_name": None,
        "items": items, "receivers": [_receiver(order, order_id, shop)],
        "buyer": {"shop_no": shop, "member_id": f"member{index:05d}", "member_group_no": 1,
                  "name": order.buyer_name, "names_furigana": "", "email": email, "phone": "",
                  "cellphone": order.ship_to.phone, "customer_notification": None,
                  "updated_date": None, "user_id": None, "user_name": None, "company_name": "",
                  "company_registration_no": "", "buyer_zipcode": "", "buyer_address1": "",
                  "buyer_address2": ""},
        "cancellation": [], "return": [], "exchange": [],
    }
    events: Events = {"order_date": [order.ordered_at]}
    if paid_at:
        events["pay_date"] = [paid_at]
    changed = order.updated_at or order.ordered_at
    span = changed - order.ordered_at
    if status in _SHIPPED:
        shipped_at = changed if status is OrderStatus.SHIPPED else order.ordered_at + span / 3
        ship(payload, events, f"SB{zlib.crc32(order_id.encode()):010d}", "0015", "우체국 EMS",
             shipped_at, [i["order_item_code"] for i in items])
    if status in (OrderStatus.DELIVERED, OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED):
        delivered_at = order.ordered_at + span * 2 / 3
        for item in items:
            item["order_status"] = code if status is OrderStatus.DELIVERED else "N40"
            item["delivered_date"] = kst_plain(delivered_at)
        events.setdefault("shipend_date", []).append(delivered_at)
    return payload, events


def set_status(payload: dict[str, Any], codes: Iterable[str], status: str) -> None:
    wanted = set(codes)
    for item in payload["items"]:
        if item["order_item_code"] in wanted:
            item["order_status"] = status
            item["status_text"] = STATUS_TEXT.get(status, status)


def ship(payload: dict[str, Any], events: Events, tracking: str, code: str, carrier: str,
         at: datetime, item_codes: list[str], status: str = "N30") -> str:
    """The items leave with a tracking number; returns the shipping_code."""
    shipping_code = f"D-{payload['order_id']}-{len(events.get('shipbegin_date', [])):02d}"
    for item in payload["items"]:
        if item["order_item_code"] in item_codes:
            item.update(tracking_no=tracking, shipping_code=shipping_code,
                        shipping_company_code=code, shipping_company_name=carrier,
                        shipped_date=kst_plain(at) if status == "N30" else None)
    set_status(payload, item_codes, status)
    payload["shipping_status"] = "M" if status == "N30" else payload["shipping_status"]
    if status == "N30":
        events.setdefault("shipbegin_date", []).append(at)
    return shipping_code


def open_claim(payload: dict[str, Any], events: Events, letter: str, claim_code: str,
               pieces: list[tuple[str, int]], status: str, reason_type: str, reason: str,
               at: datetime) -> dict[str, Any]:
    """A cancellation (C), return (R) or exchange (E) asked for on some items."""
    request_field = {"C": "cancel_request_date", "R": "return_request_date",
                     "E": "exchange_request_date"}[letter]
    asked = dict(pieces)
    for item in payload["items"]:
        if item["order_item_code"] in asked:
            item.update(claim_code=claim_code, claim_reason_type=reason_type,
                        claim_reason=reason, claim_quantity=asked[item["order_item_code"]],
                        order_status_before_cs=item["order_status"],
                        **{request_field: kst_plain(at)})
    set_status(payload, asked, status)
    events.setdefault(request_field, []).append(at)
    record = {"shop_no": payload["shop_no"], "order_id": payload["order_id"],
              "claim_code": claim_code, "claim_reason_type": reason_type,
              "claim_reason": reason, "refund_methods": [], "refund_reason": "",
              "order_price_amount": "0.00", "refund_amounts": [], "shipping_fee": "0.00",
              "return_ship_type": None, "undone": "F", "undone_reason_type": None,
              "undone_reason": None, "expose_order_detail": None, "exposed_undone_reason": None,
              "items": [{"order_item_code": code, "quantity": n} for code, n in pieces],
              "include_tax": "F", "tax": None, "cancel_fee_amount": None,
              "status": {"C": "canceling", "R": "accepted", "E": "accepted"}[letter]}
    payload[{"C": "cancellation", "R": "return", "E": "exchange"}[letter]].append(record)
    return record


def claim_items(payload: dict[str, Any], claim_code: str) -> list[dict[str, Any]]:
    return [i for i in payload["items"] if i["claim_code"] == claim_code]


def pay_refund(payload: dict[str, Any], record: dict[str, Any], refund: Money,
               at: datetime) -> dict[str, Any]:
    """The buyer has the money back: the record's refund, the order's amounts, and the
    refund record GET /refunds lists."""
    record["refund_amounts"] = [{"payment_method": "card", "amount": amount(refund)}]
    record["refund_methods"] = ["Credit card refund"]
    actual = payload["actual_order_amount"]
    left = Money.parse(actual["payment_amount"], payload["currency"]) - refund
    actual["payment_amount"] = amount(left)
    items = claim_items(payload, record["claim_code"])
    for item in items:
        item["refund_date"] = kst_plain(at)
    return {
        "shop_no": payload["shop_no"], "member_id": payload["member_id"],
        "member_email": payload["member_email"], "buyer_email": payload["member_email"],
        "order_date": payload["order_date"], "accepted_refund_date": kst_iso(at),
        "refund_date": kst_iso(at), "order_id": payload["order_id"],
        "refund_code": record["claim_code"],
        "order_item_code": [i["order_item_code"] for i in items],
        "quantity": sum(int(i["claim_quantity"] or i["quantity"]) for i in items),
        "actual_refund_amount": amount(refund), "used_points": "0.00", "used_credits": "0.00",
        "currency": payload["currency"], "payment_methods": ["card"],
        "refund_payment_methods": ["card"],
        "payment_gateway_cancel_statuses": [{"payment_method": "card", "cancel_status": "T"}],
        "payment_gateway_cancel_dates": [{"payment_method": "card", "cancel_date": kst_iso(at)}],
        "status": "T", "refund_methods": ["Credit card refund"], "refund_bank_name": None,
        "refund_bank_account_no": None, "refund_bank_account_holder": None,
        "include_tax": "F", "tax": None, "cancel_fee_amount": None,
    }


def find_record(payload: dict[str, Any], claim_code: str) -> tuple[str, dict[str, Any]]:
    for key in ("cancellation", "return", "exchange"):
        for record in payload[key]:
            if record["claim_code"] == claim_code:
                return key, record
    raise KeyError(claim_code)
