"""Pack mode's rules on a real demo store: opening by any code, verified scans, stops before
printing, locks between windows, resuming after a crash, shipping whole and in parcels."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from fulfill.domain import Money, OrderLine, OrderStatus, TrackingNumberError
from fulfill.domain.tracking import order_scan_code
from fulfill.errors import FulfillError
from fulfill.services import demo, pack_actions, pack_reports, packing, papers
from fulfill.services.demo_data import demo_tracking_number
from fulfill.storage import Store
from fulfill.storage.outbox import OutboxRepository
from tests.conftest import FIXED_NOW
from tests.documents import pdf_tools

STATION = "Bench 1"


@pytest.fixture
def shop(tmp_path):
    with Store.open(tmp_path / "demo.sqlite") as store:
        demo.seed(store, 300, now=FIXED_NOW)
        yield store


@pytest.fixture
def holder():
    return packing.new_holder()


def waiting(store):
    return papers.order_ids_for(store, status="awaiting_shipment")


def multi_piece_order(store):
    """An awaiting order with at least two pieces."""
    for order_id in waiting(store):
        if sum(l.quantity for l in store.orders.get(order_id).lines) >= 2:
            return order_id
    raise AssertionError("the demo store has no multi-piece order")


def open_(store, order_id, holder, **kwargs):
    return packing.open_order(store, order_scan_code(order_id), station=STATION, holder=holder,
                              **kwargs)


def pack_all(store, session):
    for line in session.lines:
        for _ in range(line.quantity - line.packed):
            assert pack_actions.scan(store, session, line.sku).accepted


def test_an_order_opens_by_slip_code_order_number_platform_id_or_label(shop, holder):
    order_id = waiting(shop)[0]
    order = shop.orders.get(order_id)
    tracking = shop.orders.shipments(order_id)[-1].tracking_number
    for code in (order_scan_code(order_id), order.order_number, order.platform_order_id,
                 tracking, f"  {order_scan_code(order_id).lower()} "):
        assert packing.find_order(shop, code) == order_id
    with pytest.raises(packing.PackStop) as stop:
        packing.find_order(shop, "NO-SUCH-THING")
    assert stop.value.kind == "not_found" and not stop.value.loud


def test_scans_count_up_and_wrong_extra_and_unknown_codes_are_refused_and_stored(shop, holder):
    order_id = multi_piece_order(shop)
    session = open_(shop, order_id, holder)
    line = session.lines[0]
    barcode = shop.products.get(line.sku).barcode
    assert pack_actions.scan(shop, session, barcode).accepted  # by the product's barcode
    assert line.packed == 1
    other = next(p for p in shop.products.all() if p.sku not in {l.sku for l in session.lines})
    wrong = pack_actions.scan(shop, session, other.barcode)
    assert wrong.kind == "wrong_item" and other.sku in wrong.message and line.packed == 1
    assert pack_actions.scan(shop, session, "??-nothing").kind == "unknown"
    pack_all(shop, session)
    extra = pack_actions.scan(shop, session, line.sku.lower())
    assert extra.kind == "extra" and "Take it out" in extra.message
    assert session.complete
    outcomes = [r[0] for r in shop.db.execute(
        "SELECT outcome FROM pack_scans WHERE session_id = ? ORDER BY id", [session.id])]
    assert outcomes.count("wrong_item") == outcomes.count("unknown") == outcomes.count("extra") == 1
    assert outcomes.count("item") == session.pieces[1]


def test_undo_takes_the_last_piece_back_out(shop, holder):
    session = open_(shop, multi_piece_order(shop), holder)
    sku = session.lines[0].sku
    pack_actions.scan(shop, session, sku)
    assert pack_actions.undo_last(shop, session) == sku
    assert session.lines[0].packed == 0
    assert packing.load_session(shop, session.id).lines[0].packed == 0
    assert pack_actions.undo_last(shop, session) is None


@pytest.mark.parametrize("status, kind", [
    (OrderStatus.CANCELLED, "cancelled"), (OrderStatus.REFUNDED, "refunded"),
    (OrderStatus.ON_HOLD, "on_hold"), (OrderStatus.SHIPPED, "shipped"),
])
def test_a_stopped_order_does_not_open(shop, holder, status, kind):
    order_id = waiting(shop)[0]
    shop.orders.set_status(order_id, status, actor="platform")
    with pytest.raises(packing.PackStop) as stop:
        open_(shop, order_id, holder)
    assert stop.value.kind == kind and stop.value.loud and "STOP" in stop.value.message
    assert shop.packing.open_session_for_order(order_id) is None


def test_a_cancellation_while_packing_stops_the_papers(shop, holder):
    order_id = waiting(shop)[0]
    session = open_(shop, order_id, holder)
    pack_all(shop, session)
    shop.orders.set_status(order_id, OrderStatus.CANCELLED, actor="sync")
    with pytest.raises(packing.PackStop, match="CANCELLED"):
        pack_actions.papers_for(shop, session)


def _change_address(store, order_id):
    order = store.orders.get(order_id)
    typed = replace(order.ship_to.typed, line1=order.ship_to.typed.line1 + " (new flat 12)")
    order.ship_to = replace(order.ship_to, typed=typed)
    order.id = None
    store.orders.save([order])


def test_an_order_changed_after_printing_stops_with_what_changed_and_can_be_reprinted(shop, holder):
    order_id = waiting(shop)[0]
    session = open_(shop, order_id, holder)
    pack_all(shop, session)
    jobs = pack_actions.papers_for(shop, session)
    pack_actions.record_printed(shop, session, [j.kind for j in jobs])
    pack_actions.set_aside(shop, session)
    _change_address(shop, order_id)
    with pytest.raises(packing.PackStop) as stop:
        open_(shop, order_id, holder)
    assert stop.value.kind == "changed" and stop.value.can_override
    assert any("Delivery address" in d and "new flat 12" in d for d in stop.value.details)
    again = open_(shop, order_id, holder, overrides=frozenset({"changed"}))
    pack_all(shop, again)
    (label, *_rest) = pack_actions.papers_for(shop, again)
    assert "new flat 12" in pdf_tools.text(label.pdf)
    assert any(e.action == "pack override" for e in shop.orders.history(order_id))


def test_missing_customs_data_goes_to_the_fix_up_list_until_fixed(shop, holder):
    order_id = waiting(shop)[0]
    sku = shop.orders.get(order_id).lines[0].sku
    product = shop.products.get(sku)
    shop.products.save([replace(product, hs_code="")])
    with pytest.raises(packing.PackStop) as stop:
        open_(shop, order_id, holder)
    assert stop.value.kind == "fixup" and any("HS code" in d for d in stop.value.details)
    (fix,) = pack_reports.fix_ups(shop)
    assert fix.order_id == order_id and fix.gaps
    shop.products.save([product])
    assert pack_reports.fix_ups(shop)[0].gaps == []
    assert open_(shop, order_id, holder).state == "packing"
    assert pack_reports.fix_ups(shop) == []


def test_a_second_window_cannot_open_an_order_in_hand_until_the_first_is_gone(shop, holder):
    order_id = waiting(shop)[0]
    first = open_(shop, order_id, holder)
    other = packing.new_holder()
    with pytest.raises(packing.PackStop) as stop:
        open_(shop, order_id, other)
    assert stop.value.kind == "locked" and STATION in stop.value.message
    # The first window stops beating (it crashed): after the timeout the order is free, with
    # its scans.
    pack_actions.scan(shop, first, first.lines[0].sku)
    stale = (datetime.now(UTC) - timedelta(seconds=packing.LOCK_STALE_S + 5)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    shop.db.execute("UPDATE pack_sessions SET heartbeat_at = ?", [stale])
    taken = open_(shop, order_id, other)
    assert taken.id == first.id and taken.lines[0].packed == 1


def test_a_holder_whose_process_is_gone_is_not_alive(shop, holder):
    session = open_(shop, waiting(shop)[0], holder)
    row = shop.packing.session(session.id)
    import socket
    assert packing.holder_alive(row)
    assert not packing.holder_alive(replace(row, holder=f"{socket.gethostname()}|999999999|x"))


def test_a_station_resumes_its_session_after_a_crash(tmp_path):
    path = tmp_path / "store.sqlite"
    with Store.open(path) as store:
        demo.seed(store, 300, now=FIXED_NOW)
        order_id = multi_piece_order(store)
        session = open_(store, order_id, "gone-host|1|dead")  # a window on another machine
        pack_actions.scan(store, session, session.lines[0].sku)
        store.db.execute("UPDATE pack_sessions SET heartbeat_at = '2000-01-01T00:00:00Z'")
    with Store.open(path) as store:
        resumed = packing.resume(store, station=STATION, holder=packing.new_holder())
        assert resumed is not None and resumed.order_id == order_id
        assert resumed.lines[0].packed == 1
        assert packing.resume(store, station="Bench 2", holder=packing.new_holder()) is None


def test_ship_takes_the_printed_number_or_a_matching_scan_and_queues_the_write_back(shop, holder):
    order_id = waiting(shop)[0]
    session = open_(shop, order_id, holder)
    pack_all(shop, session)
    jobs = pack_actions.papers_for(shop, session)
    assert [j.kind for j in jobs] in (["label", "cn22", "invoice"], ["label", "cn23", "invoice"])
    pack_actions.record_printed(shop, session, [j.kind for j in jobs])
    with pytest.raises(packing.PackStop) as wrong:
        pack_actions.ship(shop, session, demo_tracking_number(987654, "LK"))
    assert wrong.value.kind == "wrong_label"
    shipped = pack_actions.ship(shop, session, session.tracking_number.lower())
    assert shipped.order_complete and shipped.outbox_id is not None
    assert shop.orders.get(order_id).status is OrderStatus.SHIPPED
    (shipment,) = shop.orders.shipments(order_id)  # the draft became the shipment
    assert shipment.tracking_number == session.tracking_number and shipment.shipped_at
    (item,) = OutboxRepository(shop.db).for_order(order_id)
    assert item.payload["tracking_number"] == session.tracking_number and not item.payload["lines"]
    packed = [e for e in shop.orders.history(order_id) if e.action == "packed"]
    assert len(packed) == 1 and packed[0].actor == STATION and packed[0].new_value == "parcel 1"


def test_a_parcel_without_a_number_takes_a_scanned_s10_and_refuses_a_bad_one(shop, holder):
    order_id = waiting(shop)[0]
    shop.db.execute("DELETE FROM shipments WHERE order_id = ?", [order_id])
    session = open_(shop, order_id, holder)
    pack_all(shop, session)
    with pytest.raises(papers.PapersBlocked):
        pack_actions.papers_for(shop, session)
    with pytest.raises(TrackingNumberError):
        pack_actions.set_tracking_number(shop, session, "EE123456788KR")
    number = demo_tracking_number(123, "EE")
    pack_actions.set_tracking_number(shop, session, number)
    label = pack_actions.papers_for(shop, session)[0]
    assert number in pdf_tools.barcodes(label.pdf, dpi=203)
    assert pack_actions.ship(shop, session).tracking_number == number


def test_an_order_in_two_parcels_ships_in_two_with_the_lines_of_each(shop, holder):
    order_id = multi_piece_order(shop)
    order = shop.orders.get(order_id)
    first = open_(shop, order_id, holder)
    sku = first.lines[0].sku
    pack_actions.scan(shop, first, sku)
    jobs = pack_actions.papers_for(shop, first)  # a partial parcel's papers hold its piece
    whole = papers.render(shop, [order_id], "invoice")
    assert pdf_tools.text(jobs[-1].pdf) != pdf_tools.text(whole.pdf)
    parcel_lines = papers.lines_holding(order.lines, first.packed())
    assert [(l.sku, l.quantity) for l in parcel_lines] == [(sku, 1)]
    shipped = pack_actions.ship(shop, first)
    assert not shipped.order_complete
    assert shop.orders.get(order_id).status is OrderStatus.AWAITING_SHIPMENT
    (item,) = OutboxRepository(shop.db).for_order(order_id)
    assert sum(l["quantity"] for l in item.payload["lines"]) == 1

    second = open_(shop, order_id, holder)
    assert second.parcel_no == 2 and second.tracking_number == ""
    assert sum(l.quantity for l in second.lines) == sum(l.quantity for l in order.lines) - 1
    pack_all(shop, second)
    pack_actions.set_tracking_number(shop, second, demo_tracking_number(4242, "LK"))
    assert pack_actions.ship(shop, second).order_complete
    assert shop.orders.get(order_id).status is OrderStatus.SHIPPED
    assert len(OutboxRepository(shop.db).for_order(order_id)) == 2
    with pytest.raises(packing.PackStop):
        open_(shop, order_id, holder)


def test_confirm_all_only_where_the_owner_allows_it(shop, holder):
    session = open_(shop, multi_piece_order(shop), holder)
    with pytest.raises(FulfillError, match="must be scanned"):
        pack_actions.confirm_all(shop, session, require_scan=True)
    pack_actions.confirm_all(shop, session, require_scan=False)
    assert session.complete and packing.load_session(shop, session.id).complete


def test_batch_progress_and_station_figures(shop, holder):
    ids = waiting(shop)[:4]
    batch = pack_reports.create_batch(shop, ids, "Morning")
    progress = pack_reports.batch_progress(shop, batch)
    assert [o.state for o in progress.orders] == ["waiting"] * 4
    session = open_(shop, ids[0], holder)
    pack_actions.scan(shop, session, "unknown-code")
    pack_all(shop, session)
    pack_actions.ship(shop, session)
    shop.orders.set_status(ids[1], OrderStatus.CANCELLED, actor="sync")
    open_(shop, ids[2], holder)
    progress = pack_reports.batch_progress(shop, batch)
    assert [o.state for o in progress.orders] == ["shipped", "stopped", "packing", "waiting"]
    assert progress.summary() == "1 of 4 shipped, 1 packing, 1 stopped"
    assert "pick" in pdf_tools.text(pack_reports.pick_list(shop, batch).pdf).lower()
    figures = pack_reports.station_figures(shop, station=STATION)
    assert figures.packed == 1 and figures.mis_scans == 1 and figures.per_hour > 0
    assert "1 packed" in figures.describe()


def test_multi_line_sku_listed_twice_packs_as_one_line(shop, holder):
    order_id = waiting(shop)[0]
    order = shop.orders.get(order_id)
    line = order.lines[0]
    order.lines = [line, OrderLine(line.sku, line.title, 2, Money(line.unit_price.minor,
                                                                  order.currency))]
    order.id = None
    shop.orders.save([order])
    session = open_(shop, order_id, holder)
    (first, *_) = session.lines
    assert first.sku == line.sku and first.quantity == line.quantity + 2


def test_the_frozen_v4_store_keeps_its_pack_session_scan_and_batch(tmp_path):
    import shutil
    from pathlib import Path

    path = tmp_path / "v4.sqlite"
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "store_schema_v4.sqlite", path)
    with Store.open(path) as store:
        (row,) = store.packing.open_sessions_at("Bench 1")
        assert row.holder == "host|1|frozen" and row.state == "packing"
        assert store.packing.packed_counts(row.id) == {}
        assert [b[1] for b in store.packing.batches()] == ["Frozen batch"]
