"""Products: per SKU what customs asks (HS code, origin, net weight, descriptions), and the
SKUs that orders name but the catalogue lacks.

Reads and writes both run on the StoreWorker: a save returns the fresh listing from the same
job, so the table never shows a state older than the save. A catalogue is small (hundreds to a
few thousand SKUs), so filtering is done on the loaded list.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QSpinBox, QSplitter, QTableWidgetItem, QVBoxLayout, QWidget,
)

from fulfill.domain import Product
from fulfill.domain.catalog import normalize_hs_code
from fulfill.services.parcels import hs_problem_text, product_gaps
from fulfill.ui.account_dialog import BAD_COLOUR, MUTED_COLOUR, OK_COLOUR
from fulfill.translation import _, ngettext
from fulfill.ui.store_worker import StoreWorker
from fulfill.ui.tables import ReadOnlyTable

# Languages a customs description may be given in besides English, as the invoice uses them.
LANGUAGES = (("zh-Hans", _("Chinese (Simplified)")), ("zh-Hant", _("Chinese (Traditional)")),
             ("ja", _("Japanese")), ("ko", _("Korean")))
_COUNTRY = re.compile(r"^[A-Z]{2}$")

# What a customs gap is about (services.parcels.Gap.what, compared in code), as the UI says it.
GAP_LABELS = {
    "product": _("product"),
    "HS code": _("HS code"),
    "country of origin": _("country of origin"),
    "net weight": _("net weight"),
    "customs description": _("customs description"),
    "seller profile": _("seller profile"),
    "recipient address": _("recipient address"),
    "tracking number": _("tracking number"),
    "order": _("order"),
    "order status": _("order status"),
}


def list_text(items) -> str:
    """Items joined as a list in the interface language ("a, b" or "a、b")."""
    # Translators: the separator between the items of a list ("HS code, net weight").
    return _(", ").join(items)


def gap_label(what: str) -> str:
    """A Gap's `what` in the interface language (unknown ones as they come)."""
    return GAP_LABELS.get(what, what)


def origin_problem(code: str) -> str | None:
    if not code:
        return _("no country of origin")
    if not _COUNTRY.match(code):
        return _("country of origin {code} is not a two-letter code such as KR").format(
            code=repr(code))
    return None


