"""Qoo10 order rows (GetShippingInfo_v2, or GetShippingAndClaimInfoByOrderNo_V2 for one order)
-> Order, and the claims (GetClaimInfo_V3 rows the client put under "claims") -> PlatformClaims.
Pure: payload in, domain out.

One Qoo10 order number is one item (with its quantity and option); a cart (`packNo`) groups
the orders bought together. Amounts arrive as Decimal or int (the client reads JSON numbers
as Decimal); times are the site's local time without an offset.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fulfill.channels.money_time import money, parse_time, unit_price
from fulfill.channels.qoo10.sites import JP, Site
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus
from fulfill.domain.returns import ClaimKind, PlatformClaim, ReturnReason, reason_from_text

# shippingStatus, by the number Qoo10 writes in it ("Seller confirm(3)", or a bare "3").
STATUSES = {
    1: OrderStatus.AWAITING_PAYMENT,  # 配送待ち: ordered, payment (konbini, transfer) not in
    2: OrderStatus.AWAITING_SHIPMENT,  # 配送要請: paid, Qoo10 asks the seller to ship
    3: OrderStatus.AWAITING_SHIPMENT,  # 配送準備: the seller confirmed it
    4: OrderStatus.SHIPPED,  # 配送中
    5: OrderStatus.DELIVERED,  # 配送完了
}
# ClaimStat: what the latest claim makes of the order; claims not listed leave it as is
# (a return or exchange asked for: the goods are still with the buyer).
CLAIM_STATUSES = {
    1: OrderStatus.ON_HOLD,  # cancel requested: do not ship until Qoo10 decides
    2: OrderStatus.ON_HOLD,  # cancelling
    3: OrderStatus.CANCELLED,
    6: OrderStatus.REFUNDED,  # returned and refunded
    14: OrderStatus.REFUNDED,  # never received: refunded
    15: OrderStatus.PARTIALLY_REFUNDED,  # part never received: that part refunded
    16: OrderStatus.CANCELLED,  # never paid: cancelled
}
KNOWN_CLAIMS = frozenset({1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16})
_FAMILY = {3: "cancel", 16: "cancel", 4: "return", 5: "return", 6: "return", 11: "exchange",
           12: "exchange", 13: "exchange", 14: "nonreceipt", 15: "nonreceipt"}
_PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}?県)(.*)$")
_NUMBER = re.compile(r"\((\d+)\)\s*$|^\s*(\d+)\s*$")


def pick(row: dict[str, Any], *names: str) -> Any:
    """The first of `names` the row has a value for: the v2, v3 and single-order answers
    spell the same field differently (orderNo, OrderNo; zipCode, zipcode)."""
    for name in names:
        value = row.get(name)
        if value is not None and value != "":
            return value
    return None


def order_no(row: dict[str, Any]) -> str:
    found = pick(row, "orderNo", "OrderNo")
    if found is None:
        raise KeyError("orderNo")
    return str(found)


def status_number(text: Any) -> int | None:
    """3 from "Seller confirm(3)" or "3"; None when there is no number."""
    found = _NUMBER.search(str(text or ""))
    return int(found.group(1) or found.group(2)) if found else None


def parse_qoo10_time(text: Any, site: Site = JP) -> datetime | None:
    """A Qoo10 time ("2026-11-20 18:30:05", "2026/11/20 18:30", "20261120183005") in the
    site's zone, as UTC; None for none (and for .NET's empty date, year 1 or 1900)."""
    value = str(text or "").strip()
    if not value:
        return None
    if value.isdigit() and len(value) in (8, 14):
        value = f"{value[:4]}-{value[4:6]}-{value[6:8]}" + (
            f" {value[8:10]}:{value[10:12]}:{value[12:]}" if len(value) == 14 else "")
    value = value.replace("/", "-")
    if value[:4].isdigit() and int(value[:4]) < 1970:
        return None
    return parse_time(value, naive_zone=site.zone)


def _amount(row: dict[str, Any], currency: str, *names: str) -> Money:
    return money(pick(row, *names), currency)


def _cart_orders(row: dict[str, Any]) -> list[str]:
    related = str(pick(row, "RelatedOrder", "relatedOrder") or "")
    orders = {part.strip() for part in re.split(r"[,、\s]+", related) if part.strip()}
    return sorted(orders | {order_no(row)}, key=lambda no: (len(no), no))


def shipping_of(row: dict[str, Any], currency: str) -> Money:
    """The cart's shipping fee, counted on the cart's first order only (each row repeats it)."""
    if _cart_orders(row)[0] != order_no(row):
        return Money.zero(currency)
    return _amount(row, currency, "ShippingRate", "shippingRate")


def paid_total(row: dict[str, Any], currency: str) -> Money:
    """What the buyer paid for this order: the item total after discounts, less its share of
    the cart discounts, plus the cart's shipping when this order carries it."""
    cart = (_amount(row, currency, "Cart_Discount_Seller", "CartDiscountSeller")
            + _amount(row, currency, "Cart_Discount_Qoo10", "CartDiscountQoo10"))
    return _amount(row, currency, "total", "Total") - cart + shipping_of(row, currency)


