"""eBay Sell Fulfillment API v1."""
