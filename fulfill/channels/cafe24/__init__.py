"""Cafe24 Admin API (Korean shop builder; sellers run global malls in several currencies)."""
