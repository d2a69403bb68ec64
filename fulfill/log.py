"""The app's log: a rotating file in the logs folder that a seller can send to support, with
secrets masked before anything is written.

Platform calls are logged with their URLs, and some platforms put credentials in the query
(Shopee's access_token and sign, Qoo10's key) or a client may echo a header; the filter below
masks those and any long opaque token, so a log never carries what the keychain guards.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from fulfill import __version__, paths

LOG_NAME = "fulfill.log"
MAX_BYTES = 1_000_000
KEEP_FILES = 5
MASK = "•••"

# name=value (or name: value) pairs whose value is a secret: URLs, headers, JSON, forms.
_SECRET_NAMES = (r"access_token|refresh_token|client_secret|api_key|apikey|sign|signature|"
                 r"password|secret|token|authorization|x-access-token|x-amz-access-token|"
                 r"x-shopify-access-token|cert_key|certificationkey|code_verifier")
_PAIR = re.compile(rf"(?i)(\b(?:{_SECRET_NAMES})\b[\"']?\s*[=:]\s*[\"']?)(?:Bearer\s+|Basic\s+)?"
                   r"([^\s&\"',;}]+)")
# Names too common in plain words ("status code: 500") are masked only as URL parameters.
_PARAM = re.compile(r"(?i)([?&](?:code|key)=)([^\s&\"']+)")
# Long opaque strings (tokens, signatures) even when unnamed: 32+ letters, digits, -_.+/=
_OPAQUE = re.compile(r"\b(?=[A-Za-z0-9_\-.+/=]*\d)(?=[A-Za-z0-9_\-.+/=]*[A-Za-z])"
                     r"[A-Za-z0-9_\-.+/=]{32,}")


def redact(text: str) -> str:
    """`text` with every secret-looking value replaced by MASK."""
    text = _PAIR.sub(lambda m: m.group(1) + MASK, text)
    text = _PARAM.sub(lambda m: m.group(1) + MASK, text)
    return _OPAQUE.sub(MASK, text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def logs_dir() -> Path:
    folder = paths.data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to the console and to a rotating file (5 × 1 MB); returns the file's path."""
    path = logs_dir() / LOG_NAME
    root = logging.getLogger()
    if any(getattr(h, "_fulfill", False) for h in root.handlers):
        return path
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=KEEP_FILES, encoding="utf-8")
    console = logging.StreamHandler()
    for handler in (file_handler, console):
        handler.setFormatter(formatter)
        handler._fulfill = True  # type: ignore[attr-defined]  # set up once per process
        root.addHandler(handler)
    root.setLevel(level)
    return path


def support_bundle(target: Path) -> Path:
    """A zip of the logs (masked once more, for lines written before a rule existed) and a
    note of the version and system, for a seller to send to support."""
    folder = logs_dir()
    about = (f"fulfill {__version__}\nPython {sys.version.split()[0]}\n"
             f"{platform.platform()}\nmade {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("about.txt", about)
        for log in sorted(folder.glob(f"{LOG_NAME}*")):
            bundle.writestr(log.name, redact(log.read_text(encoding="utf-8", errors="replace")))
    partial.replace(target)
    return target
