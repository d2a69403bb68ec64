"""Orders as plain JSON-ready dicts, for `fulfill orders --json` and scripts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fulfill.domain import ChannelAccount, Money, Order


def _money(amount: Money | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {"amount": str(amount.to_decimal()), "minor": amount.minor, "currency": amount.currency}


def order_as_dict(order: Order, account: ChannelAccount) -> dict[str, Any]:
    return {
        "id": order.id,
        "channel": account.platform.value,
        "account": account.name,
        "platform_order_id": order.platform_order_id,
        "order_number": order.order_number,
        "status": order.status.value,
        "ordered_at": order.ordered_at.isoformat(),
        "buyer_name": order.buyer_name,
        "buyer_email": order.buyer_email,
        "ship_to": asdict(order.ship_to),
        "lines": [
            {"sku": line.sku, "title": line.title, "quantity": line.quantity,
             "unit_price": _money(line.unit_price)}
            for line in order.lines
        ],
        "subtotal": _money(order.subtotal),
        "shipping": _money(order.shipping),
        "tax": _money(order.tax),
        "discount": _money(order.discount),
        "total": _money(order.grand_total),
    }
