"""Which sheet column feeds which order field, and how a row's cell text becomes order values.

Plain Python, no Qt. file_import reads the sheet, groups rows into orders and saves them;
this module knows the column names marketplaces use (Naver Smart Store, ESM+ Gmarket/Auction,
11st, Lotte ON), keeps named mappings per source, and turns cell text into dates, amounts,
quantities, countries and currencies.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale

from fulfill.domain import Address, AddressText, Money, OrderLine, currency_digits, is_latin
from fulfill.files import write_atomically
from fulfill.errors import FulfillError
from fulfill.translation import N_, _

MAPPING_VERSION = 1


class FileImportError(FulfillError):
    """An order sheet or a saved mapping cannot be used; the advice says what to do."""


# --- the mapping ------------------------------------------------------------------------

# Field name -> the words used for it in messages ("row 9: no SKU"): English here, shown as
# field_label(name).
FIELD_LABELS: dict[str, str] = {
    "order_number": N_("order number"), "ordered_at": N_("order date"),
    "buyer_name": N_("buyer name"), "recipient_name": N_("recipient name"),
    "recipient_name_latin": N_("recipient name in Latin letters"), "phone": N_("phone"),
    "postal_code": N_("postal code"), "country_code": N_("country"),
    "address_line1": N_("address"), "address_line2": N_("address line 2"), "city": N_("city"),
    "region": N_("region"), "sku": N_("SKU"), "item_title": N_("item title"),
    "quantity": N_("quantity"), "unit_price": N_("price"), "currency": N_("currency"),
    "shipping_fee": N_("shipping fee"), "tracking_number": N_("tracking number"),
    "line_id": N_("line number"),
}


def field_label(name: str) -> str:
    """A field's words in the interface's language: "SKU", "수량"."""
    return _(FIELD_LABELS[name])


REQUIRED_FIELDS = ("order_number", "recipient_name", "address_line1", "sku", "quantity",
                   "unit_price")


@dataclass(slots=True)
class ColumnMapping:
    """Source column header for each order field; "" means the sheet has no such column.

    default_country / default_currency are used when there is no column or its cell is
    empty (an ESM+ sheet is all KRW and has no currency column).
    """

    order_number: str = ""
    ordered_at: str = ""
    buyer_name: str = ""
    recipient_name: str = ""
    recipient_name_latin: str = ""
    phone: str = ""
    postal_code: str = ""
    country_code: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    region: str = ""
    sku: str = ""
    item_title: str = ""
    quantity: str = ""
    unit_price: str = ""
    currency: str = ""
    shipping_fee: str = ""
    tracking_number: str = ""
    line_id: str = ""  # per-line id (Naver 상품주문번호), needed later to report dispatch
    default_country: str = ""
    default_currency: str = ""

    def columns(self) -> dict[str, str]:
        """Mapped fields only: field name -> source header."""
        return {f: h for f, h in asdict(self).items() if h and f in FIELD_LABELS}

    def missing_required(self) -> list[str]:
        return [f for f in REQUIRED_FIELDS if not getattr(self, f)]

    def to_dict(self) -> dict[str, Any]:
        return {"version": MAPPING_VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        """Tolerant: unknown keys (from a newer fulfill) are ignored, non-text values refused."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        bad = [k for k, v in values.items() if not isinstance(v, str)]
        if bad:
            raise ValueError(f"Mapping fields {', '.join(bad)} must be column names (text)")
        return cls(**values)


# --- guessing from headers --------------------------------------------------------------

