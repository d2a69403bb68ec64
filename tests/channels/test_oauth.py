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


def test_service_signs_in_through_the_browser_and_keeps_the_typed_secrets():
    from fulfill.domain import Platform
    from fulfill.services.browser_sign_in import browser_sign_in

    with etsy.EtsySandbox(1) as sandbox:
        opened = []

        def browser(url):
            opened.append(url)
            _browser(url)

        typed = {"api_key": etsy.KEYSTRING, "shared_secret": etsy.SHARED_SECRET}
        secrets = browser_sign_in(Platform.ETSY, {"api_base": sandbox.url}, typed,
                                  open_browser=browser, timeout=5)
        assert opened[0].startswith(f"{sandbox.url}/oauth/connect?")
        assert secrets["shared_secret"] == etsy.SHARED_SECRET
        assert secrets["access_token"] in sandbox.access_tokens


def test_account_dialog_connect_button_fills_the_tokens(qtbot, monkeypatch):
    from fulfill.channels.etsy import client as etsy_client
    from fulfill.services import browser_sign_in as sign_in
    from fulfill.ui.account_dialog import AccountDialog

    with etsy.EtsySandbox(1) as sandbox:
        monkeypatch.setattr(etsy_client, "API_BASE", sandbox.url)
        monkeypatch.setattr(etsy_client, "AUTHORIZE_URL", f"{sandbox.url}/oauth/connect")
        monkeypatch.setattr(sign_in.webbrowser, "open", _browser)
        dialog = AccountDialog()
        qtbot.addWidget(dialog)
        dialog.platform.setCurrentIndex(dialog.platform.findData("etsy"))
        dialog.fields["api_key"].setText(etsy.KEYSTRING)
        dialog.sign_in_button.click()
        qtbot.waitUntil(lambda: dialog.fields["refresh_token"].text() != "" or bool(dialog.error.text()), timeout=5000)
        assert dialog.error.text() == ""
        assert dialog.fields["access_token"].text() in sandbox.access_tokens
        assert "Connected" in dialog.sign_in_button.text()