def _item(text: str, *, colour: str | None = None, tip: str = "", right: bool = False,
          data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if colour:
        item.setForeground(QBrush(QColor(colour)))
    if tip:
        item.setToolTip(tip)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _listing(store) -> tuple[list[Product], list]:
    return store.products.all(), store.products.unknown_skus()


class ProductForm(QGroupBox):
    """The customs data of one product; `product()` gives it back, or None while invalid."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__(_("Product"))
        self.original: Product | None = None
        self.sku = QLineEdit(placeholderText="SG-CUSH-21N")
        self.title = QLineEdit(placeholderText=_("Glow Cushion 21N"))
        self.hs_code = QLineEdit(placeholderText=_("3304.99 or 3304991000"))
        self.hs_message = QLabel()
        self.hs_message.setWordWrap(True)
        self.origin = QLineEdit(placeholderText="KR")
        self.origin.setMaxLength(2)
        self.origin.setFixedWidth(60)
        self.origin_message = QLabel()
        self.origin_message.setStyleSheet(f"color: {BAD_COLOUR}")
        self.weight = QSpinBox()
        self.weight.setRange(0, 1_000_000)
        self.weight.setSuffix(" g")
        self.weight.setSpecialValueText(_("— not weighed"))
        self.weight.setFixedWidth(150)
        self.barcode = QLineEdit(placeholderText=_("EAN / UPC, or your own"))
        # The description itself is English: the example stays English, the advice does not.
        self.description = QLineEdit(placeholderText=_("{example} — plain words, no brand")
                                     .format(example="Face cream, 50 ml"))
        self.translations = {code: QLineEdit() for code, _name in LANGUAGES}

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("S&KU:"), self.sku)
        form.addRow(_("&Title:"), self.title)
        form.addRow(_("&HS code:"), self.hs_code)
        form.addRow("", self.hs_message)
        origin_row = QHBoxLayout()
        origin_row.addWidget(self.origin)
        origin_row.addWidget(self.origin_message, 1)
        origin_label = QLabel(_("&Origin:"))
        origin_label.setBuddy(self.origin)
        form.addRow(origin_label, origin_row)
        form.addRow(_("Net &weight:"), self.weight)
        form.addRow(_("&Barcode:"), self.barcode)
        customs = QLabel(_("<b>Customs description</b> — what the goods are, as customs "
                           "reads it"))
        customs.setWordWrap(True)
        form.addRow(customs)
        form.addRow(_("&English:"), self.description)
        for code, name in LANGUAGES:
            form.addRow(_("{language}:").format(language=name), self.translations[code])
        hint = QLabel(_("Other languages are optional: the invoice prints the destination's "
                        "language when it is filled in."))
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {MUTED_COLOUR}")
        form.addRow("", hint)

        for edit in (self.sku, self.title, self.hs_code, self.origin, self.barcode,
                     self.description, *self.translations.values()):
            edit.textChanged.connect(self._edited)
        self.weight.valueChanged.connect(self._edited)
        self.origin.textEdited.connect(lambda text: self.origin.setText(text.upper()))
        self.clear()

    def show_product(self, product: Product | None, *, sku: str = "", title: str = "") -> None:
        """Fill the form: an existing product, or a new one pre-filled with `sku` and `title`."""
        self.original = product
        for widget in self._editors():
            widget.blockSignals(True)
        source = product or Product(sku or "new", title, origin_country="KR")
        self.sku.setText(product.sku if product else sku)
        self.sku.setReadOnly(product is not None)
        self.title.setText(source.title)
        self.hs_code.setText(source.hs_code)
        self.origin.setText(source.origin_country)
        self.weight.setValue(source.unit_weight_g)
        self.barcode.setText(source.barcode)
        self.description.setText(source.customs_descriptions.get("en", ""))
        for code, edit in self.translations.items():
            edit.setText(source.customs_descriptions.get(code, ""))
        for widget in self._editors():
            widget.blockSignals(False)
            if isinstance(widget, QLineEdit):
                widget.setCursorPosition(0)  # long descriptions show their beginning
        self.setTitle(_("Product {sku}").format(sku=product.sku) if product
                      else _("New product"))
        self.setEnabled(True)
        self._check()

    def clear(self) -> None:
        self.show_product(None)
        self.setTitle(_("Product"))
        self.setEnabled(False)

    def _editors(self) -> list[QWidget]:
        return [self.sku, self.title, self.hs_code, self.origin, self.weight, self.barcode,
                self.description, *self.translations.values()]

    def _edited(self) -> None:
        self._check()
        self.changed.emit()

    def hs_error(self) -> str | None:
        """Why the typed HS code cannot be saved; empty is allowed (papers will ask for it)."""
        text = self.hs_code.text().strip()
        return hs_problem_text(text) if text else None

    def _check(self) -> None:
        error = self.hs_error()
        if error:
            self.hs_message.setText(f"<span style='color:{BAD_COLOUR}'>{escape(error)[:1].upper()}"
                                    f"{escape(error)[1:]}.</span>")
        elif self.hs_code.text().strip():
            digits = normalize_hs_code(self.hs_code.text())
            kind = _("Korean HSK") if len(digits) == 10 else "HS"
            self.hs_message.setText(f"<span style='color:{OK_COLOUR}'>✔ {kind} "
                                    f"{digits[:4]}.{digits[4:6]}{' ' + digits[6:] if digits[6:] else ''}"
                                    "</span>")
        else:
            self.hs_message.setText(f"<span style='color:{MUTED_COLOUR}'>"
                                    + _("Needed before customs papers can print. 6 digits (HS) "
                                        "or 10 (Korean HSK).") + "</span>")
        origin = self.origin.text().strip()
        self.origin_message.setText(origin_problem(origin) or "" if origin else "")

    def problem(self) -> tuple[str, QWidget] | None:
        """The first thing that stops a save, and the field to fix it in."""
        if not self.sku.text().strip():
            return _("Type the SKU, exactly as your shops use it."), self.sku
        if error := self.hs_error():
            return f"{error[:1].upper()}{error[1:]}.", self.hs_code
        origin = self.origin.text().strip()
        if origin and (error := origin_problem(origin)):
            return f"{error[:1].upper()}{error[1:]}.", self.origin
        return None

    def product(self) -> Product | None:
        if self.problem() is not None:
            return None
        descriptions = {} if self.original is None else dict(self.original.customs_descriptions)
        for code, text in (("en", self.description.text()),
                           *((c, e.text()) for c, e in self.translations.items())):
            if text.strip():
                descriptions[code] = text.strip()
            else:
                descriptions.pop(code, None)
        fields = dict(title=self.title.text().strip(),
                      hs_code=normalize_hs_code(self.hs_code.text().strip()),
                      origin_country=self.origin.text().strip().upper(),
                      unit_weight_g=self.weight.value(), barcode=self.barcode.text().strip(),
                      customs_descriptions=descriptions)
        if self.original is not None:
            return replace(self.original, **fields)
        return Product(sku=self.sku.text().strip(), **fields)


class ProductsWindow(QWidget):
    """The product catalogue with customs data. Create once, keep, show when asked."""

    productsChanged = Signal()  # a save or delete reached the store
    loaded = Signal()  # the tables show the store's current catalogue (tests wait on it)

    COLUMNS = [_("SKU"), _("Title"), _("HS code"), _("Origin"), _("Net g"), _("Barcode"),
               _("Customs description (EN)"), _("Other languages")]

    def __init__(self, worker: StoreWorker, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.worker = worker
        self.settings = settings
        self.products: list[Product] = []
        self.unknown: list = []
        self.dirty = False
        self._busy = 0
        self.setWindowTitle(_("Products — fulfill"))
        self._build()
        if isinstance(geometry := settings.value("products/geometry"), QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1320, 780)
        self.reload()

    def _build(self) -> None:
        self.search = QLineEdit(
            placeholderText=_("Filter by SKU, title, HS code or barcode (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.missing_only = QCheckBox(_("&Missing customs data only"))
        self.count_label = QLabel()
        self.count_label.setStyleSheet(f"color: {MUTED_COLOUR}")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.missing_only)
        filters.addWidget(self.count_label)

        self.table = ReadOnlyTable(self.COLUMNS, (118, 180, 96, 52, 56, 112, 200, 96), stretch=6)
        self.unknown_table = ReadOnlyTable([_("SKU"), _("Title on orders"), _("Orders")],
                                           (150, 300, 70), stretch=1)
        self.add_unknown_button = QPushButton(_("&Add product"))
        self.add_unknown_button.setToolTip(_("Add this SKU to the catalogue with its customs "
                                             "data"))
        self.add_unknown_button.clicked.connect(self.add_unknown)
        self.unknown_box = QGroupBox(_("Not in the catalogue — SKUs your orders name"))
        unknown_layout = QVBoxLayout(self.unknown_box)
        unknown_layout.addWidget(self.unknown_table)
        unknown_row = QHBoxLayout()
        unknown_note = QLabel(_("Their parcels cannot print customs papers until they are "
                                "added."))
        unknown_note.setWordWrap(True)
        unknown_row.addWidget(unknown_note, 1)
        unknown_row.addWidget(self.add_unknown_button)
        unknown_layout.addLayout(unknown_row)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.unknown_box)

        self.form = ProductForm()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)  # escaped text, sometimes coloured
        self.status.setWordWrap(True)
        self.new_button = QPushButton(_("&New product"))
        self.new_button.clicked.connect(self.new_product)
        self.delete_button = QPushButton(_("&Delete"))
        self.delete_button.clicked.connect(self.delete_product)
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(_("Save the product (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.form)
        right_layout.addWidget(self.status)
        right_layout.addStretch(1)
        right_layout.addLayout(buttons)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)
        if not isinstance(self.settings.value("products/split"), QByteArray):
            self.split.setSizes([900, 440])
        else:
            self.split.restoreState(self.settings.value("products/split"))

        self.search.textChanged.connect(self._fill_products)
        self.missing_only.toggled.connect(self._fill_products)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.unknown_table.itemSelectionChanged.connect(self._update_buttons)
        self.unknown_table.doubleClicked.connect(lambda _index: self.add_unknown())
        self.form.changed.connect(self._form_changed)
        for keys, slot in (("Ctrl+S", self.save), ("Ctrl+N", self.new_product),
                           ("Ctrl+F", self._focus_search), ("Esc", self.close)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self._update_buttons()

    # --- reading -----------------------------------------------------------------------
    def reload(self) -> None:
        self._run(_listing, self._apply_listing, _("Reading the catalogue"))

    def _apply_listing(self, listing: tuple[list[Product], list], keep: str | None = None) -> None:
        self.products, self.unknown = listing
        keep = keep or self.selected_sku()
        self._fill_products()
        self._fill_unknown()
        if keep:
            self.select_sku(keep)
        self.loaded.emit()

    def visible_products(self) -> list[Product]:
        words = self.search.text().strip().casefold()
        shown = []
        for product in self.products:
            if self.missing_only.isChecked() and not product_gaps(product, product.sku):
                continue
            text = f"{product.sku} {product.title} {product.hs_code} {product.barcode}".casefold()
            if words and words not in text:
                continue
            shown.append(product)
        return shown

    def _fill_products(self) -> None:
        keep = self.selected_sku()
        shown = self.visible_products()
        missing = _("missing")  # a table cell with nothing in it yet
        table = self.table
        table.blockSignals(True)
        table.setRowCount(len(shown))
        for r, product in enumerate(shown):
            gaps = {gap.what: gap.detail for gap in product_gaps(product, product.sku)}
            hs = product.hs_code
            table.setItem(r, 0, _item(product.sku, data=product.sku,
                                      colour=BAD_COLOUR if gaps else None,
                                      tip="\n".join(gaps.values())))
            table.setItem(r, 1, _item(product.title, tip=product.title))
            table.setItem(r, 2, _item(f"{hs[:4]}.{hs[4:6]} {hs[6:]}".strip() if hs else missing,
                                      colour=BAD_COLOUR if "HS code" in gaps else None,
                                      tip=gaps.get("HS code", "")))
            table.setItem(r, 3, _item(product.origin_country or missing,
                                      colour=BAD_COLOUR if "country of origin" in gaps else None))
            table.setItem(r, 4, _item(f"{product.unit_weight_g:,}" if product.unit_weight_g
                                      else missing, right=True,
                                      colour=BAD_COLOUR if "net weight" in gaps else None))
            table.setItem(r, 5, _item(product.barcode))
            english = product.customs_descriptions.get("en", "")
            table.setItem(r, 6, _item(english or f"({product.title})", tip=english or
                                      _("No customs description: the title is used"),
                                      colour=None if english else MUTED_COLOUR))
            others = [code for code, _name in LANGUAGES if product.customs_descriptions.get(code)]
            table.setItem(r, 7, _item(", ".join(others)))
        table.blockSignals(False)
        incomplete = sum(1 for p in self.products if product_gaps(p, p.sku))
        self.count_label.setText(_("{shown} of {total} · {missing} missing customs data").format(
            shown=f"{len(shown):,}", total=f"{len(self.products):,}", missing=f"{incomplete:,}"))
        if keep:
            self.select_sku(keep)
        self._update_buttons()

    def _fill_unknown(self) -> None:
        self.unknown_table.fill([[(u.sku, ""), (u.title, u.title), (f"{u.orders:,}", "")]
                                 for u in self.unknown], right=(2,))
        self.unknown_box.setTitle(ngettext(
            "Not in the catalogue — {n} SKU your orders name",
            "Not in the catalogue — {n} SKUs your orders name",
            len(self.unknown)).format(n=f"{len(self.unknown):,}"))
        self.unknown_box.setVisible(bool(self.unknown))
        # As tall as its rows, up to six; then it scrolls.
        rows = min(max(len(self.unknown), 1), 6)
        self.unknown_table.setFixedHeight(self.unknown_table.horizontalHeader().height()
                                          + rows * self.unknown_table.verticalHeader().defaultSectionSize()
                                          + 2 * self.unknown_table.frameWidth())
        self._update_buttons()

    # --- selection ---------------------------------------------------------------------
    def selected_sku(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def select_sku(self, sku: str) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == sku:
                self.table.selectRow(r)
                self.table.scrollToItem(self.table.item(r, 0))
                return True
        return False

    def product(self, sku: str) -> Product | None:
        return next((p for p in self.products if p.sku == sku), None)

    def _selection_changed(self) -> None:
        sku = self.selected_sku()
        if sku is None or (self.form.original and self.form.original.sku == sku):
            return  # already in the form (a refresh re-selects it): keep any unsaved edits
        if self.dirty and not self._may_discard():
            self.table.blockSignals(True)
            if self.form.original is not None:
                self.select_sku(self.form.original.sku)
            else:
                self.table.clearSelection()
            self.table.blockSignals(False)
            return
        self._edit(self.product(sku))

    def _edit(self, product: Product | None, *, sku: str = "", title: str = "") -> None:
        self.form.show_product(product, sku=sku, title=title)
        self.dirty = False
        self.status.setText("")
        self._update_buttons()

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("Save the changes to this product first?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _form_changed(self) -> None:
        self.dirty = True
        self.status.setText("")
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self._busy == 0
        self.save_button.setEnabled(idle and self.form.isEnabled() and self.dirty
                                    and self.form.problem() is None)
        self.delete_button.setEnabled(idle and self.form.original is not None)
        self.add_unknown_button.setEnabled(
            idle and bool(self.unknown_table.selectionModel().selectedRows()))

    # --- actions -----------------------------------------------------------------------
    def new_product(self, sku: str = "", title: str = "") -> None:
        if self.dirty and not self._may_discard():
            return
        self.table.clearSelection()
        self._edit(None, sku=sku, title=title)
        (self.form.hs_code if sku else self.form.sku).setFocus()

    def add_unknown(self) -> None:
        rows = self.unknown_table.selectionModel().selectedRows()
        if not rows:
            return
        unknown = self.unknown[rows[0].row()]
        self.new_product(unknown.sku, unknown.title)

    def save(self) -> bool:
        """Save the form on the worker. False (with the reason shown) when it cannot be saved."""
        if problem := self.form.problem():
            message, field = problem
            self.status.setText(f"<span style='color:{BAD_COLOUR}'>{escape(message)}</span>")
            field.setFocus()
            return False
        product = self.form.product()
        if product is None or self._busy:
            return False
        if self.form.original is None and self.product(product.sku) is not None:
            self.status.setText(f"<span style='color:{BAD_COLOUR}'>"
                                + escape(_("{sku} is already in the catalogue: pick it in the "
                                           "list to change it.").format(sku=product.sku))
                                + "</span>")
            return False

        def job(store):
            store.products.save([product])
            return _listing(store)

        def saved(listing) -> None:
            still_shown = self.form.sku.text().strip() == product.sku
            if still_shown:  # not when the seller moved on to another product meanwhile
                self._edit(product)
            self._apply_listing(listing, keep=product.sku if still_shown else None)
            gaps = product_gaps(product, product.sku)
            self.status.setText(
                f"<span style='color:{OK_COLOUR}'>"
                + escape(_("Saved {sku}.").format(sku=product.sku)) + "</span>" if not gaps
                else escape(_("Saved {sku}. Still needed for customs papers: {gaps}.").format(
                    sku=product.sku, gaps=list_text(gap_label(g.what) for g in gaps))))
            self.productsChanged.emit()

        self._run(job, saved, _("Saving {sku}").format(sku=product.sku))
        return True

    def delete_product(self) -> None:
        product = self.form.original
        if product is None:
            return
        answer = QMessageBox.question(
            self, _("Delete product"), _("Delete {sku} from the catalogue?\n\nOrders keep the "
                                         "SKU; their customs papers cannot print until it is "
                                         "added again.").format(sku=product.sku),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return

        def job(store):
            store.products.delete(product.sku)
            return _listing(store)

        def deleted(listing) -> None:
            self.form.clear()
            self.dirty = False
            self._apply_listing(listing)
            self.status.setText(escape(_("Deleted {sku}.").format(sku=product.sku)))
            self.productsChanged.emit()

        self._run(job, deleted, _("Deleting {sku}").format(sku=product.sku))

    def _run(self, job, on_done, what: str) -> None:
        self._busy += 1
        self._update_buttons()

        def done(result) -> None:
            self._busy -= 1
            on_done(result)
            self._update_buttons()

        def failed(error: BaseException) -> None:
            self._busy -= 1
            self.status.setText(f"<span style='color:{BAD_COLOUR}'>"
                                + escape(_("{what} did not work: {error}").format(
                                    what=what, error=error)) + "</span>")
            self._update_buttons()

        self.worker.submit(lambda store, _progress, _cancel: job(store), done, failed, owner=self)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window is kept while the app runs: an unsaved form is still there when it opens
        # again, so closing does not ask.
        self.settings.setValue("products/geometry", self.saveGeometry())
        self.settings.setValue("products/split", self.split.saveState())
        super().closeEvent(event)
