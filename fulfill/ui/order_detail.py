"""The order detail pane: lines, both address forms, totals in the order's currency, history."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser

from fulfill.domain import AddressText, ChannelAccount, Money, Order, Shipment
from fulfill.domain.export_declaration import Declaration, format_declaration_number
from fulfill.domain.returns import Rma
from fulfill.i18n import country_name, format_datetime, format_money
from fulfill.storage.audit import AuditEntry
from fulfill.storage.outbox import OutboxItem
from fulfill.ui import labels
from fulfill.translation import _
from fulfill.ui.orders_model import STATUS_TINTS

_STYLE = """
<style>
  h2 { margin: 0 0 2px 0; }
  .muted { color: #5a6270; }
  .badge { padding: 2px 6px; }
  td, th { padding: 3px 8px 3px 0; }
  th { text-align: left; color: #5a6270; font-weight: normal; }
  .num { text-align: right; }
  .section { margin-top: 14px; font-weight: bold; }
</style>
"""


def _section(title: str) -> str:
    return f"<div class='section'>{title}</div>"


def _address_block(text: AddressText) -> str:
    return "<br>".join(escape(line) for line in text.lines())


def _money_row(label: str, amount: Money | None, locale: str | None, bold: bool = False) -> str:
    if amount is None:
        return ""
    value = escape(format_money(amount, locale))
    if bold:
        label, value = f"<b>{label}</b>", f"<b>{value}</b>"
    return f"<tr><td>{label}</td><td class='num'>{value}</td></tr>"


def _write_back_text(item: OutboxItem | None, platform: str) -> str:
    if item is None:
        return ""
    if item.state == "done":
        text = _("{platform} has the tracking number").format(platform=platform)
        return f"<span style='color:#1e7b34'>✓ {text}</span>"
    if item.state == "failed":
        text = _("{platform} refused it: {error}").format(platform=platform,
                                                          error=escape(item.last_error))
        return f"<span style='color:#b3261e'>{text}</span>"
    if item.last_error:
        text = _("waiting to tell {platform} — last try: {error}").format(
            platform=platform, error=escape(item.last_error))
    else:
        text = _("waiting to tell {platform}").format(platform=platform)
    return f"<span style='color:#8a5a00'>{text}</span>"


def _shipments_html(shipments: list[Shipment], write_backs: list[OutboxItem], platform: str,
                    locale: str | None) -> str:
    by_tracking = {w.payload.get("tracking_number"): w for w in write_backs}
    rows = [
        f"<tr><td>{escape(s.carrier)}</td><td><b>{escape(s.tracking_number)}</b></td>"
        f"<td class='muted'>{escape(format_datetime(s.shipped_at, locale, 'short')) if s.shipped_at else ''}"
        f"</td><td>{_write_back_text(by_tracking.get(s.tracking_number), platform)}</td></tr>"
        for s in shipments
    ]
    return _section(_("Shipments")) + "<table>" + "".join(rows) + "</table>"


def _returns_html(rmas: list[Rma], locale: str | None) -> str:
    pieces = _("{count} pc")
    rows = "".join(
        f"<tr><td><a href='rma:{rma.id}'>{escape(rma.code)}</a></td><td>{escape(labels.return_kind(rma.kind))}"
        f"</td><td>{escape(labels.return_status(rma.status))}</td><td>{pieces.format(count=rma.item_count)}</td>"
        f"<td class='num'>"
        f"{escape(format_money(rma.refunded, locale)) if rma.refunds else ''}</td></tr>"
        for rma in rmas)
    return _section(_("Returns and refunds")) + f"<table>{rows}</table>"


def order_html(
    order: Order, account: ChannelAccount | None, history: list[AuditEntry], locale: str | None = None,
    shipments: list[Shipment] = (), write_backs: list[OutboxItem] = (), rmas: list[Rma] = (),
    declaration: Declaration | None = None,
) -> str:
    address = order.ship_to
    channel = escape(account.display_name) if account else ""
    tint = STATUS_TINTS[order.status]
    parts = [
        _STYLE,
        f"<h2>{escape(order.order_number)}</h2>",
        f"<div class='muted'>{channel} · {escape(format_datetime(order.ordered_at, locale))}</div>",
        f"<p><span class='badge' style='background:{tint}'>&nbsp;{escape(labels.order_status(order.status))}&nbsp;</span></p>",
        _section(_("Ship to")) + "<table><tr>",
        "<td valign='top'><span class='muted'>" + _("As the buyer typed it") + "</span><br>"
        f"{_address_block(address.typed)}</td>",
    ]
    if address.latin:
        parts.append("<td valign='top'><span class='muted'>" + _("Latin form for carrier")
                     + f"</span><br>{_address_block(address.latin)}</td>")
    elif address.needs_latin_form:
        missing = _("No Latin form yet: the carrier label needs one.")
        parts.append(f"<td valign='top'><span style='color:#b3261e'>{missing}</span></td>")
    parts.append("</tr></table>")
    contact = [f"{escape(country_name(address.country_code, locale))} ({address.country_code})"]
    contact += [escape(v) for v in (address.postal_code, address.phone, address.email) if v]
    parts.append(f"<div>{' · '.join(contact)}</div>")

    sku, item, qty, unit, amount = _("SKU"), _("Item"), _("Qty"), _("Unit"), _("Amount")
    parts.append(_section(_("Items")) + "<table width='100%'>"
                 f"<tr><th>{sku}</th><th>{item}</th><th class='num'>{qty}</th>"
                 f"<th class='num'>{unit}</th><th class='num'>{amount}</th></tr>")
    for line in order.lines:
        parts.append(
            f"<tr><td>{escape(line.sku)}</td><td>{escape(line.title)}</td>"
            f"<td class='num'>{line.quantity}</td>"
            f"<td class='num'>{escape(format_money(line.unit_price, locale))}</td>"
            f"<td class='num'>{escape(format_money(line.amount, locale))}</td></tr>"
        )
    parts.append("</table><table align='right'>")
    parts.append(_money_row(_("Subtotal"), order.subtotal, locale))
    parts.append(_money_row(_("Shipping"), order.shipping, locale))
    parts.append(_money_row(_("Tax"), order.tax, locale))
    parts.append(_money_row(_("Discount"), -order.discount if order.discount else None, locale))
    parts.append(_money_row(_("Total"), order.grand_total, locale, bold=True))
    parts.append("</table><br clear='all'>")

    if shipments:
        platform = account.platform.label if account else _("the platform")
        parts.append(_shipments_html(list(shipments), list(write_backs), platform, locale))
    if declaration is not None:  # the export declaration the goods left under (수출신고번호)
        number = escape(format_declaration_number(declaration.number))
        parts.append("<div>" + _("Export declaration {number}").format(
            number=f"<b>{number}</b>") + "</div>")
    if rmas:
        parts.append(_returns_html(list(rmas), locale))
    if order.buyer_name or order.buyer_email:
        buyer = " · ".join(escape(v) for v in (order.buyer_name, order.buyer_email) if v)
        parts.append(_section(_("Buyer")) + f"<div>{buyer}</div>")
    if order.note:
        parts.append(_section(_("Note")) + f"<div>{escape(order.note)}</div>")
    if history:
        parts.append(_section(_("History")) + "<table>")
        for entry in history:
            change = escape(entry.action)
            if entry.action == "status":
                change = f"{escape(entry.old_value)} → {escape(entry.new_value)}"
            elif entry.action == "created":
                change = _("imported as {status}").format(status=escape(entry.new_value))
            who = escape(entry.actor)
            note = f" — {escape(entry.note)}" if entry.note else ""
            parts.append(f"<tr><td class='muted'>{escape(format_datetime(entry.at, locale, 'short'))}"
                         f"</td><td>{change}{note}</td><td class='muted'>{who}</td></tr>")
        parts.append("</table>")
    return "".join(parts)


class OrderDetailView(QTextBrowser):
    rmaClicked = Signal(int)  # an RMA code in the Returns section was clicked
    PLACEHOLDER = ("<p style='color:#5a6270'>"
                   + _("Select an order to see its items, address and history.") + "</p>")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._link)
        self.clear_order()

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("rma:"):
            self.rmaClicked.emit(int(text[4:]))

    def clear_order(self) -> None:
        self.setHtml(self.PLACEHOLDER)

    def show_order(self, order: Order, account: ChannelAccount | None,
                   history: list[AuditEntry], locale: str | None = None,
                   shipments: list[Shipment] = (), write_backs: list[OutboxItem] = (),
                   rmas: list[Rma] = (), declaration: Declaration | None = None) -> None:
        self.setHtml(order_html(order, account, history, locale, shipments, write_backs, rmas,
                                declaration))
