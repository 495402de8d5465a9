"""Errors as HTTP answers: the status of each kind of refusal from core, and the handlers that give every error the
body {"error": {"code": ..., "message": ...}} with a stable code (ERROR_SCHEMA in OpenAPI)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync_server.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    Invalid,
    Locked,
    NotFound,
    TooLarge,
    TooMany,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger("sync_server.errors")

# The one place a refusal gets its HTTP status.
STATUS_OF_KIND: dict[type[DomainError], int] = {
    Invalid: 422,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    TooLarge: 413,
    Locked: 423,
    TooMany: 429,
    Unavailable: 503,
}

# Codes for errors that Starlette/FastAPI raise themselves (routing, methods, bodies).
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    423: "locked",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def status_of(error: DomainError) -> int:
    """The status of the error's kind (a DomainError of no kind: 422, the request cannot be done as sent)."""
    return next((STATUS_OF_KIND[kind] for kind in type(error).__mro__ if kind in STATUS_OF_KIND), 422)


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def refusal_body(error: DomainError) -> dict[str, Any]:
    details = {"fields": error.fields} if error.fields else {}
    return error_body(error.code, error.message, **details, **error.extra)


def error_response(error: DomainError) -> JSONResponse:
    return JSONResponse(refusal_body(error), status_code=status_of(error))


# OpenAPI description of the error body, referenced by routes' `responses=`.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def error_responses(*statuses: int, description: str = "error") -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for routes that answer these statuses with the error body."""
    return {
        s: {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}} for s in statuses
    }


NOT_FOUND = error_responses(404, description="not found")


def is_overload(exc: BaseException) -> bool:
    """A wait for the database that timed out: SQLite's "database is locked" after busy_timeout, or no pooled
    connection free in time. Transient: the same request may succeed a moment later."""
    if isinstance(exc, PoolTimeout):
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _refused(_: Request, exc: DomainError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        try:
            message = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
        except ValueError:
            message = "error"
        return JSONResponse(error_body(code, message), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": err.get("type"),
            }
            for err in exc.errors()
        ]
        return JSONResponse(
            error_body("validation_error", "The request is not valid.", details=details), status_code=422
        )

    async def _database_wait(request: Request, exc: Exception) -> JSONResponse:
        if not is_overload(exc):
            raise exc  # on to the 500 handler below
        # The database could not be had in time (SQLite's busy timeout, the pool's wait): nothing was written
        # (the transaction rolled back), so the client may simply send the same request again.
        log.warning("overloaded on %s %s: %s", request.method, request.url.path, exc)
        response = JSONResponse(error_body("server_busy", "服务器繁忙，请稍后再试"), status_code=503)
        response.headers["Retry-After"] = "2"
        return response

    # Registered per class (not under Exception), so they answer inside the middleware stack and the access
    # log records the 503 the client gets.
    app.add_exception_handler(OperationalError, _database_wait)
    app.add_exception_handler(PoolTimeout, _database_wait)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "Internal server error."), status_code=500)
