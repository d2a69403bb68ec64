"""UPU S10 numbers against the published vectors (customs-labels reference, section 3.4)."""

import pytest

from fulfill.domain import TrackingNumberError, is_valid_s10, normalize_tracking_number, s10_check_digit
from fulfill.domain.tracking import grouped, order_id_from_scan, order_scan_code

VECTORS = [
    ("47312482", 9), ("47110815", 1), ("00071759", 5), ("00071761", 8), ("00071758", 1),
    ("96633102", 0), ("76129403", 8), ("12345678", 5), ("28704377", 5), ("00000000", 5),
    ("00000008", 0), ("00000015", 5), ("99999999", 5), ("00000001", 4), ("10000000", 3),
    ("00000010", 2),
]


@pytest.mark.parametrize(("serial", "check"), VECTORS)
def test_check_digit_matches_the_published_vectors(serial, check):
    assert s10_check_digit(serial) == check


@pytest.mark.parametrize("number", ["RR473124829GB", "EE471108151FR", "EB000717595HK",
                                    "EB000717618HK", "EE123456785KR", "RR287043775IN"])
def test_published_numbers_are_valid(number):
    assert is_valid_s10(number)
    assert normalize_tracking_number(number) == number


@pytest.mark.parametrize(("number", "reason"), [
    ("EB000717594HK", "check digit"), ("EB900717618HK", "check digit"),
    ("KA123456785KR", "never assigns"), ("WA123456785KR", "never assigns"),
])
def test_wrong_s10_numbers_are_refused_with_the_reason(number, reason):
    assert not is_valid_s10(number)
    with pytest.raises(TrackingNumberError, match=reason):
        normalize_tracking_number(number)


def test_typing_is_forgiven_but_not_wrong_digits():
    assert normalize_tracking_number(" ee 123 456 785 kr ") == "EE123456785KR"
    for bad in ("EE12345678KR", "EE1234567850KR", "EE123456785K1", "1847176155123"):
        assert not is_valid_s10(bad)


def test_other_carriers_numbers_are_taken_as_entered():
    assert normalize_tracking_number("1Z 999 AA1 0123456784") == "1Z999AA10123456784"
    assert normalize_tracking_number("6801 2345 6789") == "680123456789"
    with pytest.raises(TrackingNumberError, match="empty"):
        normalize_tracking_number("   ")


def test_s10_numbers_print_in_groups():
    assert grouped("EE123456785KR") == "EE 123 456 785 KR"
    assert grouped("1Z999AA10123456784") == "1Z999AA10123456784"


def test_packing_slip_codes_round_trip():
    assert order_id_from_scan(order_scan_code(42)) == 42
    assert order_id_from_scan("fo000042\n") == 42
    assert order_id_from_scan("EE123456785KR") is None
