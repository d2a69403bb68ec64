"""The support log: rotating, and without the secrets the keychain guards."""

from __future__ import annotations

import logging
import zipfile

import pytest

from fulfill import log


@pytest.mark.parametrize(("line", "secret"), [
    ("GET /api/v2/order/get_order_list?partner_id=2001&access_token=abcd1234efgh&sign=9f8e7d6c"
     "&shop_id=7", "abcd1234efgh"),
    ("GET /api/v2/order/get_order_list?partner_id=2001&access_token=abcd1234efgh&sign=9f8e7d6c"
     "&shop_id=7", "9f8e7d6c"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJhbGci"),
    ('{"refresh_token": "Atzr|IwEBIabc", "client_secret": "s3cr3t"}', "Atzr|IwEBIabc"),
    ('{"refresh_token": "Atzr|IwEBIabc", "client_secret": "s3cr3t"}', "s3cr3t"),
    ("https://api.qoo10.jp/GMKT.INC.Front.QAPIService/ebayjapan.qapi?key=S3cr3tKey&v=1.0",
     "S3cr3tKey"),
    ("callback /oauth?code=XYZ123abc&state=s1", "XYZ123abc"),
    ("signed with 0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071", "0a1b2c3d4e5f6071"),
])
def test_secrets_are_masked(line, secret):
    masked = log.redact(line)
    assert secret not in masked and log.MASK in masked


def test_ordinary_words_stay_readable():
    line = ("Shopify answered status code: 429 for order #1042, tracking EE123456785KR, "
            "SKU SG-MASK-CICA10; retry 2 in 1.5 s")
    assert log.redact(line) == line


def test_the_log_file_rotates_is_masked_and_bundles_for_support(tmp_path, monkeypatch):
    monkeypatch.setenv("FULFILL_HOME", str(tmp_path))
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    for handler in before:  # an app started earlier in this process set up its own
        if getattr(handler, "_fulfill", False):
            root.removeHandler(handler)
    try:
        path = log.setup_logging()
        assert log.setup_logging() == path  # once per process
        logging.getLogger("fulfill.channels.http").info(
            "Shopee GET /shop?access_token=%s 500; retry 1", "tok-123456")
        for handler in root.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "retry 1" in text and "tok-123456" not in text
        rotating = [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        assert rotating[0].maxBytes == log.MAX_BYTES and rotating[0].backupCount == log.KEEP_FILES
        (tmp_path / "logs" / "fulfill.log.1").write_text("old line access_token=leaked1\n")
        bundle = log.support_bundle(tmp_path / "support.zip")
        with zipfile.ZipFile(bundle) as archive:
            names = archive.namelist()
            body = "".join(archive.read(n).decode() for n in names)
        assert set(names) == {"about.txt", "fulfill.log", "fulfill.log.1"}
        assert "leaked1" not in body and "fulfill " in body and "retry 1" in body
    finally:
        root.setLevel(level)
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        for handler in before:
            if handler not in root.handlers:
                root.addHandler(handler)
