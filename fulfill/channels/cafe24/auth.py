"""Cafe24 OAuth 2.0: authorization code in the system browser, tokens with HTTP Basic.

Verified [V: Cafe24 OAuth guide and intro]: authorize at
https://{mall_id}.cafe24api.com/api/v2/oauth/authorize (response_type=code, client_id, state,
redirect_uri, scope), the code lasts one minute, the token endpoint .../api/v2/oauth/token
takes grant_type=authorization_code|refresh_token with Authorization: Basic
base64(client_id:client_secret). The answer carries expires_at and refresh_token_expires_at
as KST times without offset ("2021-07-31T20:00:21.000"), access 2 h, refresh 2 weeks, and a
new refresh token each time [V3: several client implementations and a logged answer].

Cafe24 sends the browser only to a redirect URI registered on the app. fulfill listens on
http://127.0.0.1:8724/callback (setting `redirect_port` changes the port): the seller adds
exactly that address to the app's Redirect URI(s) in Cafe24 Developers. Whether Cafe24
accepts a plain-http loopback address for a published app is not verified [U]; tokens can
still be pasted into the account instead.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from fulfill.channels.cafe24.claims import kst_time
from fulfill.channels.http import ChannelHttp
from fulfill.channels.money_time import iso_z
from fulfill.channels.oauth import LoopbackRedirect, new_state
from fulfill.errors import ChannelAuthError, ChannelRejected, PayloadError
from fulfill.translation import N_, _

AUTHORIZE_PATH = "/api/v2/oauth/authorize"
TOKEN_PATH = "/api/v2/oauth/token"
# Orders read and write; shipping read lists the mall's carriers and their codes.
SCOPES = ("mall.read_order", "mall.write_order", "mall.read_shipping")
REDIRECT_PORT = 8724
# Advice after a refused sign-in, translated where it is raised.
RECONNECT = N_("Open Channels, edit the Cafe24 account and press “Connect with Cafe24 in the "
               "browser” again.")


def api_base(settings: dict[str, str]) -> str:
    """https://{mall_id}.cafe24api.com, or the sandbox's address."""
    if settings.get("api_base"):
        return settings["api_base"].rstrip("/")
    mall = (settings.get("mall_id") or "").strip().lower()
    if not mall:
        raise ChannelAuthError(_("The Cafe24 account has no mall ID."),
                               _("Type the mall ID: the start of your admin address "
                                 "(seoulglow for seoulglow.cafe24.com)."))
    return f"https://{mall}.cafe24api.com"


def redirect_uri(port: int) -> str:
    return f"http://127.0.0.1:{port}/callback"


def authorize_url(base: str, client_id: str, redirect: str, state: str,
                  scopes: tuple[str, ...] = SCOPES) -> str:
    query = {"response_type": "code", "client_id": client_id, "state": state,
             "redirect_uri": redirect, "scope": ",".join(scopes)}
    return f"{base}{AUTHORIZE_PATH}?{urlencode(query, quote_via=quote, safe=',')}"


def basic(client_id: str, client_secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()


def token_secrets(body: Any, now: datetime | None = None) -> dict[str, str]:
    """The secrets to keep from a token answer; times as ISO UTC."""
    if not isinstance(body, dict) or not body.get("access_token") or not body.get("refresh_token"):
        raise PayloadError(_("Cafe24's token answer carried no tokens."), _(RECONNECT))
    now = now or datetime.now(UTC)
    expires = kst_time(body.get("expires_at")) or now + timedelta(
        seconds=int(body.get("expires_in") or 7200))
    refresh_expires = kst_time(body.get("refresh_token_expires_at")) or now + timedelta(days=14)
    return {"access_token": str(body["access_token"]), "refresh_token": str(body["refresh_token"]),
            "expires_at": iso_z(expires), "refresh_expires_at": iso_z(refresh_expires)}


def request_tokens(http: ChannelHttp, base: str, client_id: str, client_secret: str,
                   form: dict[str, str]) -> dict[str, str]:
    """POST the token endpoint; a refusal (bad client, used or expired code/refresh token)
    is an auth error that says to connect again."""
    headers = {"Authorization": basic(client_id, client_secret),
               "Content-Type": "application/x-www-form-urlencoded"}
    try:
        reply = http.request("POST", f"{base}{TOKEN_PATH}", data=form, headers=headers)
    except ChannelAuthError:
        raise ChannelAuthError(_("Cafe24 refused the app's client ID or secret."),
                               _("Check them in Cafe24 Developers → Apps → your app, then "
                                 "connect the account again in Channels.")) from None
    except ChannelRejected as error:
        raise ChannelAuthError(_("Cafe24 no longer accepts this sign-in ({answer}).").format(
            answer=error.message), _(RECONNECT)) from None
    return token_secrets(reply.json())


def _receiver(port: int) -> LoopbackRedirect:
    """The loopback receiver on the port registered on the Cafe24 app (0: any, for tests)."""
    try:
        return LoopbackRedirect("/callback", port=port)
    except OSError as error:
        raise ChannelAuthError(
            _("fulfill cannot listen on 127.0.0.1:{port} for Cafe24's answer "
              "({error}).").format(port=port, error=error),
            _("Close the program using that port, or set another redirect_port and "
              "register it on the Cafe24 app.")) from None


def sign_in(settings: dict[str, str], secrets: dict[str, str], *,
            open_browser: Callable[[str], object], timeout: float = 300) -> dict[str, str]:
    """Open Cafe24's consent page, wait for the redirect, trade the code: the new secrets."""
    client_id = secrets.get("client_id", "").strip()
    client_secret = secrets.get("client_secret", "").strip()
    if not client_id or not client_secret:
        raise ChannelAuthError(_("Type the app's client ID and client secret first."),
                               _("Cafe24 Developers → Apps → your app → app information."))
    base = api_base(settings)
    port = int(settings.get("redirect_port") or REDIRECT_PORT)
    state = new_state()
    with _receiver(port) as receiver:
        open_browser(authorize_url(base, client_id, receiver.redirect_uri, state))
        code = receiver.wait_for_code(state, timeout)
        http = ChannelHttp(base, "Cafe24")
        try:
            tokens = request_tokens(http, base, client_id, client_secret, {
                "grant_type": "authorization_code", "code": code,
                "redirect_uri": receiver.redirect_uri})
        finally:
            http.close()
    return {**secrets, **tokens}
