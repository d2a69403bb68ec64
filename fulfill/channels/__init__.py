"""Sales platform connectors: HTTP clients plus pure payload mappers. No Qt, no storage."""