# Normalised header names per field, best first. Normalised = lower case, no spaces,
# punctuation or bracketed notes ("판매가(원)" -> "판매가").
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_number": ("주문번호", "orderno", "ordernumber", "orderid", "order", "상품주문번호"),
    "line_id": ("상품주문번호", "주문상세번호", "주문순번", "orderitemid", "lineitemid", "lineid"),
    "ordered_at": ("주문일시", "주문일자", "주문일", "결제일시", "결제일", "결제완료일",
                   "orderdate", "ordereddate", "orderedat", "createdat", "date", "paidat",
                   "paymentdate"),
    "buyer_name": ("구매자명", "구매자", "주문자명", "주문자", "buyername", "buyer", "customer",
                   "customername"),
    "recipient_name": ("수취인명", "수취인", "수령인명", "수령인", "받는분", "받는사람",
                       "recipientname", "recipient", "shiptoname", "shippingname", "consignee",
                       "receivername"),
    "recipient_name_latin": ("영문수취인명", "수취인영문명", "영문이름", "recipientnameenglish",
                             "englishname", "latinname"),
    "phone": ("수취인연락처1", "수취인연락처", "수취인휴대폰번호", "수취인휴대폰", "수취인전화번호",
              "수령인휴대폰", "수령인연락처", "수령인전화번호", "휴대폰번호", "휴대폰", "연락처",
              "전화번호", "recipientphone", "phone", "phonenumber", "tel", "mobile"),
    "postal_code": ("우편번호", "postalcode", "postcode", "zipcode", "zip"),
    "country_code": ("국가코드", "국가", "배송국가", "countrycode", "country", "shiptocountry"),
    "address_line1": ("주소", "배송지", "배송지주소", "수취인주소", "수령인주소", "기본주소",
                      "통합배송지", "address", "address1", "addressline1", "street",
                      "shippingaddress"),
    "address_line2": ("상세주소", "상세배송지", "주소2", "address2", "addressline2"),
    "city": ("도시", "city"),
    "region": ("시도", "state", "province", "region"),
    "sku": ("옵션관리코드", "판매자상품코드", "판매자관리코드", "판매자단품코드", "자체상품코드",
            "상품관리코드", "sku", "sellersku", "itemcode", "productcode"),
    "item_title": ("상품명", "주문상품명", "productname", "itemname", "title", "product", "item"),
    "quantity": ("수량", "주문수량", "quantity", "qty"),
    "unit_price": ("판매가", "판매단가", "상품가격", "상품가", "판매금액", "단가", "unitprice",
                   "price", "itemprice"),
    "currency": ("통화", "화폐", "currency", "currencycode"),
    "shipping_fee": ("배송비", "배송비합계", "배송비금액", "shippingfee", "shipping",
                     "shippingcost", "shippingprice"),
    "tracking_number": ("송장번호", "운송장번호", "trackingnumber", "tracking", "trackingno",
                        "invoiceno", "invoicenumber"),
}


def normalize_header(header: str) -> str:
    text = re.sub(r"\(.*?\)|\[.*?\]", "", header.casefold())
    return "".join(ch for ch in text if ch.isalnum())


def suggest_mapping(headers: list[str]) -> ColumnMapping:
    """Best guess from the header names; each column feeds at most one field.

    Exact matches on normalised names only: a contains-match would take "원주문번호"
    (original order number) for the order number.
    """
    by_name: dict[str, str] = {}
    for header in headers:
        by_name.setdefault(normalize_header(header), header)
    mapping = ColumnMapping()
    used: set[str] = set()
    for field_name, names in _SYNONYMS.items():  # order_number before line_id: 주문번호 wins
        for name in names:
            header = by_name.get(name)
            if header is not None and header not in used:
                setattr(mapping, field_name, header)
                used.add(header)
                break
    return mapping


# --- saved mappings -----------------------------------------------------------------------

class MappingStore:
    """Named mappings ("Gmarket ESM+", "11st") as one JSON file each in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        # The name is kept inside the file; the file name only needs to be safe on every OS.
        slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "mapping"
        digest = hashlib.sha256(name.strip().casefold().encode()).hexdigest()[:10]
        return self.folder / f"{slug}-{digest}.json"

    def save(self, name: str, mapping: ColumnMapping) -> Path:
        if not name.strip():
            raise ValueError("A saved mapping needs a name")
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(name)
        text = json.dumps({"name": name.strip(), "mapping": mapping.to_dict()},
                          ensure_ascii=False, indent=2)
        write_atomically(path, text)
        return path

    def load(self, name: str) -> ColumnMapping | None:
        path = self._path(name)
        if not path.exists():
            return None
        try:
            return ColumnMapping.from_dict(json.loads(path.read_text("utf-8"))["mapping"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FileImportError(
                _("The saved column mapping {name} cannot be read ({error}).").format(
                    name=repr(name), error=exc),
                _("Map the columns again and save; the damaged file is {path}.").format(
                    path=path),
            ) from exc

    def names(self) -> list[str]:
        """Names of the readable saved mappings, sorted."""
        found = []
        for path in self.folder.glob("*.json"):
            try:
                found.append(json.loads(path.read_text("utf-8"))["name"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged file must not hide the others
        return sorted(found, key=str.casefold)

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


# --- cell text -> values ------------------------------------------------------------------

class CellProblem(ValueError):
    """One cell cannot become an order value; the text is the reason shown to the user, in
    the interface's language."""


