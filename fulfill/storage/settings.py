"""Store-wide settings kept in the store itself: the seller profile and document settings.

They belong to the store, not to the computer: a second packing station opening the same
store prints the same exporter and the same CN22/CN23 choice. Each setting is one JSON value
under a key in `store_settings`.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from fulfill.domain import Address, AddressText, ItemCategory, Money, SellerProfile
from fulfill.storage.audit import now_text

SELLER_PROFILE = "seller_profile"
CN23_THRESHOLDS = "cn23_thresholds"  # {"USD": 40000, "KRW": 550000}: minor units per currency

_TEXT_FIELDS = ("name", "line1", "line2", "city", "region", "company")


def _text_dict(text: AddressText) -> dict[str, str]:
    return {f: getattr(text, f) for f in _TEXT_FIELDS}


def _address_dict(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {"typed": _text_dict(address.typed), "country_code": address.country_code,
            "postal_code": address.postal_code, "phone": address.phone, "email": address.email,
            "latin": _text_dict(address.latin) if address.latin else None}


def _address_from(data: dict[str, Any] | None) -> Address | None:
    if not data:
        return None
    latin = data.get("latin")
    return Address(
        typed=AddressText(**{f: data["typed"].get(f, "") for f in _TEXT_FIELDS}),
        country_code=data["country_code"], postal_code=data.get("postal_code", ""),
        phone=data.get("phone", ""), email=data.get("email", ""),
        latin=AddressText(**{f: latin.get(f, "") for f in _TEXT_FIELDS}) if latin else None,
    )


def profile_to_json(profile: SellerProfile) -> dict[str, Any]:
    return {
        "name_en": profile.name_en, "name_ko": profile.name_ko,
        "address_en": _address_dict(profile.address_en),
        "address_ko": _address_dict(profile.address_ko),
        "business_number": profile.business_number, "customs_code": profile.customs_code,
        "phone": profile.phone, "email": profile.email, "signature_name": profile.signature_name,
        "default_incoterm": profile.default_incoterm,
        "default_category": profile.default_category.value,
        "tax_ids": dict(profile.tax_ids),
        "return_address_en": _address_dict(profile.return_address_en),
        "return_address_ko": _address_dict(profile.return_address_ko),
    }


def profile_from_json(data: dict[str, Any]) -> SellerProfile:
    defaults = SellerProfile()
    return SellerProfile(
        name_en=data.get("name_en", ""), name_ko=data.get("name_ko", ""),
        address_en=_address_from(data.get("address_en")),
        address_ko=_address_from(data.get("address_ko")),
        business_number=data.get("business_number", ""),
        customs_code=data.get("customs_code", ""), phone=data.get("phone", ""),
        email=data.get("email", ""), signature_name=data.get("signature_name", ""),
        default_incoterm=data.get("default_incoterm") or defaults.default_incoterm,
        default_category=ItemCategory(data.get("default_category")
                                      or defaults.default_category.value),
        tax_ids=dict(data.get("tax_ids") or {}),
        # Profiles saved before return addresses existed have none: returns go to the
        # exporter address.
        return_address_en=_address_from(data.get("return_address_en")),
        return_address_ko=_address_from(data.get("return_address_ko")),
    )


class StoreSettings:
    """Read and write the store's settings. Use from the thread that opened the store."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM store_settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO store_settings (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            [key, json.dumps(value, ensure_ascii=False, sort_keys=True), now_text()])

    def seller_profile(self) -> SellerProfile:
        """The saved profile, or an empty one (whose .missing() lists what to fill in)."""
        data = self.get(SELLER_PROFILE)
        return profile_from_json(data) if data else SellerProfile()

    def save_seller_profile(self, profile: SellerProfile) -> None:
        self.set(SELLER_PROFILE, profile_to_json(profile))

    def cn23_thresholds(self) -> dict[str, Money]:
        """The seller's own CN23 thresholds by currency; a currency not listed uses the
        documents' 300 SDR table."""
        saved = self.get(CN23_THRESHOLDS) or {}
        return {currency: Money(minor, currency) for currency, minor in sorted(saved.items())}

    def save_cn23_threshold(self, currency: str, threshold: Money | None) -> None:
        """Set the threshold for one currency, or forget it (None) to use the default."""
        if threshold is not None and threshold.currency != currency:
            raise ValueError(f"A {currency} threshold cannot be in {threshold.currency}")
        with self.db.atomic():
            saved = dict(self.get(CN23_THRESHOLDS) or {})
            if threshold is None:
                saved.pop(currency, None)
            else:
                saved[currency] = threshold.minor
            self.set(CN23_THRESHOLDS, saved)
