"""The settings a sync changes for speed are put back afterwards, nested or failing."""

import gc
import sys

import pytest

from fulfill.channels.money_time import unit_price
from fulfill.services.sync import paced_for_bulk_work, roomy_page_cache


def test_interpreter_settings_come_back_even_when_nested_and_failing():
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    with pytest.raises(RuntimeError):
        with paced_for_bulk_work():
            with paced_for_bulk_work():
                assert sys.getswitchinterval() < interval
            assert sys.getswitchinterval() < interval  # the outer sync still runs
            raise RuntimeError("sync failed")
    assert (sys.getswitchinterval(), gc.get_threshold()) == (interval, thresholds)


def test_the_page_cache_comes_back(store):
    before = store.db.execute("PRAGMA cache_size").fetchone()[0]
    with roomy_page_cache(store):
        assert store.db.execute("PRAGMA cache_size").fetchone()[0] != before
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == before


def test_a_line_of_no_pieces_is_a_value_error_not_a_crash():
    with pytest.raises(ValueError):
        unit_price("10.00", 0, "USD")
