"""Small hand-made domain objects for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fulfill.domain import (
    Address, AddressText, ChannelAccount, Money, Order, OrderLine, OrderStatus, Platform,
)

BASE_TIME = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def account(platform: Platform = Platform.SHOPIFY, name: str = "Test shop") -> ChannelAccount:
    return ChannelAccount(platform=platform, name=name)


def chinese_address() -> Address:
    return Address(
        typed=AddressText(name="王芳", line1="朝阳区建国路88号", line2="SOHO现代城2号楼1801",
                          city="北京市", region="北京"),
        latin=AddressText(name="Wang Fang", line1="88 Jianguo Road, Chaoyang District",
                          line2="SOHO Xiandaicheng Bldg 2, 1801", city="Beijing", region="Beijing"),
        country_code="CN", postal_code="100022", phone="+86 138 0013 8000",
    )


def german_address() -> Address:
    return Address(
        typed=AddressText(name="Jürgen Müller", line1="Schönhauser Allee 12", city="Berlin"),
        country_code="DE", postal_code="10119", phone="+49 30 1234567",
    )


def order(
    account_id: int,
    number: str = "#1001",
    *,
    status: OrderStatus = OrderStatus.AWAITING_SHIPMENT,
    currency: str = "USD",
    address: Address | None = None,
    lines: list[OrderLine] | None = None,
    days_ago: int = 0,
    buyer: str = "",
) -> Order:
    address = address or german_address()
    lines = lines or [
        OrderLine("SG-CUSH-21N", "Glow Cushion 21N", 2, Money.parse("24.50", currency)),
        OrderLine("SG-MASK-10", "Sheet mask set", 1, Money.parse("12.00", currency)),
    ]
    return Order(
        account_id=account_id, platform_order_id=f"pid-{number}", order_number=number,
        status=status, ordered_at=BASE_TIME - timedelta(days=days_ago), currency=currency,
        ship_to=address, lines=lines, buyer_name=buyer or address.typed.name,
        shipping=Money.parse("8.00", currency),
    )
