"""What stops papers from printing, order by order, with the fields to fill it in on the spot.

Opened when papers.render / parcel_papers refuse (PapersBlocked). Per SKU: HS code, origin,
net weight and English description; per order without one: the tracking number; for the
seller profile: a button to it. "Save and print" saves everything in one StoreWorker job and
then calls back, and the caller tries again (a gap still open shows up again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from fulfill.domain import (
    Product, TrackingNumberError, is_latin, normalize_tracking_number,
)
from fulfill.domain.catalog import normalize_hs_code
from fulfill.services.parcels import Gap, hs_problem_text
from fulfill.ui.account_dialog import BAD_COLOUR, MUTED_COLOUR
from fulfill.translation import _, ngettext
from fulfill.ui.catalog_window import gap_label, list_text, origin_problem
from fulfill.ui.seller_profile_dialog import open_seller_profile
from fulfill.ui.ship_dialog import CARRIERS
from fulfill.ui.store_worker import StoreWorker
from fulfill.ui.tables import ReadOnlyTable

PRODUCT_GAPS = ("product", "HS code", "country of origin", "net weight", "customs description")


def _action_texts(action: str, count: int, others: int) -> tuple[str, str, str]:
    """The heading, the save button and the skip button for what the caller wants to do
    ("print", "pack" or "preview"), as whole sentences so each language can word them."""
    n, m = f"{count:,}", f"{others:,}"
    if action == "pack":
        return (ngettext("{n} order cannot pack yet.", "{n} orders cannot pack yet.",
                         count).format(n=n),
                _("Save and pack"), _("Pack the other {n} only").format(n=m))
    if action == "preview":
        return (ngettext("{n} order cannot preview yet.", "{n} orders cannot preview yet.",
                         count).format(n=n),
                _("Save and preview"), _("Preview the other {n} only").format(n=m))
    return (ngettext("{n} order cannot print yet.", "{n} orders cannot print yet.",
                     count).format(n=n),
            _("Save and print"), _("Print the other {n} only").format(n=m))


@dataclass
class _SkuFields:
    sku: str
    title: str
    product: Product | None
    hs_code: QLineEdit
    origin: QLineEdit
    weight: QSpinBox
    description: QLineEdit


@dataclass
class _TrackingFields:
    order_id: int
    carrier: QComboBox
    number: QLineEdit


def _context(store, blocked: dict[int, list[Gap]]) -> tuple[dict[str, Product], dict[str, str]]:
    """The products named by the gaps, and each gap SKU's title on its order line."""
    skus = {gap.sku for gaps in blocked.values() for gap in gaps if gap.sku}
    titles: dict[str, str] = {}
    for order_id, gaps in blocked.items():
        if any(gap.sku for gap in gaps) and (order := store.orders.get(order_id)) is not None:
            for line in order.lines:
                titles.setdefault(line.sku, line.title)
    return store.products.by_skus(skus), titles


