"""The HTTP interface: FastAPI application factory, request wiring and JSON schemas."""
