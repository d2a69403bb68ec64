from fulfill.services import demo
from fulfill.services.progress import CancelToken, Cancelled
from fulfill.storage import Store
from tests.conftest import FIXED_NOW


def test_demo_store_is_created_and_seeded_once(tmp_path):
    path = tmp_path / "demo.sqlite"
    with demo.open_demo_store(path) as store:
        assert store.orders.count() == demo.DEMO_ORDERS
        assert store.products.count() >= 40
    with demo.open_demo_store(path) as store:
        assert store.orders.count() == demo.DEMO_ORDERS


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
