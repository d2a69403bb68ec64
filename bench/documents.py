"""Documents benchmark: a 500-parcel batch of labels, and separately of invoices, from the
demo store into one PDF each.

Prints seconds and pages per second for our path (store -> parcels -> checked, laid-out
PDF) and, in the same run, for a plain reportlab loop that draws exactly the same text and
barcodes (recorded from our render) at the same places with no store, no checks and no
layout logic — our overhead as a ratio (target under 2x; 500 labels in under 2 s).

    python bench/documents.py [--parcels N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.graphics.barcode.code128 import Code128  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from fulfill.documents import fonts  # noqa: E402
from fulfill.services import demo, papers  # noqa: E402
from fulfill.storage import Store  # noqa: E402


class Recorder:
    """Records every piece of text and every barcode one of our renders draws, so the
    baseline can draw exactly the same ones with nothing else: no store, no checks, no
    layout, no boxes or rules."""

    def __init__(self) -> None:
        self.pages: list[list[tuple]] = [[]]

    def __enter__(self) -> Recorder:
        recorder = self
        self.saved = (Canvas.setFont, Canvas.drawString, Canvas.showPage, Code128.drawOn)

        def set_font(canvas, name, size, leading=None):
            recorder.pages[-1].append(("font", name, size))
            return recorder.saved[0](canvas, name, size, leading)

        def draw_string(canvas, x, y, text, *args, **kwargs):
            recorder.pages[-1].append(("text", x, y, text))
            return recorder.saved[1](canvas, x, y, text, *args, **kwargs)

        def show_page(canvas):
            recorder.pages.append([])
            return recorder.saved[2](canvas)

        def draw_on(code, canvas, x, y, *args, **kwargs):
            recorder.pages[-1].append(("barcode", code.value, code.barWidth, code.barHeight, x, y))
            return recorder.saved[3](code, canvas, x, y, *args, **kwargs)

        Canvas.setFont, Canvas.drawString, Canvas.showPage = set_font, draw_string, show_page
        Code128.drawOn = draw_on
        return self

    def __exit__(self, *exc: object) -> None:
        Canvas.setFont, Canvas.drawString, Canvas.showPage, Code128.drawOn = self.saved


def plain_replay(pages: list[list[tuple]], page_size: tuple[float, float]) -> bytes:
    """The baseline: a plain reportlab loop drawing the recorded text and barcodes."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=page_size, pageCompression=1)
    for operations in pages:
        for op in operations:
            if op[0] == "font":
                canvas.setFont(op[1], op[2])
            elif op[0] == "text":
                canvas.drawString(op[1], op[2], op[3])
            else:
                Code128(op[1], barWidth=op[2], barHeight=op[3], quiet=False,
                        humanReadable=False).drawOn(canvas, op[4], op[5])
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def best_of(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=500)
    args = parser.parse_args()
    fonts.register()  # once per process, in the app as here; not part of either figure
    folder = Path(tempfile.mkdtemp(prefix="fulfill-bench-docs-"))
    with Store.open(folder / "demo.sqlite") as store:
        # About one demo order in twenty is still waiting to ship, as in a real shop.
        demo.seed(store, orders=args.parcels * 25)
        ids = papers.order_ids_for(store, status="awaiting_shipment")
        printable, gaps = papers.load_parcels(store, ids)
        ids = [p.order_id for p in printable][: args.parcels]
        print(f"Documents benchmark: {len(ids)} parcels from the demo store "
              f"({len(gaps)} orders held back for missing customs data)")
        for kind, page_size in (("label", (288, 432)), ("invoice", (595.28, 841.89))):
            ours, job = best_of(3, lambda kind=kind: papers.render(store, ids, kind))
            with Recorder() as recorded:
                papers.render(store, ids, kind)
            pages = [ops for ops in recorded.pages if ops]
            baseline, _ = best_of(3, lambda: plain_replay(pages, page_size))
            print(f"{kind + 's':9} ours: {ours:5.2f} s  {job.pages / ours:6.0f} pages/s "
                  f"({job.pages} pages, {len(job.pdf) / 1e6:.1f} MB)   plain reportlab: "
                  f"{baseline:5.2f} s  -> overhead {ours / baseline:.2f}x (target < 2x)")
        sizes = [len(papers.render(store, [i], "label").pdf) for i in ids[:20]]
        print(f"one label alone: {statistics.median(sizes) / 1e3:.0f} kB (fonts subset and embedded)")


if __name__ == "__main__":
    main()
