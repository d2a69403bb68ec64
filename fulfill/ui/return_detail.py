"""One RMA as the Returns screen shows it: what was asked, both directions of an exchange
side by side (the goods coming back, the replacement going out), refunds and history."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from fulfill.domain import Money
from fulfill.domain.returns import ReturnKind, ReturnStatus, ReturnStep, RmaLine
from fulfill.i18n import country_name, format_datetime, format_money
from fulfill.services.return_desk import RmaDetail
from fulfill.translation import N_, _, ngettext
from fulfill.ui import labels

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
  th { text-align: left; color: #5a6270; font-weight: normal; white-space: nowrap; }
  .num { text-align: right; }
  .section { margin-top: 14px; font-weight: bold; }
  .late { color: #b3261e; font-weight: bold; }
</style>
"""


# The history's actions (audit log action codes) in words; others are shown as they are.
# A step's entry shows only the step: the status it led to goes without saying.
_ACTIONS = {
    # Translators: in a return's history: the return was opened.
    "opened": N_("opened"), "approve": N_("approved"), "reject": N_("rejected"),
    "await_parcel": N_("parcel on its way"), "receive": N_("parcel received"),
    "inspect": N_("inspected"),
    # Translators: in a return's history: money was paid back (maybe a part of it).
    "refund": N_("refund paid"), "exchange": N_("replacement sent"), "close": N_("closed"),
    # Translators: in a return's history: the platform's own return or refund id was noted.
    "platform reference": N_("platform reference"),
    # Translators: in a return's history: a refund made on the platform was matched to it.
    "refund matched": N_("refund matched"),
}
# Who did it, where it is the program rather than a person's name.
_ACTORS = {"seller": N_("seller"), "sync": N_("sync")}
_STATUS_VALUES = {status.value for status in ReturnStatus}
_STEP_VALUES = {step.value for step in ReturnStep}


def _muted(words: str) -> str:
    """A grey paragraph; `words` is plain text (escaped here)."""
    return f"<p class='muted'>{escape(words)}</p>"


def _section(words: str) -> str:
    return f"<div class='section'>{escape(words)}</div>"


def _head(*words: str) -> str:
    return "<tr>" + "".join(f"<th>{escape(w)}</th>" for w in words) + "</tr>"


def _action(action: str) -> str:
    words = _ACTIONS.get(action)
    return escape(_(words) if words else action.replace("_", " "))


def _new_value(value: str) -> str:
    if value in _STATUS_VALUES:
        return escape(labels.return_status(value))
    return escape(value.replace("_", " "))


def _led_to(action: str, value: str) -> str:
    """" → approved" after the action, unless the action is a step (it says as much)."""
    if not value or action in _STEP_VALUES:
        return ""
    return " → " + _new_value(value)


def _actor(actor: str) -> str:
    return escape(_(_ACTORS[actor]) if actor in _ACTORS else actor)


def _when(moment: datetime | None, locale: str | None) -> str:
    return escape(format_datetime(moment, locale, "short")) if moment else ""


def _inspection(line: RmaLine) -> str:
    if not line.inspected:
        return "<span class='muted'>" + escape(_("not inspected")) + "</span>"
    parts = [
        (line.resellable, ngettext("{n} resellable", "{n} resellable", line.resellable)),
        (line.damaged, ngettext("{n} damaged", "{n} damaged", line.damaged)),
        (line.missing, ngettext("{n} missing", "{n} missing", line.missing)),
    ]
    return escape(", ".join(words.format(n=n) for n, words in parts if n))


def _coming_back(detail: RmaDetail) -> str:
    rma = detail.rma
    if rma.kind is ReturnKind.REFUND_ONLY:
        return _muted(_("Nothing comes back: the buyer keeps the goods."))
    rows = "".join(
        f"<tr><td>{escape(line.sku)}</td><td>{escape(line.title)}</td>"
        f"<td class='num'>{line.quantity}</td><td>{_inspection(line)}</td></tr>"
        for line in rma.lines)
    tracking = ""
    if rma.return_tracking:
        tracking = "<p>" + escape(_("Return tracking {number}")).format(
            number=f"<b>{escape(rma.return_tracking)}</b>") + "</p>"
    if rma.received_at:
        arrived = "<p class='muted'>" + escape(_("Arrived {when}")).format(
            when=_when(rma.received_at, None)) + "</p>"
    else:
        arrived = _muted(_("Not arrived yet"))
    # Translators: column header: what inspection found of each piece (resellable, damaged…).
    found = _("Found")
    head = _head(_("SKU"), _("Item"), _("Qty"), found)
    return f"<table>{head}{rows}</table>{tracking}{arrived}"


