"""Sign-in through the system browser: the platform redirects back to a loopback address.

The seller approves access on the platform's own page; the platform sends the browser to
http://127.0.0.1:<port>/callback?code=…&state=…, where this receiver picks the code up. The
state must match what we sent, so a stray or forged redirect cannot sign anyone in.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fulfill.errors import ChannelAuthError
from fulfill.translation import _

DONE_PAGE = """<!doctype html><meta charset="utf-8"><title>fulfill</title>
<body style="font-family: sans-serif; margin: 3em">
<h2>{title}</h2><p>{text}</p></body>"""


def new_state() -> str:
    return secrets.token_urlsafe(24)


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def pkce_pair() -> tuple[str, str]:
    """A fresh (code_verifier, code_challenge) pair; the verifier is 64 URL-safe characters."""
    verifier = secrets.token_urlsafe(48)
    return verifier, pkce_challenge(verifier)


class LoopbackRedirect:
    """Waits on 127.0.0.1 for one OAuth redirect. Use as a context manager.

    `port` 0 takes any free port (platforms that accept any loopback port, as RFC 8252
    asks); a platform that wants the redirect registered exactly needs a fixed one, and
    OSError says it is taken."""

    def __init__(self, path: str = "/callback", port: int = 0) -> None:
        self.path = path
        self._result: dict[str, str] = {}
        self._arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != receiver.path:
                    self.send_error(404)
                    return
                receiver._result = {k: v[0] for k, v in parse_qs(parts.query).items()}
                ok = "code" in receiver._result
                page = DONE_PAGE.format(
                    title="Connected" if ok else "Not connected",
                    text="You can close this tab and go back to fulfill." if ok else
                    html.escape(receiver._result.get("error_description")
                                or receiver._result.get("error", "The platform sent no code.")))
                body = page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                receiver._arrived.set()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = HTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    def wait_for_code(self, state: str, timeout: float) -> str:
        """The authorization code, once the browser comes back; ChannelAuthError otherwise."""
        if not self._arrived.wait(timeout):
            raise ChannelAuthError(_("The sign-in was not finished in the browser in time."),
                                   _("Press Connect again and approve access on the platform's "
                                     "page."))
        result = self._result
        if "error" in result:
            raise ChannelAuthError(
                _("The platform did not grant access ({answer}).").format(
                    answer=result.get("error_description") or result["error"]),
                _("Press Connect again and choose Allow on the platform's page."))
        if result.get("state") != state:
            raise ChannelAuthError(_("The browser came back from a sign-in fulfill did not "
                                     "start."),
                                   _("Press Connect again; close other sign-in tabs first."))
        return result["code"]

    def __enter__(self) -> LoopbackRedirect:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