class MissingDataDialog(QDialog):
    """Lists every gap and offers a field for each one that can be filled here."""

    def __init__(self, worker: StoreWorker, blocked: dict[int, list[Gap]],
                 order_numbers: dict[int, str], *, total_orders: int,
                 action: str = "print", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.blocked = blocked
        self.order_numbers = order_numbers
        self.skip_requested = False
        self.sku_fields: dict[str, _SkuFields] = {}
        self.tracking_fields: dict[int, _TrackingFields] = {}
        self.setWindowTitle(_("Missing customs data"))
        self.setMinimumSize(900, 560)

        count = len(blocked)
        others = total_orders - count
        heading, save_text, skip_text = _action_texts(action, count, others)
        self.heading = QLabel(f"<b>{escape(heading)}</b> " + escape(
            _("Fill in what is missing below; it is saved to the products and orders, so the "
              "next parcel has it too.")))
        self.heading.setWordWrap(True)
        self.gap_table = ReadOnlyTable([_("Order"), _("SKU"), _("Missing"), _("Detail")],
                                       (180, 150, 140, 300), stretch=3)
        rows = [[(order_numbers.get(order_id, str(order_id)), ""), (gap.sku, ""),
                 (gap_label(gap.what), ""), (gap.detail, gap.detail)]
                for order_id, gaps in blocked.items() for gap in gaps]
        self.gap_table.fill(rows)
        self.gap_table.setMaximumHeight(min(8, len(rows) + 1) * (self.fontMetrics().height() + 10) + 8)

        self.fields_box = QWidget()
        self.fields_layout = QVBoxLayout(self.fields_box)
        self.fields_layout.setContentsMargins(0, 0, 0, 0)
        self.loading = QLabel(_("Reading the products…"))
        self.fields_layout.addWidget(self.loading)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields_box)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.profile_gaps = [gap for gaps in blocked.values() for gap in gaps
                             if gap.what == "seller profile"]
        self.other_gaps = sorted({(order_numbers.get(order_id, str(order_id)), gap.detail)
                                  for order_id, gaps in blocked.items() for gap in gaps
                                  if not gap.sku and gap.what not in ("seller profile",
                                                                      "tracking number")})
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD_COLOUR}")
        self.error.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(save_text,
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.skip_button = None
        if others > 0:
            self.skip_button = self.buttons.addButton(skip_text,
                                                      QDialogButtonBox.ButtonRole.ActionRole)
            self.skip_button.clicked.connect(self._skip)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.gap_table)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        worker.submit(lambda store, _p, _c: _context(store, blocked), self._build_fields,
                      self._failed, owner=self)

    # --- fields ------------------------------------------------------------------------
    def _build_fields(self, context: tuple[dict[str, Product], dict[str, str]]) -> None:
        products, titles = context
        self.loading.deleteLater()
        missing_by_sku: dict[str, set[str]] = {}
        for gaps in self.blocked.values():
            for gap in gaps:
                if gap.sku and gap.what in PRODUCT_GAPS:
                    missing_by_sku.setdefault(gap.sku, set()).add(gap.what)
        if missing_by_sku:
            self.fields_layout.addWidget(self._products_box(missing_by_sku, products, titles))
        tracking = [order_id for order_id, gaps in self.blocked.items()
                    if any(gap.what == "tracking number" for gap in gaps)]
        if tracking:
            self.fields_layout.addWidget(self._tracking_box(tracking))
        if self.profile_gaps:
            box = QGroupBox(_("Seller profile"))
            row = QHBoxLayout(box)
            what = list_text(dict.fromkeys(g.detail for g in self.profile_gaps))
            self.profile_label = QLabel(escape(_("Missing: {what}.").format(what=what)))
            self.profile_label.setWordWrap(True)
            self.profile_label.setTextFormat(Qt.TextFormat.RichText)
            self.profile_button = QPushButton(_("Open seller &profile…"))
            self.profile_button.setAutoDefault(False)
            self.profile_button.clicked.connect(self._open_profile)
            row.addWidget(self.profile_label, 1)
            row.addWidget(self.profile_button)
            self.fields_layout.addWidget(box)
        if self.other_gaps:
            text = "<br>".join(f"{escape(number)}: {escape(detail)}"
                               for number, detail in self.other_gaps)
            note = QLabel(f"<span style='color:{MUTED_COLOUR}'>"
                          + escape(_("Cannot be fixed here — correct these on the order or "
                                     "leave the order out:")) + f"</span><br>{text}")
            note.setWordWrap(True)
            self.fields_layout.addWidget(note)
        self.fields_layout.addStretch(1)
        self.save_button.setEnabled(bool(self.sku_fields or self.tracking_fields
                                         or self.profile_gaps))
        first = next(iter(self.sku_fields.values()), None)
        if first is not None:
            first.hs_code.setFocus()

    def _products_box(self, missing_by_sku: dict[str, set[str]], products: dict[str, Product],
                      titles: dict[str, str]) -> QGroupBox:
        box = QGroupBox(_("Products"))
        grid = QGridLayout(box)
        for column, caption in enumerate((_("SKU"), _("HS code"), _("Origin"), _("Net weight"),
                                          _("Customs description in English"))):
            grid.addWidget(QLabel(f"<b>{caption}</b>"), 0, column)
        grid.setColumnStretch(4, 1)
        for row, sku in enumerate(sorted(missing_by_sku), start=1):
            product = products.get(sku)
            title = product.title if product else titles.get(sku, "")
            new = " <i>" + escape(_("(new)")) + "</i>" if product is None else ""
            name = QLabel(f"{escape(sku)}{new}<br><span style='color:{MUTED_COLOUR}'>"
                          f"{escape(title[:40])}</span>")
            name.setToolTip(title)
            hs = QLineEdit(product.hs_code if product else "", placeholderText="3304.99")
            hs.setFixedWidth(130)
            origin = QLineEdit(product.origin_country if product else "KR")
            origin.setMaxLength(2)
            origin.setFixedWidth(50)
            weight = QSpinBox()
            weight.setRange(0, 1_000_000)
            weight.setSuffix(" g")
            weight.setSpecialValueText("— g")
            weight.setFixedWidth(110)
            weight.setValue(product.unit_weight_g if product else 0)
            english = (product.customs_descriptions.get("en", "") if product else "") or ""
            # An example of the English description: not translated.
            description = QLineEdit(english, placeholderText=title or "Face cream, 50 ml")
            fields = _SkuFields(sku, title, product, hs, origin, weight, description)
            self.sku_fields[sku] = fields
            for column, widget in enumerate((name, hs, origin, weight, description)):
                grid.addWidget(widget, row, column)
            hs.textChanged.connect(lambda _t, f=fields: self._mark(f))
            origin.textChanged.connect(lambda _t, f=fields: self._mark(f))
            self._mark(fields)
        return box

    def _tracking_box(self, order_ids: list[int]) -> QGroupBox:
        box = QGroupBox(_("Tracking numbers — labels print the carrier's number"))
        grid = QGridLayout(box)
        for column, caption in enumerate((_("Order"), _("Carrier"), _("Tracking number"))):
            grid.addWidget(QLabel(f"<b>{caption}</b>"), 0, column)
        grid.setColumnStretch(2, 1)
        for row, order_id in enumerate(order_ids, start=1):
            carrier = QComboBox(editable=True)
            carrier.addItems(CARRIERS)
            number = QLineEdit(placeholderText=_("Scan or type it, e.g. {example}").format(
                example="EE123456785KR"))
            self.tracking_fields[order_id] = _TrackingFields(order_id, carrier, number)
            grid.addWidget(QLabel(escape(self.order_numbers.get(order_id, str(order_id)))), row, 0)
            grid.addWidget(carrier, row, 1)
            grid.addWidget(number, row, 2)
        return box

    def _mark(self, fields: _SkuFields) -> None:
        """A red frame on a field that cannot be saved as typed, with the reason as tooltip."""
        for edit, problem in ((fields.hs_code, self._hs_error(fields.hs_code.text())),
                              (fields.origin, origin_problem(fields.origin.text().strip().upper()))):
            edit.setStyleSheet(f"border: 1px solid {BAD_COLOUR}" if problem else "")
            edit.setToolTip(problem or "")

    @staticmethod
    def _hs_error(text: str) -> str | None:
        return hs_problem_text(text.strip()) if text.strip() else _("no HS code")

    # --- saving ------------------------------------------------------------------------
    def products(self) -> list[Product]:
        """The edited products; raises ValueError naming the first field that is not right."""
        edited = []
        for fields in self.sku_fields.values():
            if problem := self._hs_error(fields.hs_code.text()):
                fields.hs_code.setFocus()
                raise ValueError(f"{fields.sku}: {problem}.")
            origin = fields.origin.text().strip().upper()
            if problem := origin_problem(origin):
                fields.origin.setFocus()
                raise ValueError(f"{fields.sku}: {problem}.")
            if fields.weight.value() <= 0:
                fields.weight.setFocus()
                raise ValueError(_("{sku}: type the net weight of one item in grams.").format(
                    sku=fields.sku))
            base = fields.product or Product(fields.sku, fields.title)
            descriptions = dict(base.customs_descriptions)
            if english := fields.description.text().strip():
                descriptions["en"] = english
            # The title stands in for the description only when customs can read it.
            if not (descriptions.get("en") or (base.title and is_latin(base.title))):
                fields.description.setFocus()
                raise ValueError(_("{sku}: describe the goods in English, e.g. “{example}”.")
                                 .format(sku=fields.sku, example="Face cream, 50 ml"))
            edited.append(replace(base, hs_code=normalize_hs_code(fields.hs_code.text().strip()),
                                  origin_country=origin, unit_weight_g=fields.weight.value(),
                                  customs_descriptions=descriptions))
        return edited

    def tracking_numbers(self) -> list[tuple[int, str, str]]:
        """(order id, carrier, number) for each filled-in field; raises ValueError if wrong."""
        numbers = []
        for fields in self.tracking_fields.values():
            if not fields.number.text().strip():
                continue  # left empty: that order stays blocked and is listed again
            try:
                number = normalize_tracking_number(fields.number.text())
            except TrackingNumberError as error:
                fields.number.setFocus()
                raise ValueError(str(error)) from None
            numbers.append((fields.order_id, fields.carrier.currentText().strip(), number))
        return numbers

    def _save(self) -> None:
        try:
            products, numbers = self.products(), self.tracking_numbers()
        except ValueError as error:
            self.error.setText(str(error))
            self.error.setVisible(True)
            return

        def job(store, _progress, _cancel) -> None:
            from fulfill.services.papers import set_tracking_number

            if products:
                store.products.save(products)
            for order_id, carrier, number in numbers:
                set_tracking_number(store, order_id, number, carrier=carrier, actor="seller")

        self.save_button.setEnabled(False)
        self.error.setVisible(False)
        self.worker.submit(job, lambda _none: self.accept(), self._failed, owner=self)

    def _skip(self) -> None:
        self.skip_requested = True
        self.accept()

    def _open_profile(self) -> None:
        def saved(profile) -> None:
            still = profile.missing()
            self.profile_label.setText(
                escape(_("Still missing: {what}.").format(what=list_text(still))) if still
                else "<span style='color:#1e6b34'>✔ " + escape(_("Seller profile complete."))
                + "</span>")

        open_seller_profile(self, self.worker, saved)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(_("Saving did not work: {error}").format(error=error))
        self.error.setVisible(True)


def ask_for_missing_data(parent: QWidget, worker: StoreWorker, blocked: dict[int, list[Gap]],
                         order_numbers: dict[int, str], *, total_orders: int,
                         retry: Callable[[], None], skip: Callable[[list[int]], None],
                         action: str = "print") -> MissingDataDialog:
    """Open the dialog; after "Save and …" call `retry()`, after "… the others only"
    `skip(blocked ids)`."""
    dialog = MissingDataDialog(worker, blocked, order_numbers, total_orders=total_orders,
                               action=action, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def accepted() -> None:
        if dialog.skip_requested:
            skip(list(blocked))
        else:
            retry()

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog
