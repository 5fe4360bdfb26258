"""The team server: `forethought serve` (an ASGI app over the services; see app.py)."""
