"""What the period's export paperwork still needs, parcel by parcel, with where to fix it.

A problem names what is missing (HS code, weight, value, rate, declaration number, seller
profile), says it in the seller's words, points at the place to fix it (a product, an
order, a week's rate, the declaration number, the seller profile) and says which papers it
stops: the declaration batch, the VAT statement, or none (a warning).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fulfill.domain import SellerProfile
from fulfill.domain.export_declaration import DeclarationRoute
from fulfill.domain.export_period import Period
from fulfill.domain.export_rates import customs_week
from fulfill.domain.exports import ExportLine
from fulfill.services.export_lines import ExportError, export_lines
from fulfill.services.parcels import hs_problem_text
from fulfill.storage import Store
from fulfill.translation import _

DECLARATION, STATEMENT = "declaration", "statement"


class Fix(enum.StrEnum):
    """Where the seller fixes a problem."""

    PRODUCT = "product"  # the product (sku): HS code, weight
    ORDER = "order"  # the order's prices
    RATE = "rate"  # the rate table: (currency, week)
    DECLARATION = "declaration"  # the order's export declaration number
    SELLER_PROFILE = "seller_profile"


@dataclass(frozen=True)
class ExportProblem:
    what: str  # "HS code", "weight", "value", "rate", "declaration number", "seller profile"
    detail: str  # for the seller, in the interface language
    fix: Fix
    order_id: int | None = None
    order_number: str = ""
    sku: str = ""
    currency: str = ""
    week: date | None = None  # the Sunday of the customs week a missing rate is for
    stops: frozenset[str] = frozenset()  # DECLARATION and/or STATEMENT; empty: a warning

    def __str__(self) -> str:
        where = f"{self.order_number}: " if self.order_number else ""
        return f"{where}{self.detail}"


class ExportBlocked(ExportError):
    """Papers that cannot be made until the listed problems are fixed (nothing was written)."""

    def __init__(self, paper: str, problems: Sequence[ExportProblem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  {problem}" for problem in self.problems[:30])
        more = len(self.problems) - 30
        if more > 0:
            shown += "\n  " + _("… and {count} more").format(count=more)
        super().__init__(
            _("The {paper} cannot be made yet:\n{problems}").format(paper=paper, problems=shown),
            _advice(self.problems))


def _advice(problems: Sequence[ExportProblem]) -> str:
    """One sentence per kind of fix, each whole, so every language words it its own way."""
    fixes = {problem.fix for problem in problems}
    sentences = [text for fix, text in (
        (Fix.PRODUCT, _("Complete the products under Products.")),
        (Fix.ORDER, _("Check the prices on the orders.")),
        (Fix.RATE, _("Enter the missing customs rates.")),
        (Fix.SELLER_PROFILE, _("Fill in the seller profile.")),
        (Fix.DECLARATION, _("Enter the export declaration numbers.")),
    ) if fix in fixes]
    if fixes & {Fix.PRODUCT, Fix.ORDER}:
        sentences.append(_("Or leave these orders out."))
    return " ".join(sentences)


def line_problems(line: ExportLine) -> list[ExportProblem]:
    """What one order's export lacks."""
    common = {"order_id": line.order_id, "order_number": line.order_number}
    both = frozenset({DECLARATION, STATEMENT})
    problems = []
    for sku in dict.fromkeys(item.sku for item in line.items):
        item = next(i for i in line.items if i.sku == sku)
        problem = hs_problem_text(item.hs_code)
        if problem:
            problems.append(ExportProblem(
                "HS code", _("{sku}: {problem} — add it to the product").format(
                    sku=sku, problem=problem), Fix.PRODUCT, sku=sku,
                stops=frozenset({DECLARATION}), **common))
        if item.unit_net_weight_g <= 0:
            problems.append(ExportProblem(
                "weight", _("{sku}: no net weight — add it to the product").format(sku=sku),
                Fix.PRODUCT, sku=sku, stops=frozenset({DECLARATION}), **common))
    if line.fob.minor <= 0:
        problems.append(ExportProblem(
            "value", _("the goods have no value: check the prices on the order"), Fix.ORDER,
            stops=both, **common))
    if line.rate is None:
        week = customs_week(line.rate_date)
        problems.append(ExportProblem(
            "rate", _("no {currency} customs rate for the week from {sunday}").format(
                currency=line.currency, sunday=week.isoformat()), Fix.RATE,
            currency=line.currency, week=week, stops=both, **common))
    if line.declaration is None:
        if line.route is DeclarationRoute.REGULAR:
            problems.append(ExportProblem(
                "declaration number",
                _("worth {krw} won FOB, over the simplified-declaration limit: it needs a "
                  "regular export declaration; enter its number").format(
                    krw=f"{line.krw.minor:,}" if line.krw else "?"), Fix.DECLARATION, **common))
        elif not line.postal:
            problems.append(ExportProblem(
                "declaration number",
                _("shipped by {carrier} with no export declaration number: enter it, or keep "
                  "the courier's export record if it cleared the parcel on its list "
                  "(목록통관)").format(carrier=line.carrier or _("courier")),
                Fix.DECLARATION, **common))
    return problems


def seller_problems(seller: SellerProfile) -> list[ExportProblem]:
    problems = []
    if not (seller.name_ko or seller.name_en):
        problems.append(ExportProblem("seller profile", _("the seller profile has no business "
                                                         "name"), Fix.SELLER_PROFILE,
                                      stops=frozenset({DECLARATION, STATEMENT})))
    if len("".join(c for c in seller.business_number if c.isdigit())) != 10:
        problems.append(ExportProblem("seller profile", _("the seller profile has no business "
                                                         "registration number (사업자등록번호)"),
                                      Fix.SELLER_PROFILE, stops=frozenset({STATEMENT})))
    if not seller.customs_code.strip():
        problems.append(ExportProblem("seller profile", _("the seller profile has no customs "
                                                         "code (통관고유부호)"),
                                      Fix.SELLER_PROFILE, stops=frozenset({DECLARATION})))
    return problems


def check(store: Store, period: Period) -> list[ExportProblem]:
    """Everything the period's declaration batch and VAT statement still need: the seller
    profile's gaps first, then each order's in shipping order."""
    lines = export_lines(store, period)
    problems = seller_problems(store.settings.seller_profile()) if lines else []
    for line in lines:
        problems += line_problems(line)
    return problems
