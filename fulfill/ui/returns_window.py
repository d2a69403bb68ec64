"""The Returns screen: every return and exchange from the buyer's request to the closing
refund or replacement. Filters (status, reason, channel, country, age), the queues that
need the seller (to decide, overdue, awaiting inspection), one RMA in full with the steps it
can take next, its papers, and the return rate chart.

Reads and steps run on the store worker; every step is checked by fulfill.services.returns,
which refuses with the reason (shown as is) anything the RMA's state does not allow.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QPushButton, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from fulfill.domain import ChannelAccount
from fulfill.domain.returns import ReturnReason, ReturnStatus, ReturnStep
from fulfill.i18n import country_name
from fulfill.services import packing, return_desk, return_papers, returns
from fulfill.services.return_desk import ReturnFilter, ReturnRow, RmaDetail
from fulfill.storage import Store
from fulfill.translation import N_, _, ngettext
from fulfill.ui import labels
from fulfill.ui.account_dialog import BAD_COLOUR
from fulfill.ui.pdf_preview import PdfPreview
from fulfill.ui.return_detail import OVERDUE_TINT, rma_html
from fulfill.ui.return_dialogs import InspectDialog, NewReturnDialog, RefundDialog
from fulfill.ui.returns_chart import ReturnRatesChart
from fulfill.ui.store_worker import StoreWorker, error_text, run_in_thread, with_own_store
from fulfill.ui.tables import ReadOnlyTable

S = ReturnStatus
# (key, words, filter): what "Show" offers; the queues link to three of them. The words are
# English here (N_) and translated where they are shown; the keys are for the code.
VIEWS: tuple[tuple[str, str, ReturnFilter], ...] = (
    ("open", N_("Open"), ReturnFilter(open_only=True)),
    ("requested", N_("To decide"), ReturnFilter(statuses=(S.REQUESTED,))),
    ("awaiting", N_("Awaiting the parcel"),
     ReturnFilter(statuses=(S.APPROVED, S.AWAITING_PARCEL))),
    ("overdue", N_("Parcel overdue"), ReturnFilter(overdue_only=True, open_only=True)),
    ("inspection", N_("Awaiting inspection"), ReturnFilter(statuses=(S.RECEIVED,))),
    ("inspected", N_("Inspected: refund or replace"), ReturnFilter(statuses=(S.INSPECTED,))),
    ("settled", N_("Refunded or exchanged"), ReturnFilter(statuses=(S.REFUNDED, S.EXCHANGED))),
    ("finished", N_("Closed or rejected"), ReturnFilter(statuses=(S.CLOSED, S.REJECTED))),
    ("all", N_("All"), ReturnFilter()),
)
AGES = ((N_("Any age"), 0), (N_("Open 7+ days"), 7), (N_("Open 14+ days"), 14),
        (N_("Open 30+ days"), 30))
STEP_BUTTONS = {
    ReturnStep.APPROVE: N_("&Approve"), ReturnStep.REJECT: N_("Re&ject…"),
    ReturnStep.AWAIT_PARCEL: N_("Parcel on its &way…"),
    ReturnStep.RECEIVE: N_("Parcel &received"),
    ReturnStep.INSPECT: N_("&Inspect…"), ReturnStep.REFUND: N_("Re&fund…"),
    ReturnStep.EXCHANGE: N_("Send re&placement…"), ReturnStep.CLOSE: N_("&Close…"),
}
COLUMNS = [
    # Translators: column header: the return's code (RMA = return merchandise authorization).
    N_("RMA"), N_("Order"), N_("Buyer"),
    # Translators: column header, short for "country" (a two-letter code below it).
    N_("Ctry"), N_("Kind"), N_("Reason"), N_("Status"),
    # Translators: column header, short for "pieces".
    N_("Pcs"), N_("Days"),
]
ACTOR = "seller"


class ReturnsWindow(QWidget):
    ordersChanged = Signal()  # a replacement order was made
    packReplacement = Signal(int)  # the replacement's order id: open it in Pack mode
    showOrder = Signal(int)
    loaded = Signal(int)  # rows now listed; tests wait on it
    detailShown = Signal(int)  # the RMA id now in the detail pane

    def __init__(self, store_path: Path, worker: StoreWorker, settings: QSettings,
                 accounts: dict[int, ChannelAccount], locale: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("Returns and exchanges"))
        self.store_path, self.worker, self.settings = store_path, worker, settings
        self.accounts, self.locale = accounts, locale
        self.rows: list[ReturnRow] = []
        self.detail: RmaDetail | None = None
        self._wanted_id: int | None = None  # to select once the next listing arrives
        self._current_id: int | None = None  # chosen in the table (its detail may be loading)
        self._build()
        self.reload()
        geometry = settings.value("returns/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1480, 860)

    # --- construction ----------------------------------------------------------------
    def _build(self) -> None:
        self.view = QComboBox()
        for key, words, _flt in VIEWS:
            self.view.addItem(_(words), key)
        self.reason = QComboBox()
        self.reason.addItem(_("Any reason"), None)
        for reason in ReturnReason:
            self.reason.addItem(labels.return_reason(reason), reason)
        self.channel = QComboBox()
        self.channel.setMaximumWidth(220)
        self.channel.addItem(_("Any channel"), None)
        for account in sorted(self.accounts.values(), key=labels.account_name):
            self.channel.addItem(labels.account_name(account), account.id)
        self.country = QComboBox()
        self.country.addItem(_("Any country"), "")
        self.age = QComboBox()
        for words, days in AGES:
            self.age.addItem(_(words), days)
        self.search = QLineEdit(
            placeholderText=_("Scan or type an RMA code, order, buyer, tracking"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        new = QPushButton(_("&New return…"))
        new.clicked.connect(self.ask_for_order)
        filters = QHBoxLayout()
        # Translators: before the filters: "Show [Open] [Any reason] [Any channel] …".
        filters.addWidget(QLabel(_("Show")))
        for widget in (self.view, self.reason, self.channel, self.country, self.age):
            filters.addWidget(widget)
        filters.addStretch(1)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(new)
        for combo in (self.view, self.reason, self.channel, self.country, self.age):
            combo.currentIndexChanged.connect(self.reload)
        self.search.returnPressed.connect(self.reload)
        self.search.textChanged.connect(lambda text: text or self.reload())

        self.queues = QLabel()
        self.queues.setTextFormat(Qt.TextFormat.RichText)
        self.queues.linkActivated.connect(self.show_view)
        self.table = ReadOnlyTable([_(words) for words in COLUMNS],
                                   (84, 150, 150, 44, 90, 130, 120, 40, 46), stretch=2)
        self.table.currentCellChanged.connect(lambda row, *_rest: self._row_chosen(row))
        self.table.doubleClicked.connect(lambda _index: self.show_order_of_current())
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addLayout(search_row)
        left_layout.addWidget(self.queues)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty)

        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.step_buttons: dict[ReturnStep, QPushButton] = {}
        steps = QGridLayout()
        for n, (step, words) in enumerate(STEP_BUTTONS.items()):
            button = QPushButton(_(words))
            button.clicked.connect(lambda _checked=False, s=step: self.take_step(s))
            steps.addWidget(button, n // 4, n % 4)
            self.step_buttons[step] = button
        self.slip_button = QPushButton(_("RMA &slip"))
        self.slip_button.setToolTip(_("The slip the buyer puts in the parcel: return address "
                                      "and the RMA barcode Pack mode scans when it comes back"))
        self.slip_button.clicked.connect(lambda: self.show_document("slip"))
        self.customs_button = QPushButton(_("Return c&ustoms papers"))
        self.customs_button.setToolTip(_("Invoice and CN22/CN23 for the buyer to send the goods "
                                         "back to Korea as returned goods"))
        self.customs_button.clicked.connect(lambda: self.show_document("customs"))
        self.replacement_button = QPushButton(_("&Pack the replacement"))
        self.replacement_button.setToolTip(_("Open the replacement order in Pack mode: scan its "
                                             "items, and its label and papers print"))
        self.replacement_button.clicked.connect(self._pack_replacement)
        self.order_button = QPushButton(_("Show &order"))
        self.order_button.clicked.connect(self.show_order_of_current)
        papers = QHBoxLayout()
        for button in (self.slip_button, self.customs_button, self.replacement_button,
                       self.order_button):
            papers.addWidget(button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.browser, 1)
        right_layout.addLayout(steps)
        right_layout.addLayout(papers)
        right_layout.addWidget(self.status)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setSizes([860, 600])

        self.chart = ReturnRatesChart(self.locale)
        self.chart.group.currentIndexChanged.connect(self.load_rates)
        self.chart.period.currentIndexChanged.connect(self.load_rates)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.split, _("Returns and exchanges"))
        self.tabs.addTab(self.chart, _("Return rates"))
        self.tabs.currentChanged.connect(lambda index: index == 1 and self.load_rates())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.reload)
        self._show_steps(None)

    # --- listing ---------------------------------------------------------------------
    def current_filter(self) -> ReturnFilter:
        base = VIEWS[self.view.currentIndex()][2]
        return ReturnFilter(
            statuses=base.statuses, open_only=base.open_only, overdue_only=base.overdue_only,
            reason=self.reason.currentData(), account_id=self.channel.currentData(),
            country=self.country.currentData() or "", min_days_open=self.age.currentData(),
            text=self.search.text())

    def show_view(self, key: str) -> None:
        self.view.setCurrentIndex(self.view.findData(key))

    def reload(self) -> None:
        flt = self.current_filter()

        def load(store: Store, _progress, _cancel):
            countries = [row[0] for row in store.db.execute(
                "SELECT DISTINCT o.ship_country FROM rmas r JOIN orders o ON o.id = r.order_id"
                " ORDER BY 1")]
            return (return_desk.list_returns(store, flt), return_desk.queue_counts(store),
                    countries)

        self.worker.submit(load, self._listed, self._failed, owner=self)

    def _listed(self, result) -> None:
        rows, counts, countries = result
        self._fill_countries(countries)
        self.rows = rows
        self.queues.setText(self._queue_text(counts))
        keep = self._wanted_id or self._current_id
        self.table.fill([self._cells(row) for row in rows], right=(7, 8))
        for r, row in enumerate(rows):
            if row.overdue:
                for c in range(len(COLUMNS)):
                    self.table.item(r, c).setBackground(QBrush(QColor(OVERDUE_TINT)))
                days = self.table.item(r, 8)
                days.setForeground(QBrush(QColor(BAD_COLOUR)))
                font = days.font()
                font.setBold(True)
                days.setFont(font)
        self.empty.setVisible(not rows)
        self.empty.setText(_("No returns match these filters.") if self._filtered()
                           else _("No returns yet. Open one from an order (New return…), or "
                                  "they arrive with the platforms' refunds on the next sync."))
        ids = [row.rma_id for row in rows]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
        elif rows:
            self.table.selectRow(0)
        else:
            self._current_id = None
            self._show_detail(None)
        self._wanted_id = None
        self.loaded.emit(len(rows))

    def _filtered(self) -> bool:
        return self.current_filter() != ReturnFilter(open_only=True)

    def _fill_countries(self, codes: list[str]) -> None:
        chosen = self.country.currentData()
        present = [self.country.itemData(i) for i in range(1, self.country.count())]
        if present == codes:
            return
        self.country.blockSignals(True)
        self.country.clear()
        self.country.addItem(_("Any country"), "")
        for code in codes:
            self.country.addItem(f"{country_name(code, self.locale)} ({code})", code)
        self.country.setCurrentIndex(max(0, self.country.findData(chosen)))
        self.country.blockSignals(False)

    @staticmethod
    def _queue_text(counts: dict[str, int]) -> str:
        n = counts["requested"]
        parts = [("requested", ngettext("{n} to decide", "{n} to decide", n).format(n=n))]
        n = counts["overdue"]
        parts.append(("overdue", ngettext("{n} parcel overdue", "{n} parcel overdue", n)
                      .format(n=n)))
        n = counts["inspection"]
        parts.append(("inspection", ngettext("{n} awaiting inspection",
                                             "{n} awaiting inspection", n).format(n=n)))
        links = [f"<a href='{key}'>{escape(words)}</a>" if counts[key] else escape(words)
                 for key, words in parts]
        n = counts["open"]
        opened = escape(ngettext("{n} open", "{n} open", n).format(n=n))
        return f"<b>{opened}</b> · " + " · ".join(links)

    def _cells(self, row: ReturnRow) -> list[tuple[str, str]]:
        account = self.accounts.get(row.account_id)
        days_tip = _("Parcel overdue") if row.overdue else ""
        replacement = (_("Replacement order {number}").format(number=row.replacement_number)
                       if row.replacement_number else "")
        return [
            (row.code, row.return_tracking),
            (row.order_number, labels.account_name(account) if account else ""),
            (row.buyer, row.buyer), (row.country, country_name(row.country, self.locale)),
            (labels.return_kind_short(row.kind), replacement),
            (labels.return_reason(row.reason), ""), (labels.return_status(row.status), ""),
            (str(row.items), ""), (str(row.days_open), days_tip),
        ]

    # --- one RMA ---------------------------------------------------------------------
    def select_rma(self, rma_id: int) -> None:
        """Show this RMA, whatever the filters hid: they are reset to show all."""
        ids = [row.rma_id for row in self.rows]
        if rma_id in ids:
            self.table.selectRow(ids.index(rma_id))
            return
        self._wanted_id = rma_id
        for combo in (self.reason, self.channel, self.country, self.age):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if self.view.currentData() == "all":
            self.reload()
        else:
            self.show_view("all")

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self._current_id = self.rows[row].rma_id
            self.load_detail(self._current_id)

    def load_detail(self, rma_id: int) -> None:
        self.worker.submit(lambda store, _p, _c: return_desk.rma_detail(store, rma_id),
                           self._show_detail, self._failed, owner=self)

    def _show_detail(self, detail: RmaDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.browser.setHtml("<p style='color:#5a6270'>"
                                 + escape(_("Choose a return on the left.")) + "</p>")
            self._show_steps(None)
            return
        row = next((r for r in self.rows if r.rma_id == detail.rma.id), None)
        account = self.accounts.get(detail.order.account_id)
        self.browser.setHtml(rma_html(detail, overdue=bool(row and row.overdue),
                                      channel=labels.account_name(account) if account else "",
                                      locale=self.locale))
        self._show_steps(detail)
        self.detailShown.emit(detail.rma.id or 0)

    def _show_steps(self, detail: RmaDetail | None) -> None:
        allowed = detail.rma.next_steps() if detail else {}
        for step, button in self.step_buttons.items():
            button.setEnabled(step in allowed)
            button.setToolTip(_("Leads to: {status}").format(
                status=labels.return_status(allowed[step])) if step in allowed else "")
        goods_back = detail is not None and return_papers.goods_come_back(detail.rma)
        self.slip_button.setEnabled(goods_back)
        self.customs_button.setEnabled(goods_back and detail.order.ship_to.country_code != "KR")
        self.replacement_button.setEnabled(detail is not None and detail.replacement is not None)
        self.order_button.setEnabled(detail is not None)

    # --- steps -----------------------------------------------------------------------
    def take_step(self, step: ReturnStep) -> None:
        """Ask what the step needs (if anything), then run it."""
        detail = self.detail
        if detail is None:
            return
        rma = detail.rma
        if step is ReturnStep.APPROVE:
            self.run_step(step)
        elif step is ReturnStep.REJECT:
            self._step_with_note(step, _("Reject {code}").format(code=rma.code),
                                 _("Why? (the buyer will ask)"))
        elif step is ReturnStep.AWAIT_PARCEL:
            tracking, ok = QInputDialog.getText(
                self, _("{code}: parcel on its way").format(code=rma.code),
                _("Return tracking number (if the buyer sent it):"), text=rma.return_tracking)
            if ok:
                self.run_step(step, return_tracking=tracking)
        elif step is ReturnStep.RECEIVE:
            self.run_step(step)
        elif step is ReturnStep.INSPECT:
            dialog = InspectDialog(rma, self)
            if dialog.exec() == InspectDialog.DialogCode.Accepted:
                self.run_step(step, outcomes=dialog.outcomes(),
                              restock=dialog.restock.isChecked(), note=dialog.note.text())
        elif step is ReturnStep.REFUND:
            dialog = RefundDialog(rma, detail.suggested_refund, detail.refundable, self.locale,
                                  self)
            if dialog.exec() == RefundDialog.DialogCode.Accepted:
                self.run_step(step, **dialog.choice())
        elif step is ReturnStep.EXCHANGE:
            items = ", ".join(f"{line.quantity} × {line.sku}" for line in rma.lines)
            answer = QMessageBox.question(
                self, _("Send a replacement for {code}").format(code=rma.code),
                _("Send {items} free of charge to the order's address?\n\nA replacement order "
                  "{number}-EX… is made: it is packed and printed like any order, its customs "
                  "papers say it is a replacement.").format(items=items,
                                                            number=detail.order.order_number))
            if answer == QMessageBox.StandardButton.Yes:
                self.run_step(step)
        elif step is ReturnStep.CLOSE:
            self._step_with_note(step, _("Close {code}").format(code=rma.code),
                                 _("Note (optional):"))

    def _step_with_note(self, step: ReturnStep, title: str, question: str) -> None:
        note, ok = QInputDialog.getText(self, title, question)
        if ok:
            self.run_step(step, note=note)

    def run_step(self, step: ReturnStep, **choice: Any) -> None:
        """Run one step on the store worker, then show the RMA as it now is."""
        if self.detail is None:
            return
        rma_id = self.detail.rma.id or 0
        action = {
            ReturnStep.APPROVE: returns.approve, ReturnStep.REJECT: returns.reject,
            ReturnStep.AWAIT_PARCEL: returns.mark_awaiting_parcel,
            ReturnStep.RECEIVE: returns.receive, ReturnStep.INSPECT: returns.inspect,
            ReturnStep.REFUND: returns.refund, ReturnStep.EXCHANGE: returns.exchange,
            ReturnStep.CLOSE: returns.close,
        }[step]
        outcomes = choice.pop("outcomes", None)
        amount = choice.pop("amount", None)

        def job(store: Store, _progress, _cancel):
            if step is ReturnStep.INSPECT:
                return action(store, rma_id, outcomes, actor=ACTOR, **choice)
            if step is ReturnStep.REFUND:
                return action(store, rma_id, amount, actor=ACTOR, **choice)
            return action(store, rma_id, actor=ACTOR, **choice)

        def done(rma) -> None:
            self.status.setText(_("{code} is now {status}.").format(
                code=rma.code, status=labels.return_status(rma.status)))
            if step is ReturnStep.EXCHANGE:
                self.ordersChanged.emit()
            self._wanted_id = rma_id
            self.reload()
            self.load_detail(rma_id)

        self.status.setText("")
        self.worker.submit(job, done, self._step_failed, owner=self)

    def _step_failed(self, error: BaseException) -> None:
        self.status.setText(f"<span style='color:{BAD_COLOUR}'>"
                            f"{error_text(error)}</span>")
        QMessageBox.warning(self, _("Returns"), error_text(error, "\n\n"))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"<span style='color:{BAD_COLOUR}'>{error_text(error)}</span>")

    # --- opening a return ------------------------------------------------------------
    def ask_for_order(self) -> None:
        number, ok = QInputDialog.getText(self, _("New return"), _(
            "Order number (or scan the packing slip or the outgoing label):"))
        if ok and number.strip():
            self.worker.submit(lambda store, _p, _c: packing.find_order(store, number),
                               self.new_return_for, self._step_failed, owner=self)

    def new_return_for(self, order_id: int) -> None:
        """Open the New return dialog for an order, then the RMA."""
        def load(store: Store, _p, _c):
            return store.orders.get(order_id), dict(returns.returnable(store, order_id))

        def ask(loaded) -> None:
            order, returnable = loaded
            dialog = NewReturnDialog(order, returnable, self)
            if dialog.exec() == NewReturnDialog.DialogCode.Accepted:
                self.open_rma(order_id, **dialog.choice())

        self.worker.submit(load, ask, self._step_failed, owner=self)

    def open_rma(self, order_id: int, **choice: Any) -> None:
        def job(store: Store, _p, _c):
            return returns.open_rma(store, order_id, actor=ACTOR, **choice)

        def done(rma) -> None:
            self.status.setText(_("{code} opened: approve it, or reject it with the reason.")
                                .format(code=rma.code))
            self.select_rma(rma.id or 0)

        self.worker.submit(job, done, self._step_failed, owner=self)

    # --- papers ----------------------------------------------------------------------
    def show_document(self, kind: str) -> None:
        if self.detail is None:
            return
        rma = self.detail.rma
        make = return_papers.rma_slip if kind == "slip" else return_papers.return_customs_papers
        title = (_("RMA slip {code}") if kind == "slip"
                 else _("Return customs papers {code}")).format(code=rma.code)
        name = f"{'rma-slip' if kind == 'slip' else 'return-customs'}-{rma.code}.pdf"
        self.status.setText(_("Making the RMA slip…") if kind == "slip"
                            else _("Making the return customs papers…"))
        run_in_thread(lambda: with_own_store(self.store_path, lambda s: make(s, rma.id or 0)),
                      lambda pdf: self._preview(pdf, title, name), self._step_failed, owner=self)

    def _preview(self, pdf: bytes, title: str, name: str) -> None:
        self.status.setText("")
        self.preview = PdfPreview(pdf, title, name, self.settings, self)
        self.preview.show()

    def _pack_replacement(self) -> None:
        if self.detail is not None and self.detail.replacement is not None:
            self.packReplacement.emit(self.detail.replacement.id or 0)

    def show_order_of_current(self) -> None:
        if self.detail is not None:
            self.showOrder.emit(self.detail.order.id or 0)

    # --- chart -----------------------------------------------------------------------
    def load_rates(self) -> None:
        group, since = self.chart.chosen()
        self.worker.submit(lambda store, _p, _c: return_desk.return_rates(store, group,
                                                                          since=since),
                           self.chart.show_rates, self._failed, owner=self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("returns/geometry", self.saveGeometry())
        super().closeEvent(event)
