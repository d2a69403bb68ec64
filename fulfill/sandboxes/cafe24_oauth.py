"""The OAuth side of the Cafe24 sandbox mall: the consent page (the owner presses Allow at
once) that redirects only to a registered redirect URI, and the token endpoint with HTTP Basic
client authentication, one-minute codes and rotating refresh tokens. Token answers carry
expires_at and refresh_token_expires_at as KST times without offset, as Cafe24's do."""

from __future__ import annotations

import base64
import secrets as token_source
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode

from fulfill.channels.money_time import KST
from fulfill.sandboxes.server import SandboxReply, SandboxRequest

MALL_ID = "seoulglow"
# The stand-in's own app credentials, public on purpose: it checks them, nothing else does.
CLIENT_ID = "sandbox-cafe24-client"
CLIENT_SECRET = "SBX-not-secret"
ACCESS_TOKEN, REFRESH_TOKEN = "sandbox-access-0001", "sandbox-refresh-0001"
SCOPES = frozenset({"mall.read_order", "mall.write_order", "mall.read_shipping"})


def _kst(moment: datetime) -> str:
    return moment.astimezone(KST).strftime("%Y-%m-%dT%H:%M:%S.000")


class OAuthEndpoints:
    """Mixed into the sandbox: uses its access_tokens, refresh_tokens, redirect_uris, codes,
    refreshes and _tokens (a counter)."""

    access_tokens: dict[str, float | None]
    refresh_tokens: set[str]
    redirect_uris: set[str]
    codes: dict[str, tuple[str, float]]
    refreshes: int
    _tokens: Iterator[int]

    @staticmethod
    def _oauth_error(status: int, error: str, description: str) -> SandboxReply:
        return SandboxReply(status, {"error": error, "error_description": description})

    def _authorize(self, request: SandboxRequest) -> SandboxReply:
        """The mall owner signs in and presses Allow at once: a redirect with a code."""
        redirect = request.arg("redirect_uri") or ""
        scopes = set((request.arg("scope") or "").split(","))
        if request.arg("response_type") != "code" or request.arg("client_id") != CLIENT_ID:
            return self._oauth_error(400, "invalid_request", "client_id or response_type is wrong")
        if redirect not in self.redirect_uris:
            return self._oauth_error(400, "invalid_request",
                                     "redirect_uri is not registered for this app")
        if not scopes <= SCOPES:
            return self._oauth_error(400, "invalid_scope", f"unknown scope {scopes - SCOPES}")
        code = token_source.token_urlsafe(16)
        self.codes[code] = (redirect, time.time() + 60)  # a code lasts one minute
        query = urlencode({"code": code, "state": request.arg("state") or ""})
        return SandboxReply(302, b"", {"Location": f"{redirect}?{query}"})

    def _token(self, request: SandboxRequest) -> SandboxReply:
        header = request.headers.get("authorization", "")
        try:
            pair = base64.b64decode(header[6:]).decode() if header.startswith("Basic ") else ""
        except ValueError:
            pair = ""
        if pair != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return self._oauth_error(401, "invalid_client", "client authentication failed")
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        grant = form.get("grant_type")
        if grant == "authorization_code":
            redirect, expiry = self.codes.pop(form.get("code", ""), ("", 0.0))
            if not redirect or time.time() > expiry or form.get("redirect_uri") != redirect:
                return self._oauth_error(400, "invalid_grant", "code is invalid or expired")
        elif grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return self._oauth_error(400, "invalid_grant",
                                         "Validation error: invalid refresh_token")
            self.refresh_tokens.discard(form["refresh_token"])  # rotation: the old one is dead
            self.refreshes += 1
        else:
            return self._oauth_error(400, "unsupported_grant_type", "grant_type is not supported")
        n = next(self._tokens)
        access, refresh = f"sandbox-access-{n:04d}", f"sandbox-refresh-{n:04d}"
        now = datetime.now(UTC)
        self.access_tokens[access] = time.time() + 7200
        self.refresh_tokens.add(refresh)
        return SandboxReply(200, {
            "access_token": access, "expires_at": _kst(now + timedelta(hours=2)),
            "refresh_token": refresh, "refresh_token_expires_at": _kst(now + timedelta(days=14)),
            "client_id": CLIENT_ID, "mall_id": MALL_ID, "user_id": MALL_ID,
            "scopes": sorted(SCOPES), "issued_at": _kst(now)})
