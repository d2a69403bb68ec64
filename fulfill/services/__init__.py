"""Use cases that combine the store, channels and documents. No Qt."""
