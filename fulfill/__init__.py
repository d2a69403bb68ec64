"""fulfill: one desk for a small cross-border seller's orders, papers and parcels."""

__version__ = "0.1.0"
APP_NAME = "fulfill"
APP_ID = "app.fulfill.desktop"
