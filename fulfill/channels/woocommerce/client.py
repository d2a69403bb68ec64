"""WooCommerce REST v3: orders modified in a window, paged; tracking through Shipment Tracking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from fulfill.channels.base import (
    Connector, CredentialField, Page, ShipmentNotice, SyncWindow,
)
from fulfill.channels.http import ChannelHttp
from fulfill.channels.money_time import iso_z
from fulfill.channels.ratelimit import TokenBucket
from fulfill.channels.woocommerce.mapper import claims, map_order
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import PayloadError
from fulfill.translation import N_, _

PER_PAGE = 100  # WordPress REST's maximum


class WooCommerceConnector(Connector):
    platform: ClassVar[Platform] = Platform.WOOCOMMERCE
    credential_fields = (
        # Labels and help are marked for the catalogue and translated where they are shown;
        # an example ("https://…") stays as it is.
        CredentialField("site_url", N_("Shop address"), help="https://shop.example.com"),
        CredentialField("consumer_key", N_("Consumer key"), secret=True,
                        help=N_("WooCommerce → Settings → Advanced → REST API, Read/Write")),
        CredentialField("consumer_secret", N_("Consumer secret"), secret=True),
    )

    def __init__(self, account: ChannelAccount, secrets: dict[str, str], *,
                 http: ChannelHttp | None = None) -> None:
        super().__init__(account, secrets)
        site = account.settings["site_url"].rstrip("/")
        # Core WooCommerce has no rate limit; hosts do. Stay polite: 5 requests/s.
        self.http = http or ChannelHttp(f"{site}/wp-json", "WooCommerce",
                                        bucket=TokenBucket(rate=5, burst=10))
        self.http.session.auth = (secrets["consumer_key"], secrets["consumer_secret"])

    def fetch(self, window: SyncWindow, cursor: str | None = None) -> Iterator[Page]:
        page = int(cursor or 1)
        while True:
            params = {"per_page": PER_PAGE, "page": page, "orderby": "id", "order": "asc",
                      "dates_are_gmt": "true", "modified_before": iso_z(window.until)}
            if window.since:
                params["modified_after"] = iso_z(window.since)
            reply = self.http.request("GET", "wc/v3/orders", params=params)
            payloads = reply.json()
            if not isinstance(payloads, list):
                raise PayloadError(_("{platform} sent something other than a list of "
                                     "orders.").format(platform="WooCommerce"),
                                   _("Check the shop address in Channels."))
            pages = int(reply.headers.get("X-WP-TotalPages") or page)
            more = page < pages and bool(payloads)
            yield Page.of(payloads, lambda p: map_order(p, self.account.id), lambda p: p["id"],
                          str(page + 1) if more else None, claims=claims)
            if not more:
                return
            page += 1

    def mark_shipped(self, notice: ShipmentNotice) -> None:
        order_id = notice.platform_order_id
        path = f"wc-shipment-tracking/v3/orders/{order_id}/shipment-trackings"
        existing = self.http.get_json(path)
        # Posting the same tracking twice would show the buyer two parcels: check first.
        if not any(t.get("tracking_number") == notice.tracking_number for t in existing or []):
            self.http.request("POST", path, json={
                "tracking_provider": notice.carrier,
                "tracking_number": notice.tracking_number,
                "date_shipped": notice.shipped_at.strftime("%Y-%m-%d"),
            })
        self.http.request("PUT", f"wc/v3/orders/{order_id}", json={"status": "completed"})

    def close(self) -> None:
        self.http.close()
