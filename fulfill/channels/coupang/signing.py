"""Coupang's HMAC request signature ("CEA"), exactly as the vendor's guide builds it.

    signed-date = the request time in GMT as yymmddTHHMMSSZ   (e.g. 261121T041050Z)
    message     = signed-date + METHOD + path + query          (query as sent, without "?")
    signature   = hex HMAC-SHA256(secret key, message)
    Authorization: CEA algorithm=HmacSHA256, access-key=…, signed-date=…, signature=…

The body is not signed. Coupang refuses a signed-date far from its own clock ("Specified
signature is expired"), so a computer whose clock is wrong cannot sign at all.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

ALGORITHM = "HmacSHA256"


def signed_date(moment: datetime) -> str:
    """The request time as Coupang wants it signed: GMT, two-digit year, no separators."""
    if moment.tzinfo is None:
        raise ValueError("signed_date needs a timezone-aware moment")
    return moment.astimezone(UTC).strftime("%y%m%dT%H%M%SZ")


def signature(secret_key: str, date: str, method: str, path: str, query: str = "") -> str:
    message = f"{date}{method.upper()}{path}{query}"
    return hmac.new(secret_key.encode("utf-8"), message.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def authorization(access_key: str, secret_key: str, method: str, path: str, query: str,
                  moment: datetime) -> str:
    """The Authorization header for one request (`query` exactly as it goes on the URL)."""
    date = signed_date(moment)
    return (f"CEA algorithm={ALGORITHM}, access-key={access_key}, signed-date={date}, "
            f"signature={signature(secret_key, date, method, path, query)}")
