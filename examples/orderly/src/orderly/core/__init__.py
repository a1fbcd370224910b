"""Cross-cutting foundations: configuration, logging, security primitives and error types."""
