"""The e-commerce export declaration batch (전자상거래 간이수출신고) for a period, and the
declaration numbers the seller gets back.

The batch is one line per order, as the declaration requires the order number: HS code,
quantity, net and gross weight, FOB value in the order's currency and in won with the rate
used, destination and buyer. Orders worth more than the simplified-declaration limit on
their rate date are marked for a regular declaration (정식수출신고). The XLSX adds a sheet
with one line per HS code of each order (the declaration's 란) and a notes sheet; the CSV
holds the order lines. The UNI-PASS upload template itself is not public (customs-labels.md
§9): its columns are copied from these.

The batch refuses (RatesMissing) when a rate is missing, and (ExportBlocked) when an order
lacks an HS code, a weight or a value, unless those orders are left out on purpose.

Declaration numbers come back one by one (set_declaration_number) or as a file of order
numbers and declaration numbers (the batch file itself, filled in, will do): every row that
cannot be matched or read is listed with the reason, and nothing is written until
import_numbers, which writes all of it in one transaction or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from fulfill.domain.export_declaration import (
    Declaration, DeclarationRoute, ExportSettings, format_business_number,
    normalize_declaration_number,
)
from fulfill.domain.export_period import KST, Period
from fulfill.domain.exports import ExportLine, LeftOut, krw_total
from fulfill.services.export_checks import (
    DECLARATION, ExportBlocked, line_problems, seller_problems,
)
from fulfill.services.export_files import (
    Column, RejectedRow, Table, file_bytes, file_format, parse_day, read_rows, refuse_rejected,
    write_file,
)
from fulfill.services.export_lines import (
    ExportError, export_lines, load_settings, require_rates,
)
from fulfill.storage import Store
from fulfill.translation import _

ENTERED = "entered"


@dataclass
class DeclarationBatch:
    period: Period
    settings: ExportSettings
    lines: list[ExportLine]
    left_out: list[LeftOut] = field(default_factory=list)
    made_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def regular(self) -> list[ExportLine]:
        """Orders over the simplified-declaration limit: a regular declaration each."""
        return [line for line in self.lines if line.route is DeclarationRoute.REGULAR]


def declaration_batch(store: Store, period: Period, *, leave_out_incomplete: bool = False,
                      undeclared_only: bool = False) -> DeclarationBatch:
    """The period's orders for the declaration. Refuses (RatesMissing) when a rate is
    missing, and (ExportBlocked) when the seller profile lacks the business name or customs
    code, or an order lacks its HS code, weight or value, unless `leave_out_incomplete`
    (those orders are then listed in `left_out`). `undeclared_only`: orders that have no
    declaration number yet."""
    settings = load_settings(store)
    lines = export_lines(store, period, settings=settings)
    if undeclared_only:
        lines = [line for line in lines if line.declaration is None]
    require_rates(lines)
    blocking = [p for p in seller_problems(store.settings.seller_profile())
                if DECLARATION in p.stops] if lines else []
    if blocking:
        raise ExportBlocked(_("export declaration batch"), blocking)
    kept, left_out, problems = [], [], []
    for line in lines:
        stops = [p for p in line_problems(line) if DECLARATION in p.stops]
        if not stops:
            kept.append(line)
        elif leave_out_incomplete:
            left_out.append(LeftOut(line.order_id, line.order_number,
                                    "; ".join(p.detail for p in stops)))
        else:
            problems += stops
    if problems:
        raise ExportBlocked(_("export declaration batch"), problems)
    return DeclarationBatch(period, settings, kept, left_out)


# --- the file ------------------------------------------------------------------------------

ORDER_NUMBER = Column("주문번호", "Order no.")
DECLARATION_NUMBER = Column("수출신고번호", "Export declaration no.")
DECLARED_ON = Column("수리일자", "Declaration date")

ORDER_COLUMNS = (
    Column("순번", "No."), ORDER_NUMBER, Column("판매채널", "Channel"),
    Column("선적일자", "Shipping date"), Column("운송사", "Carrier"),
    Column("운송장번호", "Tracking no."), Column("목적국", "Destination"),
    Column("구매자", "Buyer"), Column("세번부호", "HS code"), Column("품명", "Description"),
    Column("란수", "HS lines"), Column("수량", "Quantity"),
    Column("순중량(kg)", "Net weight kg"), Column("총중량(kg)", "Gross weight kg"),
    Column("통화", "Currency"), Column("FOB 외화", "FOB amount"),
    Column("환율", "Exchange rate"), Column("환율단위", "Rate per units"),
    Column("환율적용일", "Rate applies from"), Column("FOB 원화", "FOB KRW"),
    Column("신고구분", "Declaration type"), Column("비고", "Note"), DECLARATION_NUMBER,
    DECLARED_ON,
)
HS_COLUMNS = (
    Column("순번", "No."), ORDER_NUMBER, Column("란번호", "Line no."),
    Column("세번부호", "HS code"), Column("품명", "Description"), Column("원산지", "Origin"),
    Column("수량", "Quantity"), Column("순중량(kg)", "Net weight kg"),
    Column("통화", "Currency"), Column("물품가격 외화", "Goods value"),
    Column("환율", "Exchange rate"), Column("환율단위", "Rate per units"),
    Column("물품가격 원화", "Goods value KRW"),
)


def kg(grams: int) -> Decimal:
    return (Decimal(grams) / 1000).quantize(Decimal("0.001"))


def _note(line: ExportLine) -> str:
    notes = []
    if line.route is DeclarationRoute.REGULAR:
        notes.append("정식신고 대상: 간이수출신고 한도 초과 (over the simplified limit)")
    if line.replacement_for:
        notes.append(f"무상 교환품 (no-charge replacement for {line.replacement_for})")
    if len(line.tracking_numbers) > 1:
        notes.append(f"{len(line.tracking_numbers)}개 소포 (parcels)")
    return "; ".join(notes)


def batch_tables(batch: DeclarationBatch) -> list[Table]:
    orders, hs_rows = [], []
    for number, line in enumerate(batch.lines, 1):
        assert line.rate is not None and line.krw is not None and line.route is not None
        hs_lines = line.hs_lines()
        declaration = line.declaration
        orders.append([
            number, line.order_number, line.channel, line.ship_date,
            " ".join(x for x in (line.carrier, line.service) if x),
            " ".join(line.tracking_numbers), line.country, line.buyer, line.main_hs_code,
            hs_lines[0].description if hs_lines else "", len(hs_lines), line.pieces,
            kg(line.net_weight_g), kg(line.gross_weight_g), line.currency, line.fob,
            line.rate.rate, line.rate.unit, line.rate.applies_from, line.krw,
            line.route.korean, _note(line), declaration.number if declaration else "",
            declaration.declared_on if declaration and declaration.declared_on else None,
        ])
        for hs_no, hs in enumerate(hs_lines, 1):
            origins = {i.origin_country for i in line.items
                       if "".join(c for c in i.hs_code if c.isdigit()) == hs.hs_code}
            hs_rows.append([number, line.order_number, hs_no, hs.hs_code, hs.description,
                            ", ".join(sorted(o for o in origins if o)), hs.quantity,
                            kg(hs.net_weight_g), line.currency, hs.value, line.rate.rate,
                            line.rate.unit, line.rate.to_krw(hs.value)])
    # No totals row: the sheet feeds an upload template row by row (the notes carry them).
    return [Table("수출신고 (Declaration)", ORDER_COLUMNS, orders),
            Table("란별 (HS lines)", HS_COLUMNS, hs_rows)]


def batch_notes(batch: DeclarationBatch, store: Store) -> list[tuple[str, str]]:
    seller = store.settings.seller_profile()
    settings = batch.settings
    total = krw_total([line.krw for line in batch.lines if line.krw is not None])
    limits = ", ".join(f"{limit.since.isoformat()}부터 {limit.krw:,}원"
                       for limit in settings.limits)
    notes = [
        ("기간 (Period)", f"{batch.period.start.isoformat()} ~ {batch.period.last.isoformat()} "
                        "(선적일, 한국시간 / shipping date, Korea time)"),
        ("수출자 (Exporter)", seller.name_ko or seller.name_en),
        ("사업자등록번호 (Business no.)", format_business_number(seller.business_number)),
        ("통관고유부호 (Customs code)", seller.customs_code),
        ("주문 수 (Orders)", f"{len(batch.lines)} (정식신고 대상 / regular: {len(batch.regular)})"),
        ("합계 (Total)", f"{len(batch.lines)}건, FOB 원화 {total.minor:,}원"),
        ("간이수출신고 한도 (Simplified limit)",
         f"FOB 원화 기준, 한도 금액 이하 포함 / FOB in KRW, equal is within: {limits}"),
        ("FOB", "물품가격 (goods value, as on the invoice)" if settings.fob_basis.value == "goods"
         else "물품가격 + 구매자 부담 배송비 (goods and the postage the buyer paid)"),
        ("환율 (Exchange rate)", f"관세청 과세환율(수출), 기준일: {settings.rate_date.file_text}; "
                                "원 미만 절사 (under one won cut off)"),
        ("양식 (Template)", "UNI-PASS 업로드 양식은 확인되지 않음: 각 열을 양식에 옮겨 주세요 "
                          "(the UNI-PASS template is not verified: copy each column into it)"),
        ("작성 (Made)", batch.made_at.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")),
    ]
    notes += [(f"제외 (Left out) {item.order_number}", item.reason) for item in batch.left_out]
    return notes


def write_declaration(store: Store, period: Period, path: Path | str, *,
                      leave_out_incomplete: bool = False,
                      undeclared_only: bool = False) -> DeclarationBatch:
    """Write the batch as .xlsx or .csv (by the file name), whole or not at all."""
    file_format(path)  # a wrong file name is refused before any work
    batch = declaration_batch(store, period, leave_out_incomplete=leave_out_incomplete,
                              undeclared_only=undeclared_only)
    if not batch.lines:
        raise ExportError(_("No parcel left for abroad in {period}.").format(
            period=period.label), _("Choose another period."))
    write_file(path, file_bytes(path, batch_tables(batch), batch_notes(batch, store)))
    return batch


# --- declaration numbers -------------------------------------------------------------------

def number_refusal(text: str) -> str:
    """Why `text` is not an export declaration number, in the interface's language
    (domain.normalize_declaration_number's checks, which speak English)."""
    number = re.sub(r"[\s\-]", "", str(text)).upper()
    if not number:
        return _("The export declaration number is empty.")
    if len(number) != 14:
        return _("{text!r} has {count} characters; an export declaration number has 14 "
                 "(e.g. 12865-24-008922X)").format(text=text, count=len(number))
    return _("{text!r} is not an export declaration number: 13 digits and a check digit or "
             "letter (e.g. 12865-24-008922X)").format(text=text)


def set_declaration_number(store: Store, order_id: int, number: str, *,
                           declared_on: date | None = None, actor: str = "") -> Declaration:
    """Record the declaration an order left under (hyphens and spaces dropped); replaces
    one given before. ExportError for a number that cannot be right."""
    try:
        normalized = normalize_declaration_number(number)
    except ValueError:
        raise ExportError(number_refusal(number), _("Copy the number from the declaration's "
                                                    "acceptance (수출신고필증).")) from None
    declaration = Declaration(normalized, declared_on, ENTERED)
    with store.errors(), store.db.atomic():
        if store.db.execute("SELECT 1 FROM orders WHERE id = ?", [order_id]).fetchone() is None:
            raise ExportError(_("There is no order with id {id}.").format(id=order_id), "")
        store.exports.set_declaration(order_id, declaration, actor=actor or ENTERED)
    return declaration


def clear_declaration_number(store: Store, order_id: int, *, actor: str = "") -> bool:
    with store.errors(), store.db.atomic():
        return store.exports.clear_declaration(order_id, actor=actor or ENTERED)


NUMBER_COLUMNS = {
    "order_number": ("주문번호", ORDER_NUMBER.header, "주문 번호", "Order number", "Order no.",
                     "Order", "order_number"),
    "declaration": ("수출신고번호", DECLARATION_NUMBER.header, "신고번호",
                    "Export declaration number", "Export declaration no.",
                    "Declaration number", "Declaration no.", "expDclrNo"),
    "declared_on": ("수리일자", DECLARED_ON.header, "신고수리일자", "수리일", "신고일자",
                    "Declaration date", "Accepted on"),
}


@dataclass(frozen=True)
class NumberRow:
    row: int
    order_id: int
    order_number: str
    declaration: Declaration
    replaces: str = ""  # the number the order had before, if another


@dataclass
class NumbersPreview:
    file: str
    rows: list[NumberRow] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    blank: int = 0  # rows with an order number and no declaration number yet


def _candidates(number: str) -> list[str]:
    return list(dict.fromkeys((number, f"#{number}", number.lstrip("#"))))


def preview_numbers_file(store: Store, path: Path | str) -> NumbersPreview:
    """Match a file's declaration numbers to orders by order number; nothing is written."""
    table = read_rows(path, NUMBER_COLUMNS, ("order_number", "declaration"))
    preview = NumbersPreview(Path(path).name)
    numbers = [cells["order_number"] for _n, cells in table.rows if cells["order_number"]]
    with store.errors():
        ids = store.exports.orders_numbered(n for number in numbers for n in _candidates(number))
        known = store.exports.declarations([i for found in ids.values() for i in found])
    seen: dict[int, tuple[int, str]] = {}
    for row, cells in table.rows:
        order_number, text = cells["order_number"], cells["declaration"]
        if not order_number:
            preview.rejected.append(RejectedRow(row, _("no order number")))
            continue
        if not text:
            preview.blank += 1
            continue
        matches = next((ids[n] for n in _candidates(order_number) if n in ids), [])
        if not matches:
            preview.rejected.append(RejectedRow(row, _("there is no order {number}").format(
                number=order_number)))
            continue
        if len(matches) > 1:
            preview.rejected.append(RejectedRow(row, _(
                "order number {number} belongs to {count} orders of different shops: enter "
                "this one on the order itself").format(number=order_number, count=len(matches))))
            continue
        try:
            number = normalize_declaration_number(text)
        except ValueError:
            preview.rejected.append(RejectedRow(row, number_refusal(text)))
            continue
        try:
            declared_on = parse_day(cells["declared_on"]) if cells.get("declared_on") else None
        except ValueError:
            preview.rejected.append(RejectedRow(row, _("{text!r} is not a date").format(
                text=cells["declared_on"])))
            continue
        order_id = matches[0]
        if order_id in seen:
            if seen[order_id][1] != number:
                preview.rejected.append(RejectedRow(row, _(
                    "order {number} is also on row {other} with another declaration "
                    "number").format(number=order_number, other=seen[order_id][0])))
            continue
        seen[order_id] = (row, number)
        old = known.get(order_id)
        if old is not None and (old.number, old.declared_on) == (number, declared_on):
            preview.unchanged += 1
            continue
        preview.rows.append(NumberRow(row, order_id, order_number,
                                      Declaration(number, declared_on, preview.file),
                                      old.number if old and old.number != number else ""))
    return preview


def import_numbers(store: Store, preview: NumbersPreview, *, skip_rejected: bool = False,
                   actor: str = "") -> int:
    """Write the previewed numbers in one transaction; how many orders changed. Refuses,
    writing nothing, while rows are rejected unless `skip_rejected`."""
    if not skip_rejected:
        refuse_rejected(preview.rejected, preview.file)
    with store.errors(), store.db.atomic():
        for row in preview.rows:
            store.exports.set_declaration(row.order_id, row.declaration,
                                          actor=actor or "import")
    return len(preview.rows)

