from fulfill.services import demo
from fulfill.services.progress import CancelToken, Cancelled
from fulfill.storage import Store
from tests.conftest import FIXED_NOW


def test_demo_store_is_created_and_seeded_once(tmp_path):
    path = tmp_path / "demo.sqlite"
    with demo.open_demo_store(path) as store:
        rmas = store.returns.with_status()
        replacements = [r.replacement_order_id for r in rmas if r.replacement_order_id]
        # Returns at every stage; an exchange's replacement is an order of its own.
        assert len({r.status for r in rmas}) >= 8 and replacements
        assert store.orders.count() == demo.DEMO_ORDERS + len(replacements)
        assert all(store.orders.shipments(i) for i in replacements)
        assert store.products.count() >= 40
    with demo.open_demo_store(path) as store:
        assert store.orders.count() == demo.DEMO_ORDERS + len(replacements)
        assert len(store.returns.with_status()) == len(rmas)


def test_seeding_reports_progress_and_can_be_cancelled_keeping_whole_batches(tmp_path):
    seen = []
    cancel = CancelToken()

    def progress(fraction, message):
        seen.append(fraction)
        if fraction >= 0.5:
            cancel.cancel()

    with Store.open(tmp_path / "s.sqlite") as store:
        try:
            demo.seed(store, 4 * demo.BATCH, now=FIXED_NOW, progress=progress, cancel=cancel)
        except Cancelled:
            pass
        assert store.orders.count() == 2 * demo.BATCH
        lines = store.db.execute("SELECT count(DISTINCT order_id) FROM order_lines").fetchone()[0]
        assert lines == 2 * demo.BATCH
    assert seen[0] == 0.0 and seen[-1] == 0.5