def clean(text: str) -> str:
    """Cell text without surrounding spaces or the ="05510" wrapper some CSV exports use."""
    text = text.strip()
    wrapped = re.fullmatch(r'="(.*)"', text)
    return wrapped.group(1).strip() if wrapped else text


def _seoul() -> tzinfo:
    # Windows Pythons have no time zone database unless tzdata is installed; Korea has
    # had no daylight saving since 1988, so a fixed +09:00 gives the same times.
    try:
        return ZoneInfo("Asia/Seoul")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=9), "KST")


KST = _seoul()

_DATE_TIME = re.compile(
    r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?"  # also Korean "2026. 11. 19."
    r"(?:[ T]+(오전|오후|AM|PM)?\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(AM|PM)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?")


def parse_when(text: str) -> datetime:
    """A timezone-aware datetime; times without a zone are Korean time (KST)."""
    if match := _DATE_TIME.fullmatch(text):
        year, month, day, ampm, hour, minute, second, ampm_after, zone = match.groups()
        ampm = (ampm or ampm_after or "").upper()
    elif match := _COMPACT.fullmatch(text):
        year, month, day, hour, minute, second = match.groups()
        ampm, zone = "", None
    else:
        raise CellProblem(_("order date {text} is not a date (use 2026-11-19 14:03)").format(
            text=repr(text)))
    hour_n = int(hour or 0)
    if ampm in ("PM", "오후") and hour_n < 12:
        hour_n += 12
    elif ampm in ("AM", "오전") and hour_n == 12:
        hour_n = 0
    try:
        naive = datetime(int(year), int(month), int(day), hour_n, int(minute or 0),
                         int(second or 0))
    except ValueError:
        raise CellProblem(_("order date {text} is not a real date or time").format(
            text=repr(text))) from None
    if not zone:
        return naive.replace(tzinfo=KST)
    return datetime.fromisoformat(naive.isoformat() + zone.replace("Z", "+00:00"))


def parse_quantity(text: str) -> int:
    plain = text.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", text) else text
    try:
        value = Decimal(plain)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise CellProblem(_("quantity {text} is not a whole number").format(text=repr(text)))
    if value < 1:
        raise CellProblem(_("quantity {text} is less than 1").format(text=text))
    return int(value)


def parse_amount(text: str, currency: str, label: str) -> Money:
    """Exact Money from "12000", "12,000", "₩12,000", "12000원"; never rounded. `label`
    names the field in the reason ("price"), in the interface's language."""
    plain = re.sub(r"^[₩$€£¥]|원$", "", text.replace(" ", ""))
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", plain):
        plain = plain.replace(",", "")  # thousands separators, as Korean sheets write them
    if not re.fullmatch(r"-?\d+(\.\d+)?", plain):
        # Translators: {field} is "price" or "shipping fee": "price '12,OOO' is not an amount
        # of money".
        raise CellProblem(_("{field} {text} is not an amount of money").format(
            field=label, text=repr(text)))
    if plain.startswith("-"):
        raise CellProblem(_("{field} {text} is below zero").format(field=label, text=text))
    try:
        return Money.parse(plain, currency)
    except ValueError:
        raise CellProblem(_("{field} {text} has more decimals than {currency} allows").format(
            field=label, text=text, currency=currency)) from None


_CURRENCY_WORDS = {"원": "KRW", "₩": "KRW", "WON": "KRW", "$": "USD", "US$": "USD",
                   "엔": "JPY", "円": "JPY", "€": "EUR"}


def parse_currency(text: str) -> str:
    code = _CURRENCY_WORDS.get(text.upper(), text.upper())
    try:
        currency_digits(code)
    except ValueError:
        raise CellProblem(_("currency {text} is not a currency code such as KRW or USD").format(
            text=repr(text))) from None
    return code


