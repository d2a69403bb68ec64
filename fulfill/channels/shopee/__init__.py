"""Shopee Open Platform v2 (one shop per country)."""
