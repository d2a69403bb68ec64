"""What customs papers need to know: the seller as exporter, why goods travel, on what terms,
and the parcel's contents line by line."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import date

from fulfill.domain.address import Address
from fulfill.domain.catalog import normalize_hs_code
from fulfill.domain.money import Money


class ItemCategory(enum.StrEnum):
    """Category of item on CN 22/CN 23, and the reason for export on an invoice."""

    SALE_OF_GOODS = "sale_of_goods"
    GIFT = "gift"
    COMMERCIAL_SAMPLE = "commercial_sample"
    DOCUMENTS = "documents"
    RETURNED_GOODS = "returned_goods"
    OTHER = "other"

    @property
    def english(self) -> str:
        return _CATEGORY_WORDS[self][0]

    @property
    def french(self) -> str:
        return _CATEGORY_WORDS[self][1]


_CATEGORY_WORDS = {
    ItemCategory.SALE_OF_GOODS: ("Sale of goods", "Vente de marchandises"),
    ItemCategory.GIFT: ("Gift", "Cadeau"),
    ItemCategory.COMMERCIAL_SAMPLE: ("Commercial sample", "Échantillon commercial"),
    ItemCategory.DOCUMENTS: ("Documents", "Documents"),
    ItemCategory.RETURNED_GOODS: ("Returned goods", "Retour de marchandise"),
    ItemCategory.OTHER: ("Other", "Autre"),
}

# Incoterms 2020 a parcel seller uses: duties paid by the buyer (DAP) or by the seller (DDP).
INCOTERMS = ("DAP", "DDP")

_HS_DIGITS = re.compile(r"^\d{6}(\d{4})?$")


def hs_problem(code: str) -> str | None:
    """Why `code` cannot go on customs papers, or None when it can.

    6 digits (HS) or 10 (Korean HSK); chapter 77 is reserved and 98/99 are national only.
    """
    digits = normalize_hs_code(code)
    if not digits:
        return "no HS code"
    if not _HS_DIGITS.match(digits):
        return f"HS code {code!r} is not 6 digits (HS) or 10 digits (Korean HSK)"
    chapter = int(digits[:2])
    if chapter == 0 or chapter == 77 or chapter > 97:
        return f"HS code {code!r} is in chapter {digits[:2]}, which international papers cannot use"
    return None


def hs6(code: str) -> str:
    """The six digits every country reads, dotted as printed: "3304.99"."""
    digits = normalize_hs_code(code)[:6]
    return f"{digits[:4]}.{digits[4:]}"


@dataclass(frozen=True)
class SellerProfile:
    """The seller as exporter: what every invoice, declaration and label says about them.

    Returned parcels go to the return address when the seller gave one (a warehouse, a
    returns desk), else to the exporter address."""

    name_en: str = ""
    name_ko: str = ""
    address_en: Address | None = None
    address_ko: Address | None = None
    business_number: str = ""  # 사업자등록번호, 10 digits
    customs_code: str = ""  # 통관고유부호 (exporter's customs ID)
    phone: str = ""
    email: str = ""
    signature_name: str = ""
    default_incoterm: str = "DAP"
    default_category: ItemCategory = ItemCategory.SALE_OF_GOODS
    # Tax numbers that go on papers for one destination: {"EU": "IM2760000001", "GB": "GB…"}.
    tax_ids: dict[str, str] = field(default_factory=dict)
    return_address_en: Address | None = None
    return_address_ko: Address | None = None

    def missing(self) -> list[str]:
        """What the papers cannot do without, in words the seller recognises."""
        gaps = []
        if not self.name_en:
            gaps.append("exporter name in English")
        if self.address_en is None or not self.address_en.typed.line1:
            gaps.append("exporter address in English")
        if not self.phone:
            gaps.append("exporter phone number")
        if not self.signature_name:
            gaps.append("name to sign the declarations with")
        return gaps

    def return_addresses(self) -> tuple[Address | None, Address | None]:
        """(English, Korean) forms of where returned parcels go. Either form of a return
        address replaces the exporter address as a whole: mixing the two would send a
        parcel to a street that is not the one written beside it."""
        if self.return_address_en is not None or self.return_address_ko is not None:
            return self.return_address_en, self.return_address_ko
        return self.address_en, self.address_ko

    def return_address(self) -> Address | None:
        """Where returned parcels go, as one address: the Korean form as typed with the
        English form as its Latin one (carriers abroad read that), or the English alone.
        None when there is no English form: a parcel from abroad needs one."""
        english, korean = self.return_addresses()
        if english is None or not english.typed.line1:
            return None
        phone, email = english.phone or self.phone, english.email or self.email
        if korean is None or not korean.typed.line1:
            return replace(english, phone=phone, email=email)
        return Address(korean.typed, english.country_code,
                       english.postal_code or korean.postal_code, phone, email, english.typed)

    def missing_for_returns(self) -> list[str]:
        """What papers for a parcel coming back cannot do without."""
        gaps = []
        if not self.name_en:
            gaps.append("company name in English")
        if self.return_address() is None:
            gaps.append("return address in English (or the exporter address)")
        if not self.phone:
            gaps.append("phone number")
        return gaps

    def tax_id_for(self, country_code: str) -> tuple[str, str] | None:
        """(label, number) of the tax number to print for a destination, if the seller has one."""
        if country_code in self.tax_ids:
            return ("VAT/GST No.", self.tax_ids[country_code])
        if country_code in EU_COUNTRIES and "EU" in self.tax_ids:
            return ("IOSS No.", self.tax_ids["EU"])
        return None


EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())


@dataclass(frozen=True)
class CustomsItem:
    """One line of a parcel as customs reads it."""

    sku: str
    description: str  # English, plain words ("Face cream, 50 ml")
    quantity: int
    unit_value: Money
    hs_code: str
    origin_country: str
    unit_net_weight_g: int
    translations: dict[str, str] = field(default_factory=dict)  # language -> description
    title: str = ""  # the name the seller sells it under, for the packer

    @property
    def value(self) -> Money:
        return self.unit_value * self.quantity

    @property
    def net_weight_g(self) -> int:
        return self.unit_net_weight_g * self.quantity


@dataclass(frozen=True)
class Parcel:
    """Everything the documents of one parcel print, gathered from the store beforehand."""

    order_id: int
    order_number: str
    channel: str  # "Shopify · Seoul Glow"
    ordered_at: date
    seller: SellerProfile
    recipient: Address
    items: tuple[CustomsItem, ...]
    currency: str
    shipping: Money
    category: ItemCategory = ItemCategory.SALE_OF_GOODS
    incoterm: str = "DAP"
    carrier: str = ""
    service: str = ""
    tracking_number: str = ""
    invoice_number: str = ""
    invoice_date: date | None = None
    gross_weight_g: int = 0  # 0: net weight of the items plus packaging allowance
    packages: int = 1
    buyer_email: str = ""
    note: str = ""
    # Why the category is "Other", for the officer: "Replacement for order … — no charge".
    explanation: str = ""
    # A return to the seller: the buyer sends goods back. `sender` is the buyer (the
    # exporter on the return's papers), `recipient` the seller's return address, and
    # `original_export` the export the goods came back from — the proof customs needs to
    # let them in again free of duty.
    sender: Address | None = None
    original_export: str = ""

    @property
    def returning(self) -> bool:
        return self.sender is not None

    @property
    def signatory(self) -> str:
        """Who signs the declarations: the seller, or on a return the buyer who sends it."""
        return self.sender.for_carrier.name if self.sender else self.seller.signature_name

    @property
    def goods_value(self) -> Money:
        total = Money.zero(self.currency)
        for item in self.items:
            total = total + item.value
        return total

    @property
    def net_weight_g(self) -> int:
        return sum(item.net_weight_g for item in self.items)

    @property
    def weight_g(self) -> int:
        """Gross weight: as weighed, else net plus 10% (at least 50 g) for the packaging."""
        if self.gross_weight_g:
            return self.gross_weight_g
        net = self.net_weight_g
        return net + max(50, net // 10)
