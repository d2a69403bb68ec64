"""Join PDFs into one, so a printer gets one job for a parcel's papers (labels then CN22s on
the label printer; CN23s then invoices on the document printer).

pypdf does the joining: a well-kept library that reads any PDF, where merging by hand would
only be safe for the simplest files.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from pypdf import PdfWriter


class PdfJoinError(ValueError):
    pass


def join_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """One PDF with the pages of `pdfs` in order. A single PDF is returned as it is."""
    if not pdfs:
        raise PdfJoinError("nothing to join")
    if len(pdfs) == 1:
        return pdfs[0]
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(BytesIO(pdf))
    writer.add_metadata({"/Title": "Parcel papers", "/Author": "fulfill"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
