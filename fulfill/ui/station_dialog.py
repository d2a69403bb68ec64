"""Station settings: this bench's name, printers, copies per destination and sounds, plus the
owner's store-wide rule that every item is scanned before papers print.

The dialog saves the computer's part (QSettings) itself on accept; the store-wide rule comes
back from `require_scan()` for the caller to save through its StoreWorker.
`edit_station_settings()` does both ends.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from fulfill.i18n import country_name
from fulfill.translation import _, current_language
from fulfill.ui.printing import PrinterBox, available_printers, show_box_problem
from fulfill.ui.station import (
    COPY_KINDS, ELSEWHERE, EU, KIND_TITLES, MAX_COPIES, CopyRule, StationSettings, host_name,
    require_scan, save_require_scan_job,
)
from fulfill.ui.store_worker import StoreWorker

_MUTED, _BAD = "#5a6270", "#b3261e"
# Babel's territory codes that are no country a parcel goes to.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {_MUTED}")
    return label


def _country(code: str) -> str:
    """The country's name in the interface language."""
    return country_name(code, current_language())


def destination_title(destination: str) -> str:
    if destination == ELSEWHERE:
        return _("Everywhere else")
    if destination == EU:
        return _("EU (any member country)")
    return f"{_country(destination)} ({destination})"


def _country_codes() -> list[str]:
    from babel import Locale

    codes = [code for code in Locale.parse("en").territories
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES]
    return sorted(codes, key=_country)


class CopiesTable(QWidget):
    """The copy rules as a table (paper, destination, copies) with add and remove. The
    everywhere-else rule of each paper always stays; the others can go."""

    def __init__(self, rules: list[CopyRule], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Paper"), _("Destination"), _("Copies")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.kind = QComboBox()
        for kind in COPY_KINDS:
            self.kind.addItem(KIND_TITLES[kind], kind)
        self.destination = QComboBox()
        self.destination.addItem(destination_title(EU), EU)
        for code in _country_codes():
            self.destination.addItem(destination_title(code), code)
        self.destination.setMaxVisibleItems(20)
        self.add_button = QPushButton(_("A&dd rule"))
        self.add_button.clicked.connect(self.add_rule)
        self.remove_button = QPushButton(_("Re&move rule"))
        self.remove_button.clicked.connect(self.remove_rule)

        adding = QHBoxLayout()
        adding.addWidget(self.kind)
        adding.addWidget(QLabel(_("to")))
        adding.addWidget(self.destination, 1)
        adding.addWidget(self.add_button)
        adding.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(adding)
        self._keys: list[tuple[str, str]] = []
        self.show_rules(rules)

    # --- rows --------------------------------------------------------------------------
    def spin(self, kind: str, destination: str) -> QSpinBox:
        return self.table.cellWidget(self._keys.index((kind, destination)), 2)

    def rules(self) -> list[CopyRule]:
        return [CopyRule(kind, destination, self.table.cellWidget(row, 2).value())
                for row, (kind, destination) in enumerate(self._keys)]

    def show_rules(self, rules: list[CopyRule]) -> None:
        order = {kind: n for n, kind in enumerate(COPY_KINDS)}
        rank = {ELSEWHERE: 0, EU: 1}
        rules = sorted(rules, key=lambda r: (order[r.kind], rank.get(r.destination, 2),
                                             destination_title(r.destination)))
        self._keys = [(rule.kind, rule.destination) for rule in rules]
        self.table.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            self.table.setItem(row, 0, QTableWidgetItem(KIND_TITLES[rule.kind]))
            self.table.setItem(row, 1, QTableWidgetItem(destination_title(rule.destination)))
            spin = QSpinBox()
            spin.setRange(0, MAX_COPIES)
            spin.setSpecialValueText(_("0 – none"))
            spin.setValue(rule.copies)
            spin.setAccessibleName(_("Copies of {paper} to {destination}").format(
                paper=KIND_TITLES[rule.kind], destination=destination_title(rule.destination)))
            self.table.setCellWidget(row, 2, spin)
        self._update_buttons()

    def _selected(self) -> tuple[str, str] | None:
        rows = self.table.selectionModel().selectedRows()
        return self._keys[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        selected = self._selected()
        self.remove_button.setEnabled(selected is not None and selected[1] != ELSEWHERE)

    def _select(self, key: tuple[str, str]) -> None:
        row = self._keys.index(key)
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, 0))
        self.table.cellWidget(row, 2).setFocus()

    def add_rule(self) -> None:
        key = (self.kind.currentData(), self.destination.currentData())
        if key not in self._keys:
            kind, destination = key
            rules = self.rules()
            start = self._current_copies(rules, kind, destination)
            self.show_rules([*rules, CopyRule(kind, destination, start)])
        self._select(key)

    @staticmethod
    def _current_copies(rules: list[CopyRule], kind: str, destination: str) -> int:
        """What `destination` gets today, so a new rule starts from there."""
        from fulfill.domain.customs import EU_COUNTRIES

        by_destination = {r.destination: r.copies for r in rules if r.kind == kind}
        if destination in EU_COUNTRIES and EU in by_destination:
            return by_destination[EU]
        return by_destination.get(ELSEWHERE, 1)

    def remove_rule(self) -> None:
        selected = self._selected()
        if selected is None or selected[1] == ELSEWHERE:
            return
        self.show_rules([r for r in self.rules() if (r.kind, r.destination) != selected])


