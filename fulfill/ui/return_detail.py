"""One RMA as the Returns screen shows it: what was asked, both directions of an exchange
side by side (the goods coming back, the replacement going out), refunds and history."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from fulfill.domain import Money
from fulfill.domain.returns import ReturnKind, ReturnStatus, RmaLine
from fulfill.i18n import country_name, format_datetime, format_money
from fulfill.services.return_desk import RmaDetail

STATUS_TINTS = {
    ReturnStatus.REQUESTED: "#fff4d6", ReturnStatus.APPROVED: "#dcecff",
    ReturnStatus.AWAITING_PARCEL: "#dcecff", ReturnStatus.RECEIVED: "#ffe0cc",
    ReturnStatus.INSPECTED: "#f1e6f7", ReturnStatus.REFUNDED: "#e1f5e4",
    ReturnStatus.EXCHANGED: "#e1f5e4", ReturnStatus.REJECTED: "#f6d5d8",
    ReturnStatus.CLOSED: "#eeeeee",
}
OVERDUE_TINT = "#f6d5d8"

_STYLE = """
<style>
  h2 { margin: 0 0 2px 0; }
  .muted { color: #5a6270; }
  td, th { padding: 3px 10px 3px 0; vertical-align: top; }
  th { text-align: left; color: #5a6270; font-weight: normal; }
  .num { text-align: right; }
  .section { margin-top: 14px; font-weight: bold; }
  .late { color: #b3261e; font-weight: bold; }
</style>
"""


def _when(moment: datetime | None, locale: str | None) -> str:
    return escape(format_datetime(moment, locale, "short")) if moment else ""


def _inspection(line: RmaLine) -> str:
    if not line.inspected:
        return "<span class='muted'>not inspected</span>"
    parts = [(line.resellable, "resellable"), (line.damaged, "damaged"), (line.missing, "missing")]
    return ", ".join(f"{n} {word}" for n, word in parts if n)


def _coming_back(detail: RmaDetail) -> str:
    rma = detail.rma
    if rma.kind is ReturnKind.REFUND_ONLY:
        return "<p class='muted'>Nothing comes back: the buyer keeps the goods.</p>"
    rows = "".join(
        f"<tr><td>{escape(line.sku)}</td><td>{escape(line.title)}</td>"
        f"<td class='num'>{line.quantity}</td><td>{_inspection(line)}</td></tr>"
        for line in rma.lines)
    tracking = (f"<p>Return tracking <b>{escape(rma.return_tracking)}</b></p>"
                if rma.return_tracking else "")
    arrived = (f"<p class='muted'>Arrived {_when(rma.received_at, None)}</p>"
               if rma.received_at else "<p class='muted'>Not arrived yet</p>")
    return (f"<table><tr><th>SKU</th><th>Item</th><th>Qty</th><th>Found</th></tr>{rows}</table>"
            f"{tracking}{arrived}")


def _going_out(detail: RmaDetail, locale: str | None) -> str:
    rma, replacement = detail.rma, detail.replacement
    if rma.kind is not ReturnKind.EXCHANGE:
        return "<p class='muted'>No replacement: this is not an exchange.</p>"
    if replacement is None:
        return "<p class='muted'>No replacement sent yet.</p>"
    rows = "".join(f"<tr><td>{escape(line.sku)}</td><td>{escape(line.title)}</td>"
                   f"<td class='num'>{line.quantity}</td></tr>" for line in replacement.lines)
    shipped = "".join(
        f"<p>{escape(s.carrier)} <b>{escape(s.tracking_number)}</b> "
        f"<span class='muted'>{escape(s.status.value)} {_when(s.shipped_at, locale)}</span></p>"
        for s in detail.replacement_shipments if s.tracking_number)
    return (f"<p>Order <b>{escape(replacement.order_number)}</b> · "
            f"{escape(replacement.status.label)}</p>"
            f"<table><tr><th>SKU</th><th>Item</th><th>Qty</th></tr>{rows}</table>{shipped}")


def _refunds(detail: RmaDetail, locale: str | None) -> str:
    rma = detail.rma
    if not rma.refunds:
        return ""
    rows = "".join(
        f"<tr><td>{_when(r.refunded_at, locale)}</td><td class='num'>"
        f"{escape(format_money(r.amount, locale))}</td><td>{escape(r.method.value.replace('_', ' '))}"
        f"</td><td class='muted'>{escape(r.platform_ref or r.note)}</td></tr>" for r in rma.refunds)
    total = escape(format_money(rma.refunded, locale))
    return (f"<div class='section'>Refunds</div><table>{rows}"
            f"<tr><td><b>Total</b></td><td class='num'><b>{total}</b></td></tr></table>")


def _history(detail: RmaDetail, locale: str | None) -> str:
    rows = "".join(
        f"<tr><td class='muted'>{_when(entry.at, locale)}</td><td>{escape(entry.action.replace('_', ' '))}"
        f"{' → ' + escape(entry.new_value.replace('_', ' ')) if entry.new_value else ''}</td>"
        f"<td>{escape(entry.actor)}</td><td class='muted'>{escape(entry.note)}</td></tr>"
        for entry in detail.history)
    return f"<div class='section'>History</div><table>{rows}</table>"


def rma_html(detail: RmaDetail, *, overdue: bool, channel: str, locale: str | None,
             now: datetime | None = None) -> str:
    rma, order = detail.rma, detail.order
    at = now or datetime.now(UTC)
    tint = OVERDUE_TINT if overdue else STATUS_TINTS[rma.status]
    late = " · <span class='late'>parcel overdue</span>" if overdue else ""
    paid = escape(format_money(order.grand_total, locale))
    buyer = escape(order.buyer_name or order.ship_to.typed.name)
    country = escape(country_name(order.ship_to.country_code, locale))
    note = f"<p>{escape(rma.note)}</p>" if rma.note else ""
    platform = (f" · platform reference {escape(rma.platform_ref)}" if rma.platform_ref else "")
    return "".join([
        _STYLE,
        f"<h2>{escape(rma.code)} · {escape(rma.kind.label)}</h2>",
        f"<div class='muted'>Order <b>{escape(order.order_number)}</b> · {escape(channel)} · "
        f"{buyer}, {country} · paid {paid}</div>",
        f"<p><span style='background:{tint}'>&nbsp;{escape(rma.status.label)}&nbsp;</span> · "
        f"{escape(rma.reason.label)} · open {rma.days_open(at)} day(s){late}</p>",
        f"<p class='muted'>Return postage: {escape(rma.postage_paid_by.value)}{platform}</p>",
        note,
        "<table width='100%'><tr>",
        f"<td width='50%'><div class='section'>Coming back</div>{_coming_back(detail)}</td>",
        f"<td width='50%'><div class='section'>Going out</div>{_going_out(detail, locale)}</td>",
        "</tr></table>",
        _refunds(detail, locale),
        _left_to_refund(detail.refundable, locale),
        _history(detail, locale),
    ])


def _left_to_refund(refundable: Money, locale: str | None) -> str:
    return (f"<p class='muted'>Still refundable on the order: "
            f"{escape(format_money(refundable, locale))}</p>")
