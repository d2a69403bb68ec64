"""Import orders from a downloaded order sheet (CSV or XLSX): Gmarket/Auction ESM+, 11st,
Lotte ON, Naver Smart Store and any marketplace without an API.

Choose the source (a FILE_IMPORT channel account) and the file; the sheet is read in a plain
thread, its columns are matched to order fields (the source's saved mapping, or a guess from
the headings), and a preview lists the orders that would be created and every row that cannot
be used, with the reason. "Import N orders" saves the mapping for the source and writes the
orders on the StoreWorker. The work itself is in fulfill.services.file_import (no Qt).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QInputDialog, QLabel, QLineEdit, QProgressBar, QPushButton, QScrollArea,
    QSplitter, QVBoxLayout, QWidget,
)

from fulfill.domain import ChannelAccount, Order, Platform
from fulfill.errors import FulfillError
from fulfill.i18n import country_name, display_locale, format_money
from fulfill.services.file_import import (
    ColumnMapping, FileImportError, ImportPreview, MappingStore, RawTable, import_orders,
    preview, read_table, suggest_mapping,
)
from fulfill.services.file_import_mapping import REQUIRED_FIELDS
from fulfill.storage.catalog import AccountRepository
from fulfill.storage.database import connect, store_errors
from fulfill.storage.orders import SaveResult
from fulfill.translation import _, ngettext
from fulfill.ui.tables import ReadOnlyTable
from fulfill.ui.store_worker import StoreWorker, run_in_thread

log = logging.getLogger(__name__)

OK_COLOUR, BAD_COLOUR, MUTED_COLOUR = "#1e6b34", "#b3261e", "#5a6270"
MUTED_STYLE = f"QLabel {{ color: {MUTED_COLOUR}; }} QLabel:disabled {{ color: #a4a9b0; }}"
GENERIC_ADVICE = _("Try again; if it keeps happening, send the log file to support.")
NEW_SOURCE = -1  # item data of "New source…" in the source combo
PREVIEW_ROWS = 200  # orders shown in the preview table; all of them are imported
SAMPLE_CHARS = 22  # a column's first value, shown beside its heading in the combos

# The marketplaces Korean sellers download order sheets from, offered for a new source (the
# name chosen becomes the account's name, so these stay as the marketplaces spell themselves).
SOURCE_SUGGESTIONS = ["Gmarket ESM+", "Auction ESM+", "11st", "Lotte ON", "Naver Smart Store",
                      "Coupang Wing"]
CURRENCIES = ["KRW", "USD", "JPY", "CNY", "TWD", "HKD", "SGD", "EUR", "GBP", "AUD", "CAD"]
COUNTRIES = ["KR", "US", "JP", "CN", "TW", "HK", "SG", "VN", "TH", "MY", "ID", "PH", "AU",
             "CA", "GB", "DE", "FR"]

# The mapping form: three columns of fields, each with its short label (the field names are
# ColumnMapping's, saved per source: never translated).
FIELD_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (_("Order"), (("order_number", _("Order number")), ("line_id", _("Line number")),
                  ("ordered_at", _("Order date")), ("buyer_name", _("Buyer")),
                  ("tracking_number", _("Tracking number")))),
    (_("Ship to"), (("recipient_name", _("Recipient")),
                    ("recipient_name_latin", _("Recipient (Latin)")),
                    ("phone", _("Phone")), ("country_code", _("Country")),
                    ("postal_code", _("Postal code")), ("address_line1", _("Address")),
                    ("address_line2", _("Address line 2")), ("city", _("City")),
                    ("region", _("Region")))),
    (_("Items"), (("sku", _("SKU")), ("item_title", _("Item title")),
                  ("quantity", _("Quantity")), ("unit_price", _("Price")),
                  ("currency", _("Currency")), ("shipping_fee", _("Shipping fee")))),
)
FIELD_TIPS = {
    "line_id": _("The per-item order number (Naver 상품주문번호, ESM+ 주문상세번호), when the "
                 "sheet has one besides the order number."),
    "recipient_name_latin": _("The recipient's name in Latin letters, for carriers and "
                              "customs."),
    "country_code": _("A country code (KR, JP) or name; empty cells use the country below."),
    "currency": _("A currency code (KRW, USD); empty cells use the currency below."),
    "tracking_number": _("Kept with the order when the sheet already has one."),
}
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": _("UTF-16 (Unicode text)"),
             "cp949": _("Korean (CP949 / EUC-KR)")}
DELIMITERS = {",": _("comma-separated"), "\t": _("tab-separated"),
              ";": _("semicolon-separated")}
# The status line that asks for a source; _update_state clears exactly this text again.
CHOOSE_SOURCE = _("Choose the source (marketplace) of this sheet to import it.")


def _n(n: int) -> str:
    return f"{n:,}"


def rows_text(n: int) -> str:
    return ngettext("{n} row", "{n} rows", n).format(n=_n(n))


def orders_text(n: int) -> str:
    return ngettext("{n} order", "{n} orders", n).format(n=_n(n))


def list_text(items) -> str:
    # Translators: the separator between the items of a list ("HS code, net weight").
    return _(", ").join(items)


def as_import_error(error: BaseException) -> FulfillError:
    """Any failure as a message with advice, so the dialog can always say what to do."""
    if isinstance(error, FulfillError):
        return error if error.advice else FulfillError(error.message, GENERIC_ADVICE)
    return FulfillError(_("Something unexpected went wrong ({error}).").format(
        error=f"{type(error).__name__}: {error}"), GENERIC_ADVICE)


def error_html(error: FulfillError) -> str:
    return (f"<span style='color:{BAD_COLOUR}'><b>{escape(error.message)}</b></span><br>"
            + escape(_("What to do: {advice}").format(advice=error.advice or GENERIC_ADVICE)))


def items_text(order: Order) -> str:
    return ", ".join(f"{line.sku} × {line.quantity}" for line in order.lines)


def _clip(text: str, size: int = SAMPLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


class ImportDialog(QDialog):
    """Orders from a CSV or XLSX order sheet into the store, through a column mapping.

    `accounts`: the FILE_IMPORT channel accounts to choose the source from (other platforms and
    removed accounts are left out); None reads them from the store. `path` loads that file at
    once (no file picker). Signals: `ordersImported(SaveResult, summary)` after the import is
    written, `sourceAdded(ChannelAccount)` when "New source…" created an account,
    `previewChanged()` whenever the preview (or the error in its place) is redrawn.
    """

    ordersImported = Signal(object, str)
    sourceAdded = Signal(object)
    previewChanged = Signal()

    CLOSE_DELAY_MS = 1500  # the result stays readable a moment before the dialog closes

    def __init__(self, store_path: Path, worker: StoreWorker, mappings_folder: Path,
                 accounts: list[ChannelAccount] | None = None, parent: QWidget | None = None,
                 *, path: Path | None = None, account_id: int | None = None,
                 locale: str | None = None) -> None:
        super().__init__(parent)
        self.store_path = Path(store_path)
        self.worker = worker
        self.mappings = MappingStore(mappings_folder)
        self.locale = locale or display_locale()
        self.table: RawTable | None = None
        self.current_preview: ImportPreview | None = None
        self.result: SaveResult | None = None
        self.summary = ""
        self.name_dialog: QInputDialog | None = None
        self._accounts: dict[int, ChannelAccount] = {}
        self._combos: dict[str, QComboBox] = {}
        self._read_generation = 0
        self._preview_generation = 0
        self._reading = self._previewing = self._importing = False
        self._adding_source = False
        self._source_index = -1
        self._preview_account: int | None = None  # the account the preview's orders carry
        self._mapping_note = ""

        self.setWindowTitle(_("Import orders from a file — fulfill"))
        self.setMinimumSize(900, 640)
        self.resize(1200, 860)
        self._preview_timer = QTimer(self, singleShot=True, interval=150)
        self._preview_timer.timeout.connect(self._run_preview)
        self._build()
        if accounts is None:
            accounts = self._read_accounts()
        self._set_accounts(accounts, account_id)
        self._update_state()
        if path is not None:
            self.load_file(Path(path))
        else:
            self.choose_button.setFocus()

    # --- construction ------------------------------------------------------------------
    def _build(self) -> None:
        self.source = QComboBox()
        self.source.setPlaceholderText(_("Choose the marketplace…"))
        self.source.setMinimumContentsLength(22)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.source.activated.connect(self._source_activated)
        source_label = QLabel(_("&Source:"))
        source_label.setBuddy(self.source)

        self.file_edit = QLineEdit(readOnly=True, placeholderText=_("No file chosen"))
        self.file_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.choose_button = QPushButton(_("Choose &file…"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.setToolTip(_("The .xlsx or .csv order sheet downloaded from the "
                                        "marketplace (Ctrl+O)"))
        self.choose_button.clicked.connect(self.choose_file)
        file_label = QLabel(_("File:"))

        self.sheet = QComboBox()
        self.sheet.setVisible(False)
        self.sheet.setToolTip(_("The worksheet with the orders"))
        self.sheet.activated.connect(self._sheet_chosen)
        self.sheet_label = QLabel(_("S&heet:"))
        self.sheet_label.setBuddy(self.sheet)
        self.sheet_label.setVisible(False)
        self.file_info = QLabel()
        self.file_info.setStyleSheet(MUTED_STYLE)

        top = QHBoxLayout()
        top.addWidget(source_label)
        top.addWidget(self.source)
        top.addSpacing(16)
        top.addWidget(file_label)
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.choose_button)
        info = QHBoxLayout()
        info.addWidget(self.sheet_label)
        info.addWidget(self.sheet)
        info.addWidget(self.file_info, 1)

        mapping = self._build_mapping()
        previews = self._build_previews()
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(mapping)
        self.split.addWidget(previews)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("QLabel { background: #fdecea; border: 1px solid #f1b8b3; "
                                 "border-radius: 3px; padding: 6px; }")
        self.error.setVisible(False)

        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)  # escaped text, sometimes coloured
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # reading and importing report no fraction: a busy bar
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(160)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.import_button = QPushButton(_("&Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(info)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

        open_file = QShortcut(QKeySequence.StandardKey.Open, self)
        open_file.activated.connect(self.choose_file)

    def _build_mapping(self) -> QWidget:
        """One combo per order field, in three group boxes; the defaults sit with their field."""
        bold = QFont(self.font())
        bold.setBold(True)
        groups = QHBoxLayout()
        groups.setContentsMargins(0, 0, 0, 0)
        for title, group_fields in FIELD_GROUPS:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setVerticalSpacing(4)
            for name, text in group_fields:
                combo = QComboBox()
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(14)
                combo.currentIndexChanged.connect(self._mapping_edited)
                label = QLabel(f"{text} *" if name in REQUIRED_FIELDS else text)
                if name in REQUIRED_FIELDS:
                    label.setFont(bold)
                label.setBuddy(combo)
                if tip := FIELD_TIPS.get(name):
                    label.setToolTip(tip)
                    combo.setToolTip(tip)
                self._combos[name] = combo
                form.addRow(label, combo)
                if name == "country_code":
                    self.default_country = self._default_combo(COUNTRIES, 2)
                    self.country_name = QLabel()
                    self.country_name.setStyleSheet(MUTED_STYLE)
                    holder = QWidget()
                    row = QHBoxLayout(holder)
                    row.setContentsMargins(0, 0, 0, 0)
                    row.addWidget(self.default_country)
                    row.addWidget(self.country_name, 1)
                    form.addRow(self._default_label(_("…when empty"), self.default_country,
                                                    _("The country for rows with no country "
                                                      "column or an empty cell")), holder)
                elif name == "currency":
                    self.default_currency = self._default_combo(CURRENCIES, 3)
                    holder = QWidget()
                    row = QHBoxLayout(holder)
                    row.setContentsMargins(0, 0, 0, 0)
                    row.addWidget(self.default_currency)
                    row.addStretch(1)
                    form.addRow(self._default_label(_("…when empty"), self.default_currency,
                                                    _("The currency for rows with no currency "
                                                      "column or an empty cell")), holder)
            groups.addWidget(box, 1)
        self.default_country.editTextChanged.connect(self._country_text_changed)
        self._country_text_changed(self.default_country.currentText())

        self.mapping_note = QLabel()
        self.mapping_note.setStyleSheet(MUTED_STYLE)
        note_row = QHBoxLayout()
        note_row.setContentsMargins(0, 0, 0, 0)
        note_row.addWidget(QLabel(_("<b>Columns</b> — which column of the sheet holds each "
                                    "order field (<b>*</b> required)")))
        note_row.addStretch(1)
        note_row.addWidget(self.mapping_note)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addLayout(groups)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(140)
        self._mapping_inner = inner
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(note_row)
        layout.addWidget(scroll, 1)
        self.mapping_scroll = scroll
        return holder

    def _default_combo(self, items: list[str], length: int) -> QComboBox:
        combo = QComboBox(editable=True)
        combo.addItems(items)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.lineEdit().setMaxLength(length)
        combo.setMinimumContentsLength(4)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.editTextChanged.connect(self._mapping_edited)
        return combo

    def _default_label(self, text: str, buddy: QWidget, tip: str) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setToolTip(tip)
        buddy.setToolTip(tip)
        label.setStyleSheet(MUTED_STYLE)
        return label

    def _build_previews(self) -> QWidget:
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.orders_box = QGroupBox(_("Orders to import"))
        self.orders = ReadOnlyTable([_("Order number"), _("Recipient"), _("Country"), _("Items"),
                                     _("Total")],
                                    (120, 120, 60, 200, 100), stretch=3, row_padding=8,
                                    tab_leaves=True)
        box = QVBoxLayout(self.orders_box)
        box.addWidget(self.orders)
        self.rejected_box = QGroupBox(_("Rows that will not be imported"))
        self.rejected = ReadOnlyTable([_("Row"), _("Reason")], (56, 300), stretch=1,
                                      row_padding=8, tab_leaves=True)
        box = QVBoxLayout(self.rejected_box)
        box.addWidget(self.rejected)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(self.orders_box)
        tables.addWidget(self.rejected_box)
        tables.setChildrenCollapsible(False)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 2)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(tables, 1)
        self.tables_split = tables
        return holder

    # --- sources -----------------------------------------------------------------------
    def _read_accounts(self) -> list[ChannelAccount]:
        """A short UI-thread read: the accounts table is a handful of rows."""
        try:
            with store_errors(self.store_path):
                db = connect(self.store_path, busy_timeout=1.0)
                try:
                    return AccountRepository(db).all()
                finally:
                    db.close()
        except FulfillError as error:
            self.show_error(error)
            return []

    def _set_accounts(self, accounts: list[ChannelAccount], select_id: int | None) -> None:
        usable = [a for a in accounts if a.platform is Platform.FILE_IMPORT and a.id is not None
                  and a.settings.get("removed") != "true"]
        self.source.blockSignals(True)
        self.source.clear()
        self._accounts = {}
        for account in sorted(usable, key=lambda a: a.name.casefold()):
            self._accounts[account.id] = account
            self.source.addItem(account.name, account.id)
        if usable:
            self.source.insertSeparator(self.source.count())
        self.source.addItem(_("New source…"), NEW_SOURCE)
        self.source.setItemData(self.source.count() - 1,
                                _("Add a marketplace or shop that sends you order sheets"),
                                Qt.ItemDataRole.ToolTipRole)
        index = self.source.findData(select_id) if select_id is not None else -1
        if index < 0 and len(usable) == 1:
            index = 0
        self.source.setCurrentIndex(index)
        self._source_index = index
        self.source.blockSignals(False)

    def current_account(self) -> ChannelAccount | None:
        return self._accounts.get(self.source.currentData())

    def select_source(self, account_id: int) -> None:
        index = self.source.findData(account_id)
        if index >= 0:
            self.source.setCurrentIndex(index)

    def _source_changed(self, index: int) -> None:
        if self.source.itemData(index) == NEW_SOURCE:
            return  # _source_activated asks for the name and puts the choice back
        self._source_index = index
        if self.table is not None:
            self._apply_mapping(self._mapping_for(self.table))
        self._update_state()

    def _source_activated(self, index: int) -> None:
        if self.source.itemData(index) != NEW_SOURCE:
            return
        self.source.blockSignals(True)
        self.source.setCurrentIndex(self._source_index)
        self.source.blockSignals(False)
        self.ask_new_source()

    def ask_new_source(self) -> None:
        """Ask for the new source's name (non-modal to the app: the dialog stays usable)."""
        taken = {a.name.casefold() for a in self._accounts.values()}
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("New source"))
        dialog.setLabelText(_("Where do these order sheets come from? Choose or type a name "
                              "you will recognise:"))
        dialog.setComboBoxItems([s for s in SOURCE_SUGGESTIONS if s.casefold() not in taken])
        dialog.setComboBoxEditable(True)
        dialog.setTextValue("")
        dialog.textValueSelected.connect(self.add_source)
        self.name_dialog = dialog
        dialog.open()

    def add_source(self, name: str) -> None:
        """Create the FILE_IMPORT account on the worker (or select it when it exists)."""
        name = " ".join(name.split())
        if not name:
            return
        existing = next((a for a in self._accounts.values()
                         if a.name.casefold() == name.casefold()), None)
        if existing is not None:
            self.select_source(existing.id)
            return
        self._adding_source = True
        self._set_status(escape(_("Adding {name}…").format(name=name)), busy=True)
        self._update_state()

        def job(store, _progress, _cancel) -> ChannelAccount:
            return store.accounts.add(ChannelAccount(Platform.FILE_IMPORT, name))

        self.worker.submit(job, self._source_added, self._source_failed, owner=self)

    def _source_added(self, account: ChannelAccount) -> None:
        self._adding_source = False
        self._set_status("")
        self._set_accounts([*self._accounts.values(), account], account.id)
        if self.table is not None:
            self._apply_mapping(self._mapping_for(self.table))
        self._update_state()
        self.sourceAdded.emit(account)

    def _source_failed(self, error: BaseException) -> None:
        self._adding_source = False
        self._set_status("")
        self.show_error(error, _("Adding the source did not work."))
        self._update_state()

    # --- the file ----------------------------------------------------------------------
    def choose_file(self) -> None:
        if not self.choose_button.isEnabled():
            return
        start = str(Path(self.file_edit.text()).parent) if self.file_edit.text() else ""
        if not start:
            downloads = Path.home() / "Downloads"
            start = str(downloads if downloads.is_dir() else Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the order sheet"), start,
            _("Order sheets") + " (*.xlsx *.xlsm *.xls *.csv *.tsv *.txt);;"
            + _("All files") + " (*)")
        if chosen:
            self.load_file(Path(chosen))

    def load_file(self, path: Path, sheet: str | None = None) -> None:
        """Read the sheet in a plain thread; the mapping and preview follow."""
        self._read_generation += 1
        generation = self._read_generation
        self._reading = True
        self.table = None
        self.current_preview = None
        self._clear_preview()
        self.clear_error()
        self.file_edit.setText(str(path))
        self.file_edit.setToolTip(str(path))
        self.file_info.setText("")
        self._set_status(escape(_("Reading {file}…").format(file=path.name)), busy=True)
        self._update_state()

        def done(table: RawTable) -> None:
            if generation == self._read_generation:
                self._table_read(table)

        def failed(error: Exception) -> None:
            if generation == self._read_generation:
                self._reading = False
                self._set_status("")
                self._show_sheets(None)
                self.show_error(error)
                self._update_state()
                self.choose_button.setFocus()
                self.previewChanged.emit()

        run_in_thread(lambda: read_table(path, sheet), done, failed, owner=self,
                      name="read-order-sheet")

    def _sheet_chosen(self, index: int) -> None:
        name = self.sheet.itemText(index)
        if self.table is not None and name != self.table.sheet:
            self.load_file(self.table.path, name)

    def _table_read(self, table: RawTable) -> None:
        self._reading = False
        self._set_status("")
        self.table = table
        self._show_sheets(table)
        self.file_info.setText(self._describe(table))
        if self.current_account() is None:
            self._guess_source(table)
        self._apply_mapping(self._mapping_for(table))
        self._update_state()
        (self.source if self.current_account() is None else self.import_button).setFocus()

    def _show_sheets(self, table: RawTable | None) -> None:
        several = table is not None and len(table.sheet_names) > 1
        self.sheet.blockSignals(True)
        self.sheet.clear()
        if several:
            self.sheet.addItems(table.sheet_names)
            self.sheet.setCurrentText(table.sheet)
        self.sheet.blockSignals(False)
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)

    @staticmethod
    def _describe(table: RawTable) -> str:
        if table.source_format == "xlsx":
            parts = [_("Excel workbook")]
            if len(table.sheet_names) <= 1:
                parts.append(_("sheet {name}").format(name=table.sheet))
        else:
            parts = [_("CSV text"), ENCODINGS.get(table.encoding, table.encoding),
                     DELIMITERS.get(table.delimiter, _("separated by {delimiter}").format(
                         delimiter=repr(table.delimiter)))]
        parts += [_("headings on row {row}").format(row=table.header_row),
                  rows_text(len(table.rows)),
                  ngettext("{n} column", "{n} columns", len(table.headers)).format(
                      n=_n(len(table.headers)))]
        return " · ".join(parts)

    def _guess_source(self, table: RawTable) -> None:
        """With no source chosen, pick the one whose saved mapping fits this sheet's headings."""
        for account in self._accounts.values():
            try:
                saved = self.mappings.load(account.name)
            except FileImportError:
                continue
            if saved is None or saved.missing_required():
                continue
            if all(h in table.headers for h in saved.columns().values()):
                self.source.blockSignals(True)
                self.select_source(account.id)
                self._source_index = self.source.currentIndex()
                self.source.blockSignals(False)
                return

    # --- the mapping -------------------------------------------------------------------
    def _mapping_for(self, table: RawTable) -> ColumnMapping:
        """The source's saved mapping (gaps filled by a guess), or a guess from the headings."""
        guess = suggest_mapping(table.headers)
        account = self.current_account()
        saved = None
        if account is not None:
            try:
                saved = self.mappings.load(account.name)
            except FileImportError as error:
                log.warning("%s", error)
                self._mapping_note = _("The saved mapping could not be read; guessed from "
                                       "the headings — importing saves it again")
                return guess
        if saved is None:
            self._mapping_note = _("Guessed from the column headings — check them")
            return guess
        self._mapping_note = _("Saved for {source}").format(source=account.name)
        for name, header in saved.columns().items():
            if header not in table.headers and getattr(guess, name):
                setattr(saved, name, getattr(guess, name))  # the export renamed the column
        return saved

    def _apply_mapping(self, mapping: ColumnMapping) -> None:
        table = self.table
        headers = table.headers if table is not None else []
        samples = self._samples(table)
        for name, combo in self._combos.items():
            chosen = getattr(mapping, name)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("— choose a column —") if name in REQUIRED_FIELDS else _("(none)"),
                          "")
            for header in headers:
                sample = samples.get(header, "")
                combo.addItem(f"{header}  ·  {_clip(sample)}" if sample else header, header)
                combo.setItemData(combo.count() - 1, f"{header}: {sample}" if sample else header,
                                  Qt.ItemDataRole.ToolTipRole)
            if chosen and chosen not in headers:
                combo.addItem("⚠ " + _("{column} (not in this file)").format(column=chosen),
                              chosen)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
            self._widen_popup(combo)
            combo.blockSignals(False)
        for combo, value, fallback in ((self.default_currency, mapping.default_currency, "KRW"),
                                       (self.default_country, mapping.default_country, "KR")):
            combo.blockSignals(True)
            combo.setEditText(value or fallback)
            combo.blockSignals(False)
        self._country_text_changed(self.default_country.currentText())
        self._show_required()
        self.mapping_note.setText(self._mapping_note)
        self._schedule_preview(now=True)

    @staticmethod
    def _samples(table: RawTable | None) -> dict[str, str]:
        """Each column's first non-empty value: it tells "주문번호" from "상품주문번호"."""
        samples: dict[str, str] = {}
        if table is None:
            return samples
        for row in table.rows[:50]:
            for header, cell in zip(table.headers, row, strict=True):
                if cell.strip() and header not in samples:
                    samples[header] = cell.strip()
        return samples

    @staticmethod
    def _widen_popup(combo: QComboBox) -> None:
        metrics = combo.fontMetrics()
        widest = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
                     default=0)
        combo.view().setMinimumWidth(min(widest + 40, 520))

    def current_mapping(self) -> ColumnMapping:
        values = {name: combo.currentData() or "" for name, combo in self._combos.items()}
        return ColumnMapping(**values,
                             default_currency=self.default_currency.currentText().strip().upper(),
                             default_country=self.default_country.currentText().strip().upper())

    def set_column(self, field_name: str, header: str) -> None:
        """Choose `header` for a field, as picking it in the combo would."""
        combo = self._combos[field_name]
        combo.setCurrentIndex(max(combo.findData(header), 0))

    def column(self, field_name: str) -> str:
        """The header chosen for a field, "" for none."""
        return self._combos[field_name].currentData() or ""

    def combo_text(self, field_name: str) -> str:
        return self._combos[field_name].currentText()

    def _mapping_edited(self, *_args) -> None:
        if self.table is None:
            return
        self._show_required()
        self._mapping_note = _("Changed — saved for the source when you import")
        self.mapping_note.setText(self._mapping_note)
        self._schedule_preview()

    def _show_required(self) -> None:
        for name in REQUIRED_FIELDS:
            combo = self._combos[name]
            missing = self.table is not None and not combo.currentData()
            combo.setStyleSheet(f"QComboBox {{ color: {BAD_COLOUR}; }}" if missing else "")

    def _country_text_changed(self, text: str) -> None:
        code = text.strip().upper()
        if not code:
            self.country_name.setText(_("each row needs a country"))
        elif len(code) == 2:
            name = country_name(code, self.locale)
            self.country_name.setText(name if name != code else _("unknown code"))
        else:
            self.country_name.setText("")

    # --- the preview -------------------------------------------------------------------
    def _schedule_preview(self, *, now: bool = False) -> None:
        self._preview_generation += 1  # a preview already running is stale from here on
        self._previewing = True
        self._update_state()
        self._preview_timer.start(0 if now else self._preview_timer.interval())

    def _run_preview(self) -> None:
        table, mapping, account = self.table, self.current_mapping(), self.current_account()
        if table is None:
            self._previewing = False
            self._update_state()
            return
        generation = self._preview_generation
        account_id = account.id if account is not None else 0

        def work() -> ImportPreview:
            return preview(table, mapping, account_id=account_id,
                           default_currency=mapping.default_currency,
                           default_country=mapping.default_country, limit=PREVIEW_ROWS)

        def done(result: ImportPreview) -> None:
            if generation == self._preview_generation:
                self._previewing = False
                self._preview_account = account_id
                self._show_preview(result)

        def failed(error: Exception) -> None:
            if generation == self._preview_generation:
                self._previewing = False
                self.current_preview = None
                self._clear_preview()
                self.show_error(error)
                self._update_state()
                self.previewChanged.emit()

        run_in_thread(work, done, failed, owner=self, name="preview-order-sheet")

    def _show_preview(self, result: ImportPreview) -> None:
        self.current_preview = result
        self.clear_error()
        rows = []
        for order in result.sample:
            address = order.ship_to
            where = ", ".join(p for p in address.typed.lines()[1:] if p)
            titles = "\n".join(f"{ln.sku} × {ln.quantity}  {ln.title}" for ln in order.lines)
            rows.append([
                (order.order_number, _("Ordered {when}").format(
                    when=f"{order.ordered_at.astimezone():%Y-%m-%d %H:%M}")
                 if order.platform_order_id not in result.undated
                 else _("No order date in the sheet: the import time is used")),
                (address.typed.name, f"{where} {address.postal_code}".strip()),
                (address.country_code, country_name(address.country_code, self.locale)),
                (items_text(order), titles),
                (format_money(order.grand_total, self.locale), ""),
            ])
        self.orders.fill(rows, right=(4,))
        self.rejected.fill([[(str(r.row), ""), (r.reason, r.reason)] for r in result.rejected],
                           right=(0,))
        shown = len(result.sample)
        self.orders_box.setTitle(
            _("Orders to import: {n}").format(n=_n(len(result.orders)))
            if shown == len(result.orders)
            else _("Orders to import: {n} (the first {shown} shown)").format(
                n=_n(len(result.orders)), shown=_n(shown)))
        self.rejected_box.setTitle(_("Rows that will not be imported: {n}").format(
            n=_n(result.rows_rejected)))
        self.rejected_box.setStyleSheet(
            f"QGroupBox {{ color: {BAD_COLOUR}; }}" if result.rejected else "")
        parts = [escape(ngettext("{n} row read", "{n} rows read", result.rows_read).format(
                     n=_n(result.rows_read))),
                 escape(ngettext("{orders} ({n} line) ready", "{orders} ({n} lines) ready",
                                 result.line_count).format(orders=orders_text(len(result.orders)),
                                                           n=_n(result.line_count)))]
        if result.rejected:
            parts.append(f"<span style='color:{BAD_COLOUR}'>" + escape(ngettext(
                "{n} row rejected — fix it in the sheet or the mapping, or import the rest now",
                "{n} rows rejected — fix them in the sheet or the mapping, or import the rest "
                "now", result.rows_rejected).format(n=_n(result.rows_rejected))) + "</span>")
        if result.undated:
            parts.append(escape(ngettext(
                "{n} order without an order date: the import time is used",
                "{n} orders without an order date: the import time is used",
                len(result.undated)).format(n=_n(len(result.undated)))))
        self.summary_label.setText(" · ".join(parts))
        self._update_state()
        self.previewChanged.emit()

    def _clear_preview(self) -> None:
        self.orders.setRowCount(0)
        self.rejected.setRowCount(0)
        self.orders_box.setTitle(_("Orders to import"))
        self.rejected_box.setTitle(_("Rows that will not be imported"))
        self.rejected_box.setStyleSheet("")
        self.summary_label.setText("")

    # --- importing ---------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Reading, previewing, adding a source or importing: tests wait for this to end."""
        return (self._reading or self._previewing or self._importing or self._adding_source
                or self._preview_timer.isActive())

    def can_import(self) -> bool:
        account = self.current_account()
        return (not self.busy and self.result is None and account is not None
                and self.current_preview is not None and bool(self.current_preview.orders)
                and self._preview_account == account.id)

    def start_import(self) -> None:
        if self.result is not None:
            self.accept()
            return
        if not self.can_import():
            return
        account, mapping, result = self.current_account(), self.current_mapping(), \
            self.current_preview
        self.clear_error()
        saved_note = ""
        try:
            self.mappings.save(account.name, mapping)
        except OSError as error:  # the orders matter more than the mapping: import anyway
            log.warning("Could not save the column mapping for %s: %s", account.name, error)
            saved_note = " " + _("The column mapping could not be saved ({error}); choose the "
                                 "columns again next time.").format(
                                     error=error.strerror or error)
        self._importing = True
        self._set_status(escape(_("Importing {orders} into {source}…").format(
            orders=orders_text(len(result.orders)), source=account.name)), busy=True)
        self._update_state()

        def job(store, _progress, _cancel) -> SaveResult:
            return import_orders(store, result)

        self.worker.submit(job, lambda saved: self._imported(saved, result, saved_note),
                           self._import_failed, owner=self)

    def _imported(self, saved: SaveResult, result: ImportPreview, note: str) -> None:
        self._importing = False
        self.result = saved
        parts = [_("{n} new").format(n=_n(saved.created))]
        if saved.changed:
            parts.append(_("{n} updated").format(n=_n(saved.changed)))
        parts.append(_("{n} unchanged").format(n=_n(saved.unchanged)))
        self.summary = list_text(parts)
        text = _("Imported: {summary}.").format(summary=self.summary)
        if result.rejected:
            text += " " + ngettext("{n} row not imported (listed above).",
                                   "{n} rows not imported (listed above).",
                                   result.rows_rejected).format(n=_n(result.rows_rejected))
        self._set_status(f"<span style='color:{OK_COLOUR}'><b>{escape(text)}</b></span>"
                         + escape(note))
        self.import_button.setText(_("&Close"))
        if note:
            self._mapping_note = _("The mapping could not be saved")
        else:
            self._mapping_note = _("Saved for {source}").format(
                source=self.current_account().name)
        self.mapping_note.setText(self._mapping_note)
        parts = [escape(ngettext("{n} row read", "{n} rows read", result.rows_read).format(
                     n=_n(result.rows_read))),
                 escape(ngettext("{n} order imported", "{n} orders imported",
                                 len(result.orders)).format(n=_n(len(result.orders))))]
        if result.rejected:
            parts.append(f"<span style='color:{BAD_COLOUR}'>" + escape(ngettext(
                "{n} row not imported — fix it and import the sheet again (orders already "
                "imported stay as they are)",
                "{n} rows not imported — fix them and import the sheet again (orders already "
                "imported stay as they are)",
                result.rows_rejected).format(n=_n(result.rows_rejected))) + "</span>")
        self.summary_label.setText(" · ".join(parts))
        self._update_state()
        self.import_button.setFocus()
        self.ordersImported.emit(saved, self.summary)
        if not result.rejected and not note:
            # Nothing left to read: close after a moment. Rejected rows stay on screen.
            QTimer.singleShot(self.CLOSE_DELAY_MS, self._close_after_import)

    def _close_after_import(self) -> None:
        if self.isVisible():
            self.accept()

    def _import_failed(self, error: BaseException) -> None:
        self._importing = False
        self._set_status("")
        self.show_error(error, _("Nothing was imported."))
        self._schedule_preview(now=True)  # the import set ids on the preview's orders

    # --- state and messages ------------------------------------------------------------
    def _update_state(self) -> None:
        working = self._importing or self._adding_source
        finished = self.result is not None
        for widget in (self.source, self.choose_button, self.sheet):
            widget.setEnabled(not working and not finished)
        self._mapping_inner.setEnabled(self.table is not None and not working and not finished)
        self.cancel_button.setEnabled(not self._importing)
        self.cancel_button.setVisible(not finished)
        if finished:
            self.import_button.setEnabled(True)
            return
        count = len(self.current_preview.orders) if self.current_preview else 0
        self.import_button.setText(ngettext("&Import {n} order", "&Import {n} orders", count)
                                   .format(n=_n(count)) if count else _("&Import"))
        self.import_button.setEnabled(self.can_import())
        if (self.table is not None and self.current_account() is None
                and not self.busy and not self.error.isVisible()):
            self._set_status(escape(CHOOSE_SOURCE))
        elif self.status.text() == escape(CHOOSE_SOURCE):
            self._set_status("")

    def _set_status(self, html: str, *, busy: bool = False) -> None:
        self.status.setText(html)
        self.progress.setVisible(busy)

    def show_error(self, error: BaseException, lead: str = "") -> None:
        problem = as_import_error(error)
        prefix = f"<b>{escape(lead)}</b> " if lead else ""
        self.error.setText(prefix + error_html(problem))
        self.error.setVisible(True)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)

    def error_text(self) -> str:
        """The error as the user reads it (plain text), "" when none is shown."""
        if not self.error.isVisible():
            return ""
        document = QTextDocument()
        document.setHtml(self.error.text())
        return document.toPlainText()

    def reject(self) -> None:
        if self._importing:
            self._set_status(escape(_("Importing… the dialog closes when the orders are "
                                      "saved.")), busy=True)
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._importing:
            event.ignore()
            return
        if self.name_dialog is not None and self.name_dialog.isVisible():
            self.name_dialog.reject()
        super().closeEvent(event)


def open_import_dialog(parent: QWidget, store_path: Path, worker: StoreWorker,
                       mappings_folder: Path,
                       on_imported: Callable[[SaveResult, str], None] | None = None
                       ) -> ImportDialog:
    """Show the dialog window-modal, deleted when closed; how the main window opens it."""
    dialog = ImportDialog(store_path, worker, mappings_folder, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_imported is not None:
        dialog.ordersImported.connect(on_imported)
    dialog.open()
    return dialog
