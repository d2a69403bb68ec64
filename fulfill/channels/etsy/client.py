"""Etsy Open API v3: receipts changed in a window, paged by modified time; tracking write-back.

Auth: every call carries x-api-key ("keystring:shared_secret" since Feb 2026) and a Bearer
OAuth2 token that lasts an hour. Refreshing it also rotates the refresh token (the old one
stops working), so the new pair is handed to the service to save at once.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from fulfill.channels.base import (
    Connector, CredentialField, Page, ShipmentNotice, SyncWindow,
)
from fulfill.channels.etsy.mapper import claims, map_order
from fulfill.channels.http import ChannelHttp, Reply
from fulfill.channels.ratelimit import TokenBucket
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected, ChannelUnavailable, PayloadError
from fulfill.translation import N_, _

API_BASE = "https://openapi.etsy.com"
AUTHORIZE_URL = "https://www.etsy.com/oauth/connect"
TOKEN_PATH = "v3/public/oauth/token"
SCOPES = ("transactions_r", "transactions_w")
LIMIT = 100  # the receipts endpoint's maximum
EARLIEST = 946684800  # the spec's minimum for *_last_modified (2000-01-01)
REFRESH_EARLY_S = 60  # refresh a token this close to expiry rather than fail a request
RECONNECT = N_("Open Channels and connect the Etsy account again.")  # shown as _(RECONNECT)

# Our carrier names -> Etsy's carrier_name. Etsy takes "other" for carriers it does not
# know (the tracking code is still recorded), which beats a refused write-back.
CARRIERS = {
    "ems": "korea-post", "k-packet": "korea-post", "kpacket": "korea-post",
    "korea post": "korea-post", "korea-post": "korea-post", "우체국": "korea-post",
    "dhl": "dhl", "dhl express": "dhl", "fedex": "fedex", "ups": "ups", "usps": "usps",
    "cj": "cj-logistics", "cj logistics": "cj-logistics", "cj대한통운": "cj-logistics",
}


def carrier_name(carrier: str) -> str:
    return CARRIERS.get(carrier.strip().lower(), "other")


# --- OAuth2 + PKCE helpers for the Channels screen's "Connect with Etsy" flow ------------
def authorize_url(client_id: str, redirect_uri: str, state: str, challenge: str,
                  scopes: tuple[str, ...] | list[str] = SCOPES, *,
                  base: str = AUTHORIZE_URL) -> str:
    """Where to send the seller to grant access (Etsy's authorization-code + PKCE flow)."""
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
             "scope": " ".join(scopes), "state": state, "code_challenge": challenge,
             "code_challenge_method": "S256"}
    return f"{base}?{urlencode(query, quote_via=quote)}"


def exchange_code(api_base: str, client_id: str, redirect_uri: str, code: str,
                  verifier: str) -> dict[str, str]:
    """Trade the code from the redirect for tokens: the secrets the connector then uses."""
    http = ChannelHttp(api_base, "Etsy")
    try:
        reply = http.request("POST", TOKEN_PATH, data={
            "grant_type": "authorization_code", "client_id": client_id,
            "redirect_uri": redirect_uri, "code": code, "code_verifier": verifier})
    except ChannelRejected as error:
        raise ChannelAuthError(_("Etsy did not accept the sign-in ({error}).").format(
            error=error.message), _(RECONNECT)) from error
    finally:
        http.close()
    body = reply.json()
    return {"access_token": body["access_token"], "refresh_token": body["refresh_token"],
            "expires_at": str(int(time.time()) + int(body.get("expires_in") or 3600))}


def _header_int(reply: Reply, name: str) -> int | None:
    try:
        return int(reply.headers.get(name, ""))
    except ValueError:
        return None


def _stamp(payload: dict[str, Any]) -> int | None:
    value = payload.get("updated_timestamp", payload.get("update_timestamp"))
    return int(value) if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else None


