"""The command line, as a script or a support person would use it."""

import json
import subprocess
import sys

import pytest

from fulfill import __version__
from fulfill.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert main(["demo-data", "--db", str(path), "--orders", "300", "--no-returns"]) == 0
    return path


def test_version_from_the_installed_entry_point():
    result = subprocess.run([sys.executable, "-m", "fulfill", "--version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"fulfill {__version__}"


def _orders(capsys, *args):
    capsys.readouterr()
    assert main(["orders", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_orders_json_lists_everything_with_money_as_text(demo_db, capsys):
    orders = _orders(capsys, "--db", str(demo_db))
    assert len(orders) == 300
    first = orders[0]
    assert set(first) >= {"order_number", "status", "channel", "ship_to", "lines", "total"}
    assert isinstance(first["total"]["amount"], str) and isinstance(first["total"]["minor"], int)
    assert len({o["channel"] for o in orders}) >= 5
    assert len({o["ship_to"]["country_code"] for o in orders}) >= 12
    assert orders == sorted(orders, key=lambda o: o["ordered_at"], reverse=True)


def test_orders_json_filters_by_status_and_search(demo_db, capsys):
    held = _orders(capsys, "--db", str(demo_db), "--status", "on_hold")
    assert held and {o["status"] for o in held} == {"on_hold"}
    target = next(o for o in _orders(capsys, "--db", str(demo_db), "--country", "CN"))
    name = target["ship_to"]["typed"]["name"]
    found = _orders(capsys, "--db", str(demo_db), "--search", name)
    assert target["order_number"] in {o["order_number"] for o in found}
    assert all(name in json.dumps(o, ensure_ascii=False) for o in found)
    sku = target["lines"][0]["sku"]
    by_sku = _orders(capsys, "--db", str(demo_db), "--search", sku)
    assert by_sku and all(any(line["sku"] == sku for line in o["lines"]) for o in by_sku)


def test_demo_data_again_today_changes_nothing(demo_db, capsys):
    assert main(["demo-data", "--db", str(demo_db), "--orders", "300", "--no-returns"]) == 0
    assert len(_orders(capsys, "--db", str(demo_db))) == 300


def test_missing_store_is_a_clear_error(tmp_path, capsys):
    assert main(["orders", "--db", str(tmp_path / "nope.sqlite"), "--json"]) == 2
    err = capsys.readouterr().err
    assert "There is no store" in err and "Check the path" in err
    assert not (tmp_path / "nope.sqlite").exists()


def test_wrong_file_is_a_clear_error(tmp_path, capsys):
    wrong = tmp_path / "orders.xlsx"
    wrong.write_bytes(b"PK\x03\x04 not a database")
    assert main(["orders", "--db", str(wrong)]) == 2
    assert "not a fulfill store" in capsys.readouterr().err
    assert wrong.read_bytes() == b"PK\x03\x04 not a database"


def test_orders_table_output(demo_db, capsys):
    assert main(["orders", "--db", str(demo_db), "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "3 order(s)" and len(out) == 4