# Three-letter codes and short names that CLDR territory names do not cover.
_COUNTRY_WORDS = {"KOR": "KR", "한국": "KR", "KOREA": "KR", "JPN": "JP", "USA": "US",
                  "미국": "US", "CHN": "CN", "TWN": "TW", "HKG": "HK", "SGP": "SG", "UK": "GB",
                  "VNM": "VN", "THA": "TH", "MYS": "MY", "IDN": "ID", "PHL": "PH", "AUS": "AU",
                  "CAN": "CA", "DEU": "DE", "FRA": "FR", "GBR": "GB"}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country names in English and Korean (CLDR, via babel), and each code itself."""
    names = {}
    for locale in ("en", "ko"):
        for code, name in Locale.parse(locale).territories.items():
            if re.fullmatch(r"[A-Z]{2}", code):
                names[name.casefold()] = code
                names[code.casefold()] = code
    return names


def parse_country(text: str) -> str:
    code = _COUNTRY_WORDS.get(text.upper()) or _country_names().get(text.casefold())
    if code is None:
        raise CellProblem(_("country {text} is not a country code such as KR or JP").format(
            text=repr(text)))
    return code


# --- one sheet row -> order values ------------------------------------------------------

class RowView:
    """One sheet row seen through the mapping: field name -> cleaned cell text."""

    def __init__(self, cells: dict[str, str], mapping: ColumnMapping) -> None:
        self.cells = cells
        self.mapping = mapping

    def get(self, field_name: str) -> str:
        header = getattr(self.mapping, field_name)
        return clean(self.cells.get(header, "")) if header else ""

    def need(self, field_name: str) -> str:
        value = self.get(field_name)
        if not value:
            header = getattr(self.mapping, field_name)
            # Translators: "no SKU (column '옵션관리코드' is empty)".
            raise CellProblem(_("no {field} (column {column} is empty)").format(
                field=field_label(field_name), column=repr(header)))
        return value


@dataclass(slots=True)
class SheetRow:
    number: int
    order_number: str
    address: Address
    line: OrderLine
    ordered_at: datetime | None
    buyer_name: str
    shipping: Money | None
    tracking: str
    cells: dict[str, str]


def read_row(number: int, cells: dict[str, str], mapping: ColumnMapping,
             default_currency: str, default_country: str) -> SheetRow:
    """The order values in one row; CellProblem names the first cell that cannot be used."""
    row = RowView(cells, mapping)
    order_number = row.need("order_number")
    currency = parse_currency(row.get("currency") or default_currency)
    country_text = row.get("country_code") or default_country
    if not country_text:
        raise CellProblem(_("no country"))
    when = row.get("ordered_at")
    fee = row.get("shipping_fee")
    return SheetRow(
        number=number,
        order_number=order_number,
        address=_address(row, parse_country(country_text)),
        line=OrderLine(
            sku=row.need("sku"), title=row.get("item_title"),
            quantity=parse_quantity(row.need("quantity")),
            unit_price=parse_amount(row.need("unit_price"), currency,
                                    field_label("unit_price")),
            platform_line_id=row.get("line_id"),
        ),
        ordered_at=parse_when(when) if when else None,
        buyer_name=row.get("buyer_name"),
        shipping=parse_amount(fee, currency, field_label("shipping_fee")) if fee else None,
        tracking=row.get("tracking_number"),
        cells={header: text for header, text in cells.items() if text.strip()},
    )


def _address(row: RowView, country: str) -> Address:
    typed = AddressText(name=row.need("recipient_name"), line1=row.need("address_line1"),
                        line2=row.get("address_line2"), city=row.get("city"),
                        region=row.get("region"))
    latin_name = row.get("recipient_name_latin")
    latin = None
    # A Latin name alone is not a Latin address; use it only when the lines are Latin already.
    if latin_name and not is_latin(typed.name) and all(map(is_latin, typed.lines()[1:])):
        latin = replace(typed, name=latin_name)
    postal = row.get("postal_code")
    if country == "KR" and postal.isdigit() and len(postal) == 4:
        postal = "0" + postal  # a number cell drops the 0 of Seoul's codes (01000-09999)
    return Address(typed=typed, country_code=country, postal_code=postal,
                   phone=row.get("phone"), latin=latin)
