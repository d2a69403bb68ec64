"""Etsy Open API v3."""