def _sku(row: dict[str, Any]) -> str:
    return str(pick(row, "optionCode", "OptionCode", "sellerItemCode", "SellerItemCode")
               or f"qoo10-{pick(row, 'itemCode', 'ItemNo', 'ItemCode') or order_no(row)}")


def _line(row: dict[str, Any], currency: str) -> OrderLine:
    quantity = int(pick(row, "orderQty", "OrderQty"))
    gross = _amount(row, currency, "total", "Total") + _amount(row, currency, "discount",
                                                               "Discount")
    title = str(pick(row, "itemTitle", "ItemTitle") or _sku(row))
    if option := pick(row, "option", "Option"):
        title = f"{title} ({option})"
    # `total` is price and option price less the item discount: the unit price is before it.
    return OrderLine(sku=_sku(row), title=title, quantity=quantity,
                     unit_price=unit_price(f"{gross.to_decimal():f}", quantity, currency),
                     platform_line_id=order_no(row))


def _address(row: dict[str, Any], site: Site) -> Address:
    """The recipient as typed. Addr1 holds the prefecture and city, Addr2 the rest; an answer
    without them has the whole address in shippingAddr."""
    addr1 = str(pick(row, "Addr1", "Address1") or "").strip()
    addr2 = str(pick(row, "Addr2", "Address2") or "").strip()
    region = city = line2 = ""
    if addr1 or addr2:
        line1 = addr2
        found = _PREFECTURE.match(addr1) if site.country == "JP" else None
        if found:
            region, city = found.group(1), found.group(2).strip()
        elif site.country == "JP":
            city = addr1
        else:
            line1, line2 = addr1, addr2
    else:  # the whole address in one: the prefecture is still plain to see
        line1 = str(pick(row, "shippingAddr", "ShippingAddress") or "").strip()
        if site.country == "JP" and (found := _PREFECTURE.match(line1)):
            region, line1 = found.group(1), found.group(2).strip()
    return Address(
        typed=AddressText(name=str(pick(row, "receiver", "Receiver") or "").strip(),
                          line1=line1, line2=line2, city=city, region=region),
        country_code=str(pick(row, "shippingCountry", "ShippingCountry") or site.country).upper(),
        postal_code=str(pick(row, "zipCode", "zipcode", "ZipCode") or ""),
        phone=str(pick(row, "receiverMobile", "ReceiverMobile", "receiverTel", "ReceiverTel")
                  or ""),
    )


def _claims_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The claims the client put with the order, oldest first; a one-order answer read on
    its own carries its latest claim in its own fields."""
    if "claims" in payload:
        found = payload["claims"] or []
    else:
        found = [payload] if pick(payload, "claimStatus", "ClaimStatus") else []
    return sorted(found, key=asked_at)


def asked_at(claim: dict[str, Any]) -> str:
    """A claim's request time as digits, comparable whichever way Qoo10 wrote it."""
    return re.sub(r"[^0-9]", "", str(claim.get("requestDate") or ""))


def claim_number(record: dict[str, Any]) -> int:
    number = status_number(pick(record, "claimStatus", "ClaimStatus"))
    if number not in KNOWN_CLAIMS:
        raise ValueError(f"unknown Qoo10 claimStatus {record.get('claimStatus')!r}")
    return number  # type: ignore[return-value]


def _status(payload: dict[str, Any]) -> OrderStatus:
    latest = _claims_of(payload)[-1:]
    if latest and (by_claim := CLAIM_STATUSES.get(claim_number(latest[0]))):
        return by_claim
    raw = pick(payload, "shippingStatus", "ShippingStatus")
    number = status_number(raw)
    if number not in STATUSES:
        raise ValueError(f"unknown Qoo10 shippingStatus {raw!r}")
    return STATUSES[number]  # type: ignore[index]