class EtsyConnector(Connector):
    platform: ClassVar[Platform] = Platform.ETSY
    credential_fields = (
        # Marked for the catalogue, translated where they are shown.
        CredentialField("shop_id", N_("Shop ID"),
                        help=N_("The number in your shop's API answer (getMe → shop_id); "
                                "Connect with Etsy fills it in")),
        CredentialField("api_key", N_("Keystring"), secret=True,
                        help=N_("etsy.com/developers/your-apps → your app → Keystring")),
        CredentialField("shared_secret", N_("Shared secret"), secret=True,
                        help=N_("Same page as the keystring, under Shared secret")),
        CredentialField("access_token", N_("Access token"), secret=True,
                        help=N_("Filled in by Connect with Etsy (lasts an hour, renewed "
                                "automatically)")),
        CredentialField("refresh_token", N_("Refresh token"), secret=True,
                        help=N_("Filled in by Connect with Etsy")),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None) -> None:
        super().__init__(account, secrets)
        settings = account.settings
        self.shop_id = str(settings["shop_id"])
        # Etsy's default quota: 10 requests/s and 10,000 a day per app.
        self.http = http or ChannelHttp(settings.get("api_base") or API_BASE, "Etsy",
                                        bucket=TokenBucket(rate=10, burst=10))
        self.http.on_reply = self._on_reply
        key = secrets["api_key"]
        shared = secrets.get("shared_secret")
        self.http.session.headers["x-api-key"] = f"{key}:{shared}" if shared else key
        self.remaining_today: int | None = None
        self._last_status = 0
        self._use_token()

    @property
    def _receipts(self) -> str:
        return f"v3/application/shops/{self.shop_id}/receipts"

    # --- auth ----------------------------------------------------------------------------
    def _use_token(self) -> None:
        token = self.secrets.get("access_token", "")
        self.http.session.headers["Authorization"] = f"Bearer {token}"

    def _token_expired(self) -> bool:
        expires_at = self.secrets.get("expires_at")
        return bool(expires_at) and time.time() >= float(expires_at) - REFRESH_EARLY_S

    def _refresh(self) -> None:
        refresh_token = self.secrets.get("refresh_token")
        if not refresh_token:
            raise ChannelAuthError(_("Etsy's sign-in for this account has expired."),
                                   _(RECONNECT))
        form = {"grant_type": "refresh_token", "client_id": self.secrets["api_key"],
                "refresh_token": refresh_token}
        try:  # no stale Bearer on the token call itself
            reply = self.http.request("POST", TOKEN_PATH, data=form,
                                      headers={"Authorization": None})
        except ChannelRejected as error:  # 400 invalid_grant: revoked, expired or already used
            raise ChannelAuthError(
                _("Etsy no longer accepts this account's sign-in ({error}).").format(
                    error=error.message), _(RECONNECT)
            ) from error
        body = self._json(reply)
        expires_at = int(time.time()) + int(body.get("expires_in") or 3600)
        # Saved before anything else: the old refresh token is already dead on Etsy's side.
        self._secrets_rotated(access_token=body["access_token"],
                              refresh_token=body.get("refresh_token") or refresh_token,
                              expires_at=str(expires_at))
        self._use_token()

    def _call(self, method: str, path: str, **kwargs: Any) -> Reply:
        """A request with a valid token: refreshed before when due, or once after a 401."""
        if self._token_expired():
            self._refresh()
        try:
            return self.http.request(method, path, **kwargs)
        except ChannelAuthError:
            # 401 is the token (expired early, revoked); 403 is the key or scope: no refresh.
            if self._last_status != 401 or not self.secrets.get("refresh_token"):
                raise
        self._refresh()
        return self.http.request(method, path, **kwargs)

    def _on_reply(self, reply: Reply) -> None:
        """Follow Etsy's quota headers; a spent daily quota ends the run instead of waiting."""
        self._last_status = reply.status
        today = _header_int(reply, "x-remaining-today")
        if today is not None:
            self.remaining_today = today
        if _header_int(reply, "x-remaining-this-second") == 0 and self.http.bucket:
            self.http.bucket.set_available(0)
        if reply.status == 429 and today is not None and today <= 0:
            raise ChannelUnavailable(
                _("Etsy's daily allowance of requests for this app is used up."),
                _("Nothing was lost; sync again later (the allowance refills over 24 hours) "
                  "and it continues where it stopped."))

    @staticmethod
    def _json(reply: Reply) -> Any:
        """JSON with decimals kept exact (Etsy's coupon amounts are JSON numbers)."""
        try:
            return json.loads(reply.body.decode("utf-8"), parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as error:
            raise PayloadError(
                _("The platform sent data that is not valid JSON ({error}) from {url}.").format(
                    error=error, url=reply.url),
                _("Try again later; if it keeps happening, report it to support with the log."),
            ) from None

    # --- orders --------------------------------------------------------------------------
    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        """Oldest change first. The cursor is "min_last_modified:offset", moved up to the
        last receipt read, so receipts that change mid-run and leave the window cannot shift
        the unread ones past a plain offset."""
        since, skip = self._start(window, cursor)
        until = max(EARLIEST, math.floor(window.until.timestamp()))
        while True:
            params: dict[str, Any] = {"limit": LIMIT, "offset": skip, "sort_on": "updated",
                                      "sort_order": "asc", "max_last_modified": until}
            if since is not None:
                params["min_last_modified"] = since
            body = self._json(self._call("GET", self._receipts, params=params))
            results = body.get("results") if isinstance(body, dict) else None
            if not isinstance(results, list):
                raise PayloadError(_("Etsy sent something other than a list of receipts."),
                                   _("Check the shop ID in Channels."))
            more = bool(results) and skip + len(results) < int(body.get("count") or 0)
            since, skip = self._advance(since, skip, results)
            resume = f"{'' if since is None else since}:{skip}" if more else None
            yield Page.of(results, lambda p: map_order(p, self.account.id),
                          lambda p: p["receipt_id"], resume, claims=claims)
            if not more:
                return

    @staticmethod
    def _start(window: SyncWindow, cursor: str | None) -> tuple[int | None, int]:
        if cursor:
            since_text, _colon, skip_text = cursor.partition(":")
            return (int(since_text) if since_text else None), int(skip_text or 0)
        if window.since is None:
            return None, 0
        return max(EARLIEST, math.floor(window.since.timestamp())), 0

    @staticmethod
    def _advance(since: int | None, skip: int,
                 results: list[dict[str, Any]]) -> tuple[int | None, int]:
        """Next (min_last_modified, offset): past the newest time read, skipping its ties."""
        stamps = [_stamp(p) for p in results]
        if not stamps or None in stamps or stamps != sorted(stamps):
            return since, skip + len(results)  # cannot key on time: plain offset
        last = stamps[-1]
        if last == since:  # the whole page shared one timestamp
            return since, skip + len(results)
        return last, sum(1 for s in stamps if s == last)

    # --- write-back ----------------------------------------------------------------------
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        path = f"{self._receipts}/{notice.platform_order_id}"
        receipt = self._json(self._call("GET", path))
        wanted = notice.tracking_number.strip().upper()
        # Each tracking POST emails the buyer and adds a shipment: never send one twice.
        if any(str(s.get("tracking_code") or "").strip().upper() == wanted
               for s in receipt.get("shipments") or []):
            return
        self._call("POST", f"{path}/tracking",
                   data={"tracking_code": notice.tracking_number,
                         "carrier_name": carrier_name(notice.carrier)})

    def close(self) -> None:
        self.http.close()
