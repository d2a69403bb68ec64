"""Tracking numbers. UPU S10 ones (EE123456785KR) are checked digit by digit; any other
carrier's number is taken as entered, tidied of spaces."""

from __future__ import annotations

import re

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
# S10-12: these service indicators are reserved and never assigned.
_RESERVED_INDICATORS = frozenset("JKSTW")


class TrackingNumberError(ValueError):
    """A tracking number that cannot be right; the message says why and what to do."""


def s10_check_digit(serial: str) -> int:
    """The check digit of an 8-digit S10 serial number (UPU S10, weights 8 6 4 2 3 5 9 7)."""
    if not re.fullmatch(r"\d{8}", serial):
        raise ValueError(f"An S10 serial is exactly 8 digits, not {serial!r}")
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def looks_like_s10(text: str) -> bool:
    """Two letters, nine digits, two letters: meant as a UPU number, right or wrong."""
    return bool(re.fullmatch(r"[A-Za-z]{2}\d{9}[A-Za-z]{2}", text.replace(" ", "")))


def is_valid_s10(text: str) -> bool:
    match = _S10.match(text)
    return bool(match) and match.group(1)[0] not in _RESERVED_INDICATORS and (
        s10_check_digit(match.group(2)) == int(match.group(3)))


def normalize_tracking_number(text: str) -> str:
    """The number as it should be stored and printed.

    Spaces are dropped (labels print S10 numbers in groups). A number shaped like an S10 one
    must be a valid one: a wrong check digit means a typo or a misread scan, and a parcel
    with a wrong number cannot be traced.
    """
    number = re.sub(r"\s+", "", text)
    if not number:
        raise TrackingNumberError("The tracking number is empty. Scan or type it from the label.")
    if looks_like_s10(number):
        number = number.upper()
        match = _S10.match(number)
        assert match is not None
        if match.group(1)[0] in _RESERVED_INDICATORS:
            raise TrackingNumberError(
                f"{number} starts with {match.group(1)}, a service code the UPU never assigns. "
                "Check the number on the label.")
        expected = s10_check_digit(match.group(2))
        if expected != int(match.group(3)):
            raise TrackingNumberError(
                f"{number} is not a valid postal tracking number: its check digit is "
                f"{match.group(3)}, but the digits before it need {expected}. "
                "Check for a typo or scan the label again.")
    return number


def grouped(number: str) -> str:
    """S10 numbers in the groups labels print (EE 123 456 785 KR); others unchanged."""
    if _S10.match(number):
        return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:11]} {number[11:]}"
    return number


ORDER_CODE_PREFIX = "FO"


def order_scan_code(order_id: int) -> str:
    """What a packing slip's barcode carries: FO + the order's id in the store (FO000123)."""
    return f"{ORDER_CODE_PREFIX}{order_id:06d}"


def order_id_from_scan(text: str) -> int | None:
    """The order id in a scanned packing-slip code, or None when it is not one."""
    match = re.fullmatch(rf"{ORDER_CODE_PREFIX}(\d{{6,}})", text.strip().upper())
    return int(match.group(1)) if match else None
