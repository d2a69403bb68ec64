"""Connect an account by signing in on the platform's own page in the system browser.

Only where the platform allows a loopback redirect: Etsy (PKCE, any port) and Cafe24 (the
redirect registered on the seller's app, a fixed port); the others take tokens pasted from
their seller centre.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from fulfill.channels.cafe24 import auth as cafe24_auth
from fulfill.channels.etsy import client as etsy
from fulfill.channels.oauth import LoopbackRedirect, new_state, pkce_pair
from fulfill.domain import Platform
from fulfill.errors import FulfillError
from fulfill.translation import _

SIGN_IN_TIMEOUT_S = 300


def supports_browser_sign_in(platform: Platform) -> bool:
    return platform in (Platform.ETSY, Platform.CAFE24)


def browser_sign_in(platform: Platform, settings: dict[str, str], secrets: dict[str, str], *,
                    open_browser: Callable[[str], object] | None = None,
                    timeout: float = SIGN_IN_TIMEOUT_S) -> dict[str, str]:
    """Open the platform's consent page and wait for the redirect; returns the new secrets."""
    if not supports_browser_sign_in(platform):
        raise FulfillError(
            _("{platform} does not offer sign-in through the browser here.").format(
                platform=platform.label),
            _("Paste the token from the platform's seller centre instead."))
    if platform is Platform.CAFE24:
        return cafe24_auth.sign_in(settings, secrets, open_browser=open_browser or webbrowser.open,
                                   timeout=timeout)
    client_id = secrets.get("api_key", "").strip()
    if not client_id:
        raise FulfillError(_("Type the app's keystring first."),
                           _("etsy.com/developers/your-apps → your app → Keystring."))
    api_base = settings.get("api_base") or etsy.API_BASE
    authorize_base = settings.get("authorize_url") or (
        f"{api_base}/oauth/connect" if settings.get("api_base") else etsy.AUTHORIZE_URL)
    verifier, challenge = pkce_pair()
    state = new_state()
    with LoopbackRedirect() as receiver:
        (open_browser or webbrowser.open)(etsy.authorize_url(client_id, receiver.redirect_uri, state, challenge,
                                        base=authorize_base))
        code = receiver.wait_for_code(state, timeout)
        tokens = etsy.exchange_code(api_base, client_id, receiver.redirect_uri, code, verifier)
    return {**secrets, **tokens}
