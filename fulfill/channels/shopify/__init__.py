"""Shopify: orders through the GraphQL Admin API, tracking through REST fulfillment orders."""
