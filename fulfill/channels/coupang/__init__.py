"""Coupang Open API (Wing): order sheets by status, claims, acknowledgement + invoice upload."""
