"""Local stand-ins for the platforms' APIs, on loopback: same paths, payload shapes, paging,
auth and throttle signals. Tests sync against them, and so can a newcomer from the demo store."""
