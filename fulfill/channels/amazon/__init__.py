"""Amazon Selling Partner API: Orders v0, LWA auth, restricted data tokens, ship confirmation."""
