"""Naver Commerce API's client_secret_sign: the application secret is a bcrypt salt.

    password = f"{client_id}_{timestamp_ms}"
    client_secret_sign = base64(bcrypt.hashpw(password, client_secret))

(apicenter.commerce.naver.com/docs/auth.) The secret Naver issues looks like
"$2a$04$" + 22 characters. The 22nd character of a bcrypt salt carries only two bits; Java's
jBCrypt, bcryptjs and PHP's crypt (the libraries of Naver's own examples) ignore the other
four, the Python bcrypt package refuses a salt that sets them. Such a secret is therefore
read the way those libraries read it, so the signature matches what Naver computes.
"""

from __future__ import annotations

import base64
import re

import bcrypt

from fulfill.errors import ChannelAuthError
from fulfill.translation import _

# bcrypt's own base-64 alphabet, in value order.
_BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_SALT = re.compile(r"^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{22}$")


def bcrypt_salt(client_secret: str) -> bytes:
    """The secret as the bcrypt salt the reference libraries use (last character's unused
    bits cleared). Raises ChannelAuthError for anything that is not a bcrypt salt."""
    secret = client_secret.strip()
    if not _SALT.match(secret):
        raise ChannelAuthError(
            _("The Naver application secret is not in the form Naver issues (it starts with "
              "$2a$ and is 29 characters long)."),
            _("Copy the application secret again from the Commerce API Center "
              "(apicenter.commerce.naver.com → Application), then reconnect the account."))
    last = _BCRYPT_ALPHABET[_BCRYPT_ALPHABET.index(secret[-1]) & 0b110000]
    return (secret[:-1] + last).encode("ascii")


def client_secret_sign(client_id: str, client_secret: str, timestamp_ms: int | str) -> str:
    """The signature the token request carries (standard base64 of the bcrypt hash)."""
    password = f"{client_id}_{timestamp_ms}".encode()
    hashed = bcrypt.hashpw(password, bcrypt_salt(client_secret))
    return base64.standard_b64encode(hashed).decode("ascii")
