"""The Export paperwork window's files: the declaration batch, the VAT statement and the
figures saved where the seller picks, the statement previewed and printed, and declaration
numbers imported from a spreadsheet through a preview.

When a save is refused for want of something (a customs rate, the seller profile, orders
that are not complete yet), the window says what and offers the way to it, then tries the
save again. ExportFiles is mixed into ExportsWindow and uses its worker, settings, period(),
status line (_say, _warn), `saved` signal, and the ways to fix things (enter_rate,
open_profile, the Checks tab); the work itself runs on the store worker
(fulfill.services.export_*)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from fulfill.i18n import format_money
from fulfill.services import export_declaration, export_figures, export_statement
from fulfill.services.export_checks import ExportBlocked, Fix
from fulfill.services.export_lines import RatesMissing
from fulfill.translation import _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR, OK_COLOUR
from fulfill.ui.export_dialogs import FilePreviewDialog, ask, ask_spreadsheet
from fulfill.ui.export_period import period_file_stem
from fulfill.ui.pdf_preview import PdfPreview
from fulfill.ui.store_worker import StoreWorker, error_text

ACTOR = "seller"


class ExportFiles:
    """Saving, previewing and importing for ExportsWindow (see the module's docstring)."""

    # The window's, used here:
    worker: StoreWorker
    settings: QSettings
    locale: str | None
    preview: PdfPreview | None

    # --- files -------------------------------------------------------------------------
    def ask_path(self, title: str, name: str, kinds: list[tuple[str, str]]) -> Path | None:
        """Where to save: the file dialog in the last folder used; the suffix of the chosen
        kind is added when the name has none of `kinds`."""
        folder = Path(str(self.settings.value("exports/save_dir", "") or Path.home()))
        filters = [f"{label} (*.{suffix})" for label, suffix in kinds]
        chosen, picked = QFileDialog.getSaveFileName(self, title, str(folder / name),
                                                     ";;".join(filters))
        if not chosen:
            return None
        path = Path(chosen)
        suffixes = [suffix for _label, suffix in kinds]
        if path.suffix.lower().lstrip(".") not in suffixes:
            suffix = suffixes[filters.index(picked)] if picked in filters else suffixes[0]
            path = path.with_name(f"{path.name}.{suffix}")
        self.settings.setValue("exports/save_dir", str(path.parent))
        return path

    def save_batch(self) -> None:
        period = self.period()
        path = self.ask_path(_("Save the declaration batch"),
                             f"export-declaration-{period_file_stem(period)}.xlsx",
                             [(_("Excel workbook"), "xlsx"), (_("CSV, UTF-8"), "csv")])
        if path is not None:
            self.write_batch(path)

    def write_batch(self, path: Path, *, leave_out: bool = False) -> None:
        period, undeclared = self.period(), self.declaration.undeclared_only.isChecked()
        self._say(_("Writing {file}…").format(file=path.name))

        def done(batch) -> None:
            text = ngettext("Saved {file}: {n} order for the declaration",
                            "Saved {file}: {n} orders for the declaration",
                            len(batch.lines)).format(file=path.name, n=len(batch.lines))
            if batch.regular:
                text += "; " + ngettext("{n} over the limit needs a regular declaration",
                                        "{n} over the limit need a regular declaration",
                                        len(batch.regular)).format(n=len(batch.regular))
            if batch.left_out:
                text += "; " + ngettext("{n} left out until it is complete",
                                        "{n} left out until they are complete",
                                        len(batch.left_out)).format(n=len(batch.left_out))
            self._say(text + ".", OK_COLOUR, path.parent)
            self.saved.emit([path])

        self.worker.submit(lambda store, _p, _c: export_declaration.write_declaration(
            store, period, path, leave_out_incomplete=leave_out, undeclared_only=undeclared),
            done, lambda error: self._refused(error, _("Declaration batch"),
                                              lambda: self.write_batch(path, leave_out=leave_out),
                                              lambda: self.write_batch(path, leave_out=True)),
            owner=self)

    def save_statement(self) -> None:
        period = self.period()
        path = self.ask_path(_("Save the VAT statement"),
                             f"export-statement-{period_file_stem(period)}.pdf",
                             [(_("PDF"), "pdf"), (_("Excel workbook"), "xlsx"),
                              (_("CSV, UTF-8 (two files)"), "csv")])
        if path is not None:
            self.write_statement(path)

    def write_statement(self, path: Path) -> None:
        period = self.period()
        self._say(_("Writing {file}…").format(file=path.name))

        def done(written) -> None:
            total = format_money(written.statement.total_krw, self.locale)
            names = ", ".join(p.name for p in written.paths)
            self._say(_("Saved {files}: zero-rated exports of {won}.").format(
                files=names, won=total), OK_COLOUR, path.parent)
            self.saved.emit(list(written.paths))

        self.worker.submit(lambda store, _p, _c: export_statement.write_statement(
            store, period, path), done, lambda error: self._refused(
            error, _("VAT statement"), lambda: self.write_statement(path)), owner=self)

    def preview_statement(self, *, print_it: bool = False) -> None:
        period = self.period()
        self._say(_("Making the statement…"))

        def show(result) -> None:
            _done, pdf = result
            self._say("")
            if self.preview is not None:
                self.preview.close()
            self.preview = PdfPreview(pdf, _("VAT statement {period}").format(
                period=period.label), f"export-statement-{period_file_stem(period)}.pdf",
                self.settings, self)
            self.preview.destroyed.connect(lambda: setattr(self, "preview", None))
            self.preview.show()
            if print_it:
                self.preview.print_pdf()

        self.worker.submit(lambda store, _p, _c: export_statement.printable_statement(
            store, period), show, lambda error: self._refused(
            error, _("VAT statement"), lambda: self.preview_statement(print_it=print_it)),
            owner=self)

    def save_figures(self) -> None:
        period, locale = self.period(), self.locale
        path = self.ask_path(_("Export the figures"),
                             f"export-figures-{period_file_stem(period)}.csv",
                             [(_("CSV, UTF-8"), "csv"), (_("Excel workbook"), "xlsx")])
        if path is None:
            return

        def done(_figures) -> None:
            self._say(_("Saved {file}.").format(file=path.name), OK_COLOUR, path.parent)
            self.saved.emit([path])

        self.worker.submit(lambda store, _p, _c: export_figures.write_figures(
            store, period, path, locale=locale), done,
            lambda error: self._refused(error, _("Figures"), lambda: None), owner=self)

    # --- declaration numbers -------------------------------------------------------------
    def import_numbers(self) -> None:
        if path := ask_spreadsheet(self, self.settings, _("Import export declaration numbers")):
            self.import_numbers_from(path)

    def import_numbers_from(self, path: Path) -> None:
        self._say(_("Reading {file}…").format(file=path.name))
        self.worker.submit(lambda store, _p, _c: export_declaration.preview_numbers_file(
            store, path), self._numbers_preview, self._warn, owner=self)

    def _numbers_preview(self, preview) -> None:
        self._say("")
        rows = [[str(row.row), row.order_number, row.declaration.number,
                 row.declaration.declared_on.isoformat() if row.declaration.declared_on else "",
                 _("replaces {number}").format(number=row.replaces) if row.replaces
                 else _("new")] for row in preview.rows]
        summary = _("{file}: {n} numbers to write, {unchanged} already on their orders, "
                    "{blank} orders without a number yet, {rejected} rejected.").format(
            file=preview.file, n=len(preview.rows), unchanged=preview.unchanged,
            blank=preview.blank, rejected=len(preview.rejected))
        self.numbers_dialog = FilePreviewDialog(
            _("Import export declaration numbers"), summary,
            [_("Row"), _("Order"), _("Declaration no."), _("Accepted on"), _("Change")],
            (50, 160, 160, 110, 200), rows, preview.rejected,
            noun=lambda n: ngettext("&Import {n} number", "&Import {n} numbers", n).format(n=n),
            parent=self)
        self.numbers_dialog.accepted.connect(lambda: self._import_numbers(preview))
        self.numbers_dialog.open()

    def _import_numbers(self, preview) -> None:
        def done(count: int) -> None:
            self._say(ngettext("Imported {n} declaration number from {file}.",
                               "Imported {n} declaration numbers from {file}.", count).format(
                n=count, file=preview.file), OK_COLOUR)
            self.reload()

        self.worker.submit(lambda store, _p, _c: export_declaration.import_numbers(
            store, preview, skip_rejected=True, actor=ACTOR), done, self._warn, owner=self)

    # --- refusals ----------------------------------------------------------------------
    def _refused(self, error: BaseException, paper: str, retry: Callable[[], None],
                 leave_out: Callable[[], None] | None = None) -> None:
        """A save refused: offer the way forward the refusal names, then try again."""
        self._say(error_text(error), BAD_COLOUR)
        if isinstance(error, RatesMissing) and error.missing:
            currency, sunday = error.missing[0]
            ask(self, paper, error.message, [(
                _("Enter the {currency} rate from {sunday}…").format(
                    currency=currency, sunday=sunday.isoformat()),
                lambda: self.enter_rate(currency, sunday, then=retry))],
                details=_("When it is saved, fulfill tries again."))
        elif isinstance(error, ExportBlocked) and any(p.fix is Fix.SELLER_PROFILE
                                                      for p in error.problems):
            ask(self, paper, error.message, [(_("Open the seller profile…"),
                                              lambda: self.open_profile(then=retry))])
        elif isinstance(error, ExportBlocked) and leave_out is not None:
            orders = {p.order_id for p in error.problems if p.order_id is not None}
            ask(self, paper, ngettext(
                "{n} order cannot go in the batch yet:", "{n} orders cannot go in the batch "
                "yet:", len(orders)).format(n=len(orders)), [
                (_("Leave them out and save the rest"), leave_out),
                (_("Show the checks"), lambda: self.tabs.setCurrentWidget(self.checks))],
                details="\n".join(str(p) for p in error.problems[:12])
                + ("\n…" if len(error.problems) > 12 else "") + "\n\n" + error.advice)
        else:
            self._warn(error)
