"""Exception hierarchy shared by the domain, storage, integrations and the HTTP layer."""


class OrderlyError(Exception):
    """Base class for every error the service raises on purpose."""

    code = "orderly_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(OrderlyError):
    code = "not_found"


class ConflictError(OrderlyError):
    """The request is valid but clashes with the current state (e.g. cancelling twice)."""

    code = "conflict"


class InvalidOrderError(OrderlyError):
    code = "invalid_order"


class PaymentDeclinedError(OrderlyError):
    code = "payment_declined"


class AuthenticationError(OrderlyError):
    code = "authentication_failed"


class UpstreamUnavailableError(OrderlyError):
    """A dependency we call over the network (payments, mail) could not be reached."""

    code = "upstream_unavailable"
