"""Render sample documents for a Chinese and a Japanese address to docs/screenshots/, and
the papers of a return from Japan (RMA slip, pro forma invoice, CN 23).

    python tools/document_samples.py

Uses the demo data (no store), renders with the real document code and rasterises with
poppler's pdftoppm, the way a reviewer would look at them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fulfill.documents.customs_forms import cn23_pdf  # noqa: E402
from fulfill.documents.invoice import invoice_pdf  # noqa: E402
from fulfill.documents.label import label_pdf  # noqa: E402
from fulfill.documents.packing import packing_slip_pdf  # noqa: E402
from fulfill.documents.rma_slip import ReturnSlip, rma_slip_pdf  # noqa: E402
from fulfill.domain import (  # noqa: E402
    PostagePaidBy, ReturnKind, ReturnReason, ReturnStatus, Rma, RmaLine, Shipment,
    ShipmentStatus,
)
from fulfill.services.demo_data import (  # noqa: E402
    demo_accounts, demo_orders, demo_products, demo_seller,
)
from fulfill.services.parcels import build_return_parcel  # noqa: E402
from tests.conftest import FIXED_NOW  # noqa: E402
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


def return_samples(country: str = "JP") -> tuple[bytes, bytes, bytes]:
    """(RMA slip, pro forma invoice, CN 23) of the first demo order to `country` coming back
    whole, as services.return_papers makes them from a store."""
    accounts = demo_accounts()
    for number, account in enumerate(accounts, start=1):
        account.id = number
    products = {p.sku: p for p in demo_products()}
    orders = list(demo_orders(accounts, list(products.values()), 300, now=FIXED_NOW))
    for number, order in enumerate(orders, start=1):
        order.id = number
    order = next(o for o in orders if o.ship_to.country_code == country
                 and all(products.get(line.sku) and products[line.sku].hs_code
                         for line in o.lines))
    seller = demo_seller()
    rma = Rma(order_id=order.id, kind=ReturnKind.RETURN, reason=ReturnReason.WRONG_SIZE,
              status=ReturnStatus.APPROVED, currency=order.currency,
              lines=[RmaLine(line.sku, line.quantity, line.title, line.unit_price)
                     for line in order.lines],
              postage_paid_by=PostagePaidBy.BUYER, opened_at=FIXED_NOW, id=42)
    channel = next(a.display_name for a in accounts if a.id == order.account_id)
    slip = rma_slip_pdf([ReturnSlip(rma, order.order_number, order.ordered_at.date(),
                                    order.ship_to, seller, True)])
    shipped = Shipment(order.id, "Korea Post", "EMS", "EE123456785KR", ShipmentStatus.DELIVERED,
                       shipped_at=datetime.combine(order.ordered_at.date(), datetime.min.time(),
                                                   UTC))
    parcel = build_return_parcel(order, rma, products, seller, made_on=date(2026, 11, 21),
                                 channel=channel, shipments=[shipped])
    return slip, invoice_pdf([parcel]), cn23_pdf([parcel])


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
        made.append(rasterise(invoice_pdf([parcel]), f"invoice-{country.lower()}.png", 100))
    made.append(rasterise(packing_slip_pdf([by_country["JP"]]), "packing-slip.png", 80))
    slip, invoice, cn23 = return_samples("JP")
    made.append(rasterise(slip, "rma-slip.png", 80))
    made.append(rasterise(invoice, "return-invoice.png", 80))
    made.append(rasterise(cn23, "return-cn23.png", 80))
    for path in made:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