class StationSettingsDialog(QDialog):
    """Edit one station's settings; `require_scan()` is the store-wide checkbox's answer."""

    def __init__(self, settings: QSettings, require_scan: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = StationSettings(settings)
        self.setWindowTitle(_("Station settings"))

        # --- this station ------------------------------------------------------------
        self.name = QLineEdit(self.station.name)
        self.name.setPlaceholderText(host_name())
        self.sounds = QCheckBox(_("Play s&ounds (good scan, refused scan, stop, parcel done)"))
        self.sounds.setChecked(self.station.sounds_on)
        station_box = QGroupBox(_("This station"))
        station_form = QFormLayout(station_box)
        station_form.addRow(_("&Name:"), self.name)
        station_form.addRow("", _muted(_("Shown on the pack screen and in the audit log, so "
                                         "you can tell which bench packed a parcel.")))
        station_form.addRow("", self.sounds)

        self.require_scan_box = QCheckBox(_("Require every item to be &scanned before papers "
                                            "print (applies to every station on this store)"))
        self.require_scan_box.setChecked(require_scan)
        rule_box = QGroupBox(_("Every station on this store"))
        rule_layout = QVBoxLayout(rule_box)
        rule_layout.addWidget(self.require_scan_box)
        rule_layout.addWidget(_muted(_("When it is off, a packer may print the papers without "
                                       "scanning the items, for example when the scanner is "
                                       "broken. Wrong items then go unnoticed.")))

        names = available_printers()
        self.label_box = PrinterBox(self.station.label_profile(), names)
        self.document_box = PrinterBox(self.station.document_profile(), names)

        left = QVBoxLayout()
        left.addWidget(station_box)
        left.addWidget(rule_box)
        if not names:
            left.addWidget(_muted(_("No printers are installed on this computer: choose a "
                                    "folder for the PDF files, and print them elsewhere.")))
        left.addWidget(self.label_box)
        left.addWidget(self.document_box)
        left.addStretch(1)

        # --- copies --------------------------------------------------------------------
        self.copies = CopiesTable(self.station.copy_rules())
        copies_box = QGroupBox(_("Copies per parcel"))
        copies_layout = QVBoxLayout(copies_box)
        copies_layout.addWidget(_muted(_(
            "How many of each paper one parcel gets. The most specific rule wins: the "
            "destination country's, then the EU's for an EU country, then everywhere else. "
            "0 means the paper is not printed. A parcel needs a CN 22 or a CN 23, never both: "
            "only the one it needs prints.")))
        copies_layout.addWidget(self.copies, 1)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(copies_box, 1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {_BAD}")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Wrapped hints report too small a minimum height; below the hint they would clip.
        self.setMinimumSize(self.sizeHint())
        self.resize(self.sizeHint().width(), max(self.sizeHint().height(), 680))

    def require_scan(self) -> bool:
        return self.require_scan_box.isChecked()

    def accept(self) -> None:
        if show_box_problem((self.label_box, self.document_box), self.error):
            return
        self.station.name = self.name.text()
        self.station.sounds_on = self.sounds.isChecked()
        self.station.save_profile(self.label_box.profile())
        self.station.save_profile(self.document_box.profile())
        self.station.set_copy_rules(self.copies.rules())
        self.station.sync()
        super().accept()


def edit_station_settings(parent: QWidget, settings: QSettings, worker: StoreWorker,
                          on_saved: Callable[[StationSettings, bool], None] | None = None
                          ) -> None:
    """Read the store's scan rule on the worker, show the dialog, save the rule on the worker.
    `on_saved(station, require_scan)` runs once both halves are saved."""

    def failed(error: BaseException) -> None:
        QMessageBox.warning(parent, _("Station settings"),
                            _("The store's packing rule could not be read or saved: {error}")
                            .format(error=error))

    def loaded(current: bool) -> None:
        dialog = StationSettingsDialog(settings, current, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        parent.station_dialog = dialog  # tests and screenshots reach it here

        def accepted() -> None:
            wanted = dialog.require_scan()
            station = dialog.station

            def saved(_result: object) -> None:
                if on_saved is not None:
                    on_saved(station, wanted)

            worker.submit(save_require_scan_job(wanted), saved, failed, owner=parent)

        dialog.accepted.connect(accepted)
        dialog.open()

    worker.submit(lambda store, _p, _c: require_scan(store), loaded, failed, owner=parent)