def _going_out(detail: RmaDetail, locale: str | None) -> str:
    rma, replacement = detail.rma, detail.replacement
    if rma.kind is not ReturnKind.EXCHANGE:
        return _muted(_("No replacement: this is not an exchange."))
    if replacement is None:
        return _muted(_("No replacement sent yet."))
    rows = "".join(f"<tr><td>{escape(line.sku)}</td><td>{escape(line.title)}</td>"
                   f"<td class='num'>{line.quantity}</td></tr>" for line in replacement.lines)
    shipped = "".join(
        f"<p>{escape(s.carrier)} <b>{escape(s.tracking_number)}</b> "
        f"<span class='muted'>{escape(labels.shipment_status(s.status))} "
        f"{_when(s.shipped_at, locale)}</span></p>"
        for s in detail.replacement_shipments if s.tracking_number)
    order = escape(_("Order {number}")).format(
        number=f"<b>{escape(replacement.order_number)}</b>")
    head = _head(_("SKU"), _("Item"), _("Qty"))
    return (f"<p>{order} · {escape(labels.order_status(replacement.status))}</p>"
            f"<table>{head}{rows}</table>{shipped}")


def _refunds(detail: RmaDetail, locale: str | None) -> str:
    rma = detail.rma
    if not rma.refunds:
        return ""
    rows = "".join(
        f"<tr><td>{_when(r.refunded_at, locale)}</td><td class='num'>"
        f"{escape(format_money(r.amount, locale))}</td>"
        f"<td>{escape(labels.refund_method(r.method))}</td>"
        f"<td class='muted'>{escape(r.platform_ref or r.note)}</td></tr>" for r in rma.refunds)
    total = escape(format_money(rma.refunded, locale))
    # Translators: the sum of the refunds, under their list.
    words = escape(_("Total"))
    return (_section(_("Refunds")) + f"<table>{rows}"
            f"<tr><td><b>{words}</b></td><td class='num'><b>{total}</b></td></tr></table>")


def _history(detail: RmaDetail, locale: str | None) -> str:
    rows = "".join(
        f"<tr><td class='muted'>{_when(entry.at, locale)}</td><td>{_action(entry.action)}"
        f"{_led_to(entry.action, entry.new_value)}</td>"
        f"<td>{_actor(entry.actor)}</td><td class='muted'>{escape(entry.note)}</td></tr>"
        for entry in detail.history)
    return _section(_("History")) + f"<table>{rows}</table>"


def rma_html(detail: RmaDetail, *, overdue: bool, channel: str, locale: str | None,
             now: datetime | None = None) -> str:
    rma, order = detail.rma, detail.order
    at = now or datetime.now(UTC)
    tint = OVERDUE_TINT if overdue else STATUS_TINTS[rma.status]
    late = ""
    if overdue:
        late = " · <span class='late'>" + escape(_("parcel overdue")) + "</span>"
    paid = escape(format_money(order.grand_total, locale))
    buyer = escape(order.buyer_name or order.ship_to.typed.name)
    country = escape(country_name(order.ship_to.country_code, locale))
    note = f"<p>{escape(rma.note)}</p>" if rma.note else ""
    platform = ""
    if rma.platform_ref:
        platform = " · " + escape(_("platform reference {ref}")).format(
            ref=escape(rma.platform_ref))
    days = rma.days_open(at)
    return "".join([
        _STYLE,
        f"<h2>{escape(rma.code)} · {escape(labels.return_kind(rma.kind))}</h2>",
        "<div class='muted'>",
        escape(_("Order {number}")).format(number=f"<b>{escape(order.order_number)}</b>"),
        f" · {escape(channel)} · {buyer}, {country} · ",
        # Translators: what the buyer paid for the order: "paid €42.00".
        escape(_("paid {amount}")).format(amount=paid),
        "</div>",
        f"<p><span style='background:{tint}'>&nbsp;{escape(labels.return_status(rma.status))}"
        f"&nbsp;</span> · {escape(labels.return_reason(rma.reason))} · ",
        escape(ngettext("open {n} day", "open {n} days", days).format(n=days)),
        late,
        "</p><p class='muted'>",
        escape(_("Return postage paid by: {who}")).format(
            who=escape(labels.postage_paid_by(rma.postage_paid_by))),
        platform,
        "</p>",
        note,
        "<table width='100%'><tr>",
        "<td width='50%'>", _section(_("Coming back")), _coming_back(detail), "</td>",
        "<td width='50%'>", _section(_("Going out")), _going_out(detail, locale), "</td>",
        "</tr></table>",
        _refunds(detail, locale),
        _left_to_refund(detail.refundable, locale),
        _history(detail, locale),
    ])


def _left_to_refund(refundable: Money, locale: str | None) -> str:
    return "<p class='muted'>" + escape(_("Still refundable on the order: {amount}")).format(
        amount=escape(format_money(refundable, locale))) + "</p>"
