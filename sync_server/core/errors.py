"""Every error the server sends has the body {"error": {"code": ..., "message": ...}} with a stable code."""

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

log = logging.getLogger("sync_server.errors")

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


class ApiError(Exception):
    """An error a route raises on purpose: the status, a stable machine code and a human message."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


class OpRejected(Exception):
    """The operation is understood but refused (validation, permission, state changed meanwhile)."""

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields  # per-field messages, for a form


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status_code=status)


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


# `responses=` entry for routes that answer 404 with the error body.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "not found", "content": {"application/json": {"schema": ERROR_SCHEMA}}}
}


def is_overload(exc: BaseException) -> bool:
    """A wait for the database that timed out: SQLite's "database is locked" after busy_timeout, or no pooled
    connection free in time. Transient: the same request may succeed a moment later."""
    if isinstance(exc, PoolTimeout):
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        try:
            message = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
        except ValueError:
            message = "error"
        return error_response(exc.status_code, code, message)

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
        return error_response(422, "validation_error", "The request is not valid.", details=details)

    async def _database_wait(request: Request, exc: Exception) -> JSONResponse:
        if not is_overload(exc):
            raise exc  # on to the 500 handler below
        # The database could not be had in time (SQLite's busy timeout, the pool's wait): nothing was written
        # (the transaction rolled back), so the client may simply send the same request again.
        log.warning("overloaded on %s %s: %s", request.method, request.url.path, exc)
        response = error_response(503, "server_busy", "服务器繁忙，请稍后再试")
        response.headers["Retry-After"] = "2"
        return response

    # Registered per class (not under Exception), so they answer inside the middleware stack and the access
    # log records the 503 the client gets.
    app.add_exception_handler(OperationalError, _database_wait)
    app.add_exception_handler(PoolTimeout, _database_wait)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "Internal server error.")
