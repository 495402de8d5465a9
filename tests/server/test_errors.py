"""Refusals from core as HTTP answers (sync_server/api/errors.py): each kind's one status, and the error body."""

from __future__ import annotations

import json

from sync_server.api.errors import STATUS_OF_KIND, error_response, status_of
from sync_server.core import errors


def test_every_kind_of_refusal_has_its_status() -> None:
    kinds = set(errors.DomainError.__subclasses__())
    assert kinds == set(STATUS_OF_KIND)
    assert {status_of(kind("code", "message")) for kind in kinds} == {401, 403, 404, 409, 410, 413, 422, 423, 429, 503}
    assert status_of(errors.Invalid("c", "m")) == 422 and status_of(errors.Locked("c", "m")) == 423


def test_the_body_carries_the_code_the_message_the_fields_and_the_details() -> None:
    refusal = errors.TooMany("urge_too_soon", "每小时只能催办一次", fields={"comment": "太快"}, retry_after=60)
    response = error_response(refusal)
    assert response.status_code == 429
    assert json.loads(response.body) == {
        "error": {
            "code": "urge_too_soon",
            "message": "每小时只能催办一次",
            "fields": {"comment": "太快"},
            "retry_after": 60,
        }
    }
    bare = json.loads(error_response(errors.NotFound("news_not_found", "No such news item.")).body)
    assert bare == {"error": {"code": "news_not_found", "message": "No such news item."}}
