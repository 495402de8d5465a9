"""Why the server refuses a request: a stable code and a message, of a kind (not found, forbidden, …) that the API
answers with its HTTP status (api/errors.py) and the push records as the operation's rejection."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal: `code` for programs (stable), `message` for people, `fields` for a form (a message per field),
    and details a client may act on (`extra`: retry_after, received, …). Raise one of its kinds, below."""

    def __init__(self, code: str, message: str, *, fields: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields
        self.extra = extra


class Invalid(DomainError):
    """What was sent cannot be done as it is: a malformed payload, a form that does not validate."""


class Unauthorized(DomainError):
    """Nobody is signed in, or the credentials or token do not hold."""


class Forbidden(DomainError):
    """The user is known but may not do this."""


class NotFound(DomainError):
    """There is no such thing, or none this user may know of."""


class Conflict(DomainError):
    """Not possible in the state things are in now: done already, taken by someone else, out of order."""


class Gone(DomainError):
    """It existed but can no longer be used (a QR code already used)."""


class TooLarge(DomainError):
    """Larger than allowed."""


class Locked(DomainError):
    """The account is locked for a while (retry_after)."""


class TooMany(DomainError):
    """Too many attempts, or too soon after the last one: try again later (retry_after when known)."""


class Unavailable(DomainError):
    """The server cannot do it now (its database is unreachable)."""
