"""HTTP route handlers, one router per resource, mounted by ``orderly.api.app``."""
