"""Sign-in through the browser with a loopback redirect, against the Etsy sandbox."""

from __future__ import annotations

import threading

import pytest
import requests

from fulfill.channels.etsy.client import authorize_url, exchange_code
from fulfill.channels.oauth import LoopbackRedirect, new_state, pkce_challenge, pkce_pair
from fulfill.errors import ChannelAuthError
from fulfill.sandboxes import etsy


def test_pkce_matches_rfc_7636_vector():
    assert pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == \
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    verifier, challenge = pkce_pair()
    assert len(verifier) >= 43 and pkce_challenge(verifier) == challenge


def _browser(url: str) -> threading.Thread:
    """A stand-in for the system browser: follows the platform's redirect to our receiver."""
    thread = threading.Thread(target=lambda: requests.get(url, timeout=5))
    thread.start()
    return thread


def test_browser_sign_in_gets_tokens_that_sync():
    with etsy.EtsySandbox(5) as sandbox, LoopbackRedirect() as receiver:
        state = new_state()
        verifier, challenge = pkce_pair()
        url = authorize_url(etsy.KEYSTRING, receiver.redirect_uri, state, challenge,
                            base=f"{sandbox.url}/oauth/connect")
        browser = _browser(url)
        code = receiver.wait_for_code(state, timeout=5)
        browser.join()
        tokens = exchange_code(sandbox.url, etsy.KEYSTRING, receiver.redirect_uri, code, verifier)
        assert tokens["access_token"] in sandbox.access_tokens
        with pytest.raises(ChannelAuthError, match="did not accept"):
            exchange_code(sandbox.url, etsy.KEYSTRING, receiver.redirect_uri, code, verifier)


def test_wrong_verifier_is_refused():
    with etsy.EtsySandbox(1) as sandbox, LoopbackRedirect() as receiver:
        state = new_state()
        _, challenge = pkce_pair()
        _browser(authorize_url(etsy.KEYSTRING, receiver.redirect_uri, state, challenge,
                               base=f"{sandbox.url}/oauth/connect")).join()
        code = receiver.wait_for_code(state, timeout=5)
        with pytest.raises(ChannelAuthError):
            exchange_code(sandbox.url, etsy.KEYSTRING, receiver.redirect_uri, code, "x" * 50)


def test_forged_state_and_denied_access_and_timeout():
    with LoopbackRedirect() as receiver:
        requests.get(f"{receiver.redirect_uri}?code=abc&state=forged", timeout=5)
        with pytest.raises(ChannelAuthError, match="did not start"):
            receiver.wait_for_code("expected", timeout=2)
    with LoopbackRedirect() as receiver:
        page = requests.get(f"{receiver.redirect_uri}?error=access_denied&state=s", timeout=5)
        assert "Not connected" in page.text
        with pytest.raises(ChannelAuthError, match="did not grant access"):
            receiver.wait_for_code("s", timeout=2)
    with LoopbackRedirect() as receiver, pytest.raises(ChannelAuthError, match="in time"):
        receiver.wait_for_code("s", timeout=0.1)
