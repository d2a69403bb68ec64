"""Render sample documents for a Chinese and a Japanese address to docs/screenshots/.

    python tools/document_samples.py

Uses the demo data (no store), renders with the real document code and rasterises with
poppler's pdftoppm, the way a reviewer would look at them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fulfill.documents.label import label_pdf  # noqa: E402
from fulfill.documents.packing import packing_slip_pdf  # noqa: E402
from tests.documents.conftest import make_demo_parcels  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def rasterise(pdf: bytes, name: str, dpi: int) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        target = OUT / name
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1",
                        str(source), str(target.with_suffix(""))], check=True)
    return target


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    by_country = {}
    for parcel in make_demo_parcels():
        by_country.setdefault(parcel.recipient.country_code, parcel)
    made = []
    for country in ("CN", "JP"):
        parcel = by_country[country]
        made.append(rasterise(label_pdf([parcel], customs_forms=["CN22"]),
                              f"label-{country.lower()}.png", 150))
        try:
            from fulfill.documents.invoice import invoice_pdf
        except ImportError:
            continue
        made.append(rasterise(invoice_pdf([parcel]), f"invoice-{country.lower()}.png", 100))
    made.append(rasterise(packing_slip_pdf([by_country["JP"]]), "packing-slip.png", 80))
    for path in made:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
