"""`fulfill returns` on a demo store file, as a script or a support person would use it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from fulfill.cli import main
from fulfill.domain import Money
from fulfill.domain.returns import RefundMethod, ReturnKind, ReturnReason
from fulfill.services import returns
from fulfill.storage import Store
from tests.unit.cli_run import run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A demo store with three RMAs: one overdue, one received, one refunded and closed."""
    path = tmp_path_factory.mktemp("cli-returns") / "demo.sqlite"
    assert main(["demo-data", "--db", str(path), "--orders", "300", "--no-returns"]) == 0
    now = datetime.now(UTC)  # the command measures days open against the clock
    with Store.open(path) as store:
        ids = [r[0] for r in store.db.execute(
            "SELECT id FROM orders WHERE status = 'delivered' ORDER BY id LIMIT 3")]
        skus = [store.orders.get(i).lines[0].sku for i in ids]
        late = returns.open_rma(store, ids[0], kind=ReturnKind.RETURN,
                                reason=ReturnReason.DAMAGED, lines={skus[0]: 1},
                                now=now - timedelta(days=30))
        returns.approve(store, late.id, now=now - timedelta(days=20))
        inside = returns.open_rma(store, ids[1], kind=ReturnKind.EXCHANGE,
                                  reason=ReturnReason.WRONG_SIZE, lines={skus[1]: 1},
                                  now=now - timedelta(days=3))
        returns.approve(store, inside.id, now=now - timedelta(days=3))
        returns.receive(store, inside.id, now=now - timedelta(days=1))
        done = returns.open_rma(store, ids[2], kind=ReturnKind.REFUND_ONLY,
                                reason=ReturnReason.NEVER_ARRIVED, lines={})
        returns.approve(store, done.id)
        currency = store.orders.get(ids[2]).currency
        returns.refund(store, done.id, Money(100, currency),
                       method=RefundMethod.PLATFORM)
        returns.close(store, done.id)
    return path


def test_json_lists_every_rma_with_days_open_and_overdue(db, capsys):
    code, out, err = run_cli(capsys, "returns", "--db", db, "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["code"] for r in rows] == ["RM000001", "RM000002", "RM000003"]
    late, inside, done = rows
    assert (late["status"], late["days_open"], late["overdue"]) == ("approved", 30, True)
    assert (inside["status"], inside["overdue"], inside["days_open"]) == ("received", False, 3)
    assert inside["next_steps"] == ["inspect"] and inside["kind"] == "exchange"
    assert done["status"] == "closed" and done["refunded"]["minor"] == 100
    assert isinstance(done["refunded"]["amount"], str) and done["refunds"][0]["method"] == "platform"
    assert set(late) >= {"order_number", "reason", "postage_paid_by", "lines", "opened_at"}
    assert late["lines"][0]["quantity"] == 1 and late["order_number"]


def test_status_filter_can_be_repeated(db, capsys):
    code, out, _ = run_cli(capsys, "returns", "--db", db, "--status", "received", "--status",
                        "closed", "--json")
    assert code == 0
    assert [r["status"] for r in json.loads(out)] == ["received", "closed"]


def test_the_table_flags_overdue_returns(db, capsys):
    code, out, _ = run_cli(capsys, "returns", "--db", db)
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == "3 RMA(s)"
    assert lines[0].startswith("RM000001") and lines[0].endswith("OVERDUE")
    assert "30 d" in lines[0] and "OVERDUE" not in lines[1] + lines[2]
    assert "1 item(s)" in lines[0]


def test_an_empty_selection_and_a_missing_store(db, tmp_path, capsys):
    code, out, _ = run_cli(capsys, "returns", "--db", db, "--status", "inspected")
    assert code == 0 and out.strip() == "0 RMA(s)"
    code, _, err = run_cli(capsys, "returns", "--db", tmp_path / "none.sqlite", "--json")
    assert code == 2 and err.startswith("fulfill: ")
    with pytest.raises(SystemExit):
        main(["returns", "--db", str(db), "--status", "lost"])
