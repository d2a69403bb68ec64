"""Files written whole or not at all, and spreadsheet text read in whatever encoding Excel
saved it."""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path | str, data: bytes | str) -> None:
    """A temporary file beside `path`, synced, then renamed over it: a crash or a full disk
    leaves the old file or the new one, never half of either. Text is written as UTF-8."""
    target = Path(path).expanduser()
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes it private; ours are ordinary files
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def decode_spreadsheet_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a CSV as Excel and marketplaces save it: UTF-8 with or without
    BOM, UTF-16 ("Unicode text"), or CP949 (Korean Excel); None when it is none of them."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8", "cp949"]  # strict UTF-8 first: CP949 would misread it
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None