def _updated_at(payload: dict[str, Any], site: Site) -> datetime | None:
    """Qoo10 keeps no change time: the latest of the order's event dates stands in."""
    times = [parse_qoo10_time(pick(payload, *names), site) for names in (
        ("PaymentDate", "paymentDate"), ("ShippingDate", "shippingDate"),
        ("DeliveredDate", "deliveredDate"))]
    for record in _claims_of(payload):
        times += [parse_qoo10_time(record.get("requestDate"), site),
                  parse_qoo10_time(record.get("cancelRefundDate"), site)]
    found = [t for t in times if t is not None]
    return max(found) if found else None


def map_order(payload: dict[str, Any], account_id: int, site: Site = JP) -> Order:
    currency = str(pick(payload, "Currency", "currency") or site.currency).upper()
    address = _address(payload, site)
    ordered = parse_qoo10_time(pick(payload, "orderDate", "OrderDate"), site)
    if ordered is None:
        raise ValueError(f"Qoo10 order {order_no(payload)} has no orderDate")
    email = str(pick(payload, "buyerEmail", "BuyerEmail") or "")
    discount = (_amount(payload, currency, "discount", "Discount")
                + _amount(payload, currency, "Cart_Discount_Seller", "CartDiscountSeller")
                + _amount(payload, currency, "Cart_Discount_Qoo10", "CartDiscountQoo10"))
    return Order(
        account_id=account_id,
        platform_order_id=order_no(payload),
        order_number=order_no(payload),
        status=_status(payload),
        ordered_at=ordered,
        updated_at=_updated_at(payload, site),
        currency=currency,
        ship_to=address,
        lines=[_line(payload, currency)],
        buyer_name=str(pick(payload, "buyer", "Buyer") or address.typed.name),
        buyer_email=email if "@" in email else "",  # Qoo10 mostly withholds it
        shipping=shipping_of(payload, currency),
        discount=discount if discount.minor else None,
        paid_total=paid_total(payload, currency),
        note=str(pick(payload, "ShippingMsg", "ShippingMessage") or ""),
        raw=payload,
    )


def reason_of(text: Any) -> ReturnReason:
    return reason_from_text(str(text or ""))


def _paid_back(record: dict[str, Any], paid: Money) -> Money:
    """What a settled claim gave back: its paymentAmount, never more than the order's paid."""
    amount = record.get("paymentAmount")
    return paid if amount in (None, "") else min(money(amount, paid.currency), paid)


def claims(payload: dict[str, Any], site: Site = JP) -> list[PlatformClaim]:
    """The order's claims as Qoo10 reports them now: a cancellation; a return or exchange
    request; a refund when a return, or a parcel that never came, was paid back. One claim
    keeps one reference through its steps (request, then refund), so its RMA is found again."""
    currency = str(pick(payload, "Currency", "currency") or site.currency).upper()
    paid = paid_total(payload, currency)
    sku, quantity = _sku(payload), int(pick(payload, "orderQty", "OrderQty"))
    found: list[PlatformClaim] = []
    for record in _claims_of(payload):
        number = claim_number(record)
        family = _FAMILY.get(number)
        if family is None:  # a cancel request still being decided: the status says it
            continue
        asked = str(record.get("requestDate") or "")
        ref = f"{family}-{order_no(payload)}-{asked_at(record) or '0'}"
        words = str(record.get("reason") or "")
        reason = reason_of(words)
        at = parse_qoo10_time(asked, site)
        done = parse_qoo10_time(record.get("cancelRefundDate"), site) or at
        if family == "cancel":
            found.append(PlatformClaim(ref, ClaimKind.CANCELLATION, reason=reason, at=done,
                                       note=words))
        elif family in ("return", "exchange"):
            kind = ClaimKind.RETURN_REQUEST if family == "return" else ClaimKind.EXCHANGE_REQUEST
            found.append(PlatformClaim(ref, kind, None, ((sku, quantity),), reason, at, words))
            if number == 6 and (back := _paid_back(record, paid)).minor:
                found.append(PlatformClaim(ref, ClaimKind.REFUND, back, ((sku, quantity),),
                                           reason, done, words))
        elif number == 14 and (back := _paid_back(record, paid)).minor:
            found.append(PlatformClaim(ref, ClaimKind.REFUND, back, (),
                                       ReturnReason.NEVER_ARRIVED, done, words))
        elif number == 15:
            part = min(money(record.get("nrPartRefundBalance"), currency), paid)
            pieces = int(record.get("nrPartRefundCnt") or 0)
            if part.minor:
                found.append(PlatformClaim(ref, ClaimKind.REFUND, part,
                                           ((sku, pieces),) if pieces else (),
                                           ReturnReason.NEVER_ARRIVED, done, words))
    return found
