"""HTTP for channel clients: one session, timeouts, retries with backoff, throttle handling.

Retried: timeouts, connection faults and 5xx (exponential backoff), and 429 (after the
platform's Retry-After). A platform that says "slow down" some other way (Shopify's GraphQL:
THROTTLED in the body of a 200, with the figures for the wait beside it) passes
`throttle_wait`, and such a reply is retried like a 429. Not retried: 401/403 (credentials),
other 4xx, unreadable JSON.
Each failure becomes a ChannelError that says what happened and what to do, in the
interface's language (log lines stay English).
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import requests

from fulfill import __version__
from fulfill.channels.ratelimit import TokenBucket
from fulfill.errors import ChannelAuthError, ChannelRejected, ChannelUnavailable, PayloadError
from fulfill.translation import _

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read
MAX_BACKOFF_S = 30.0


@dataclass
class HttpStats:
    requests: int = 0
    retries: int = 0
    throttled: int = 0  # 429s (or platform throttle errors) received
    waited_s: float = 0.0


@dataclass
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str
    _json: Any = field(default=None, repr=False)

    def json(self) -> Any:
        if self._json is None:
            try:
                self._json = _parse_json(self.body)
            except (ValueError, UnicodeDecodeError) as error:
                raise PayloadError(
                    _("The platform sent data that is not valid JSON ({error}) from {url}.").format(
                        error=error, url=self.url),
                    _("Try again later; if it keeps happening, report it to support with the "
                      "log."),
                ) from None
        return self._json

    def header_number(self, name: str) -> float | None:
        """A header's value as a number (a platform's rate or quota figures); None when it
        is absent or not a number."""
        try:
            return float(self.headers.get(name) or "")
        except ValueError:
            return None


def _parse_json(body: bytes) -> Any:
    """orjson parses a page of orders about twice as fast as the standard library, and parsing
    holds the interpreter lock the saving thread needs. What orjson refuses (NaN, lone
    surrogates) goes to the standard library, which decides whether it is JSON at all."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body.decode("utf-8"))


def retry_after_seconds(value: str | None, default: float) -> float:
    """Seconds from a Retry-After header: a number or an HTTP date."""
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else default


class ChannelHttp:
    def __init__(
        self,
        base_url: str,
        platform_label: str,
        *,
        bucket: TokenBucket | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 5,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        on_reply: Callable[[Reply], None] | None = None,
        throttle_wait: Callable[[Reply], float | None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.platform_label = platform_label
        self.bucket = bucket
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.on_reply = on_reply
        # Seconds to wait when a reply (of any status) says "slow down", else None; a 429
        # it returns None for still waits for Retry-After.
        self.throttle_wait = throttle_wait
        # The latest answer, error or not: a connector reads the platform's own words from
        # it when a ChannelError raised here only has the status.
        self.last_reply: Reply | None = None
        self.stats = HttpStats()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"fulfill/{__version__}"
        self.session.headers.update(headers or {})

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def _wait(self, seconds: float) -> None:
        self.stats.waited_s += seconds
        self.sleep(seconds)

    def hold(self, seconds: float) -> None:
        """Send nothing for `seconds` (the platform said to wait): through the bucket when
        there is one, so every caller sharing it waits, else by sleeping here."""
        if self.bucket:
            self.bucket.pause(seconds)
        else:
            self._wait(seconds)

    def request(self, method: str, path: str, **kwargs: Any) -> Reply:
        """Send a request, retrying what is worth retrying. Returns a 2xx Reply."""
        url = self.url(path)
        attempt = 0
        while True:
            if self.bucket:
                self.stats.waited_s += self.bucket.acquire()
            self.stats.requests += 1
            try:
                response = self.session.request(method, url, timeout=self.timeout, stream=True,
                                                **kwargs)
                # The body in one read, not requests' 10 kB pieces: at each piece a busy thread
                # beside this one (a sync saving pages) takes the interpreter lock, and this
                # one waits for it back. Read errors are requests' own, as without stream.
                body = b"".join(response.iter_content(None))
            except (requests.Timeout, requests.ConnectionError) as error:
                failure = f"could not be reached ({type(error).__name__})"  # for the log
                unavailable = _("{platform} could not be reached ({error}), {retries} retries "
                                "later.").format(platform=self.platform_label,
                                                 error=type(error).__name__,
                                                 retries=self.max_retries)
                reply = None
            else:
                reply = self.last_reply = Reply(response.status_code, response.headers, body, url)
                if self.on_reply:
                    self.on_reply(reply)
                wait = self.throttle_wait(reply) if self.throttle_wait else None
                if reply.status < 400 and wait is None:
                    return reply
                if reply.status == 429 or wait is not None:
                    self.stats.throttled += 1
                    delay = wait if wait is not None else retry_after_seconds(
                        reply.headers.get("Retry-After"), self._backoff(attempt))
                    self.hold(delay)
                    attempt += 1
                    if attempt > self.max_retries * 2:
                        raise ChannelUnavailable(
                            _("{platform} kept asking fulfill to slow down.").format(
                                platform=self.platform_label),
                            _("Nothing was lost; the next sync continues where this one "
                              "stopped."))
                    self.stats.retries += 1
                    continue
                if reply.status in (401, 403):
                    raise ChannelAuthError(
                        _("{platform} refused the account's credentials ({status}).").format(
                            platform=self.platform_label, status=reply.status),
                        _("Open Channels and reconnect the account, or check the API key's "
                          "permissions."))
                if reply.status < 500:
                    raise ChannelRejected(
                        _("{platform} refused the request ({status}): {answer}").format(
                            platform=self.platform_label, status=reply.status,
                            answer=reply.body[:300].decode("utf-8", "replace")), "")
                failure = f"had a server error ({reply.status})"  # for the log
                unavailable = _("{platform} had a server error ({status}), {retries} retries "
                                "later.").format(platform=self.platform_label,
                                                 status=reply.status, retries=self.max_retries)
            attempt += 1
            if attempt > self.max_retries:
                raise ChannelUnavailable(
                    unavailable,
                    _("Check the internet connection. Nothing was lost; sync again later and it "
                      "continues where it stopped."))
            self.stats.retries += 1
            log.info("%s %s %s; retry %d", self.platform_label, url, failure, attempt)
            self._wait(self._backoff(attempt - 1))

    def _backoff(self, attempt: int) -> float:
        return min(MAX_BACKOFF_S, self.backoff_s * (2**attempt))

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def close(self) -> None:
        self.session.close()
