"""What every sales-platform connector provides, and the pieces they share.

A connector = a client that only speaks HTTP (through ChannelHttp) + a pure mapper from the
platform's payloads to domain Orders. Sync and write-back live in fulfill.services, which is
where connectors meet the store.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from fulfill.domain import ChannelAccount, Order, Platform
from fulfill.domain.returns import PlatformClaim

# What a platform reports against an order besides the order itself: refunds, cancellations
# and return requests, read from the same payload by the mapper's `claims`.
ClaimsReader = Callable[[dict[str, Any]], list[PlatformClaim]]


@dataclass(frozen=True)
class CredentialField:
    """One thing the seller enters to connect an account (shown on the Channels screen)."""

    key: str
    label: str
    secret: bool = False  # kept in the OS keychain, never in the store
    help: str = ""
    optional: bool = False  # may be left empty; the connector has a default or does without


@dataclass
class Problem:
    """An order the platform sent that could not be mapped; kept with its payload."""

    platform_order_id: str
    message: str
    raw: dict[str, Any]


class Page:
    """One page of orders. `resume_cursor` continues after this page; None when it was the last.

    Built with `Page.of(payloads, mapper, ...)`, the payloads are mapped when `orders`,
    `problems` or `claims` is first read, not when the page is made: the sync reads them on
    its saving thread, so the fetching thread asks for the next page at once instead of
    mapping first.
    """

    def __init__(self, orders: list[Order] | None = None, problems: list[Problem] | None = None,
                 resume_cursor: str | None = None, fetched: int = 0,
                 claims: dict[str, list[PlatformClaim]] | None = None) -> None:
        self._orders = orders or []
        self._problems = problems or []
        self._claims = claims or {}
        self._unmapped: tuple[list[dict[str, Any]], Callable, Callable,
                              ClaimsReader | None] | None = None
        self.resume_cursor = resume_cursor
        self.fetched = fetched

    @classmethod
    def of(cls, payloads: list[dict[str, Any]], mapper: Callable[[dict[str, Any]], Order],
           order_id_of: Callable[[dict[str, Any]], Any], resume_cursor: str | None, *,
           problems: list[Problem] | None = None, fetched: int | None = None,
           claims: ClaimsReader | None = None) -> Page:
        """A page of payloads still to map; `problems` are ones the client found itself,
        `claims` reads a payload's refunds, cancellations and return requests."""
        page = cls(None, problems, resume_cursor, len(payloads) if fetched is None else fetched)
        page._unmapped = (payloads, mapper, order_id_of, claims)
        return page

    def _map(self) -> None:
        if self._unmapped is not None:
            payloads, mapper, order_id_of, claims = self._unmapped
            self._unmapped = None
            orders, problems = map_payloads(payloads, mapper, order_id_of, claims, self._claims)
            self._orders.extend(orders)
            self._problems.extend(problems)

    @property
    def orders(self) -> list[Order]:
        self._map()
        return self._orders

    @property
    def problems(self) -> list[Problem]:
        self._map()
        return self._problems

    @property
    def claims(self) -> dict[str, list[PlatformClaim]]:
        """Platform order id -> its claims, for the orders of the page that have any."""
        self._map()
        return self._claims


@dataclass(frozen=True)
class SyncWindow:
    """Orders modified in [since, until); since None means everything the platform keeps."""

    since: datetime | None
    until: datetime


@dataclass(frozen=True)
class ShippedLine:
    platform_line_id: str
    quantity: int


@dataclass(frozen=True)
class ShipmentNotice:
    """What the platform needs to hear when a parcel leaves."""

    platform_order_id: str
    carrier: str
    tracking_number: str
    shipped_at: datetime
    lines: tuple[ShippedLine, ...] = ()  # empty: the whole order
    service: str = ""
    tracking_url: str = ""


def map_payloads(
    payloads: list[dict[str, Any]],
    mapper: Callable[[dict[str, Any]], Order],
    order_id_of: Callable[[dict[str, Any]], Any],
    claims: ClaimsReader | None = None,
    claims_found: dict[str, list[PlatformClaim]] | None = None,
) -> tuple[list[Order], list[Problem]]:
    """Map each payload; one that fails becomes a Problem and the rest still import.

    With `claims`, each order's claims are read too and put in `claims_found` under its
    platform id; a payload whose claims cannot be read is a Problem like one that cannot be
    mapped, so an order is never stored without what the platform reported against it."""
    orders: list[Order] = []
    problems: list[Problem] = []
    for payload in payloads:
        try:
            order = mapper(payload)
            found = claims(payload) if claims else None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            try:
                platform_id = str(order_id_of(payload))
            except Exception:  # the id itself is missing: still keep the payload
                platform_id = "?"
            problems.append(Problem(platform_id, f"{type(error).__name__}: {error}", payload))
            continue
        orders.append(order)
        if found and claims_found is not None:
            claims_found[order.platform_order_id] = found
    return orders, problems


class Connector(abc.ABC):
    platform: ClassVar[Platform]
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()
    # How far back a first sync reaches, and how much each later sync re-reads to catch
    # orders the platform indexed late.
    overlap_s: ClassVar[int] = 600
    # A run's window ends this long before "now": changes still being written on the
    # platform's side land in the next run instead of being missed (Amazon asks for 2 min).
    settle_s: ClassVar[int] = 5

    def __init__(self, account: ChannelAccount, secrets: dict[str, str]) -> None:
        if account.id is None:
            raise ValueError("A connector needs a saved account")
        self.account = account
        self.secrets = secrets
        # Called with the new secrets when the platform rotates them (a refreshed OAuth
        # token): the service saves them to the keychain. Connectors never touch storage.
        self.on_secrets_changed: Callable[[dict[str, str]], None] | None = None

    def _secrets_rotated(self, **changed: str) -> None:
        self.secrets = {**self.secrets, **changed}
        if self.on_secrets_changed:
            self.on_secrets_changed(self.secrets)

    @abc.abstractmethod
    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        """Yield pages of orders modified in the window, starting after `cursor` if given."""

    @abc.abstractmethod
    def mark_shipped(self, notice: ShipmentNotice) -> None:
        """Tell the platform the order shipped, with carrier and tracking number."""

    def test_connection(self) -> str:
        """A short confirmation such as "Connected to seoul-glow.myshopify.com"."""
        next(iter(self.fetch(SyncWindow(None, datetime.now().astimezone()))), None)
        return f"Connected to {self.account.display_name}"

    def close(self) -> None:
        """Release the HTTP session."""
