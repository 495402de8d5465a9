"""Stored values made safe to send: text that JSON cannot carry in UTF-8 (a lone UTF-16 surrogate) or that no
client should get (NUL) is replaced by U+FFFD and reported in the log, so that no one stored row can make a read
fail — for its owner, or for everyone whose pull passes it.

Such text got in before pushes were checked (issue 13), or by a path that bypasses the API; migration 0008 cleans
what was stored, with the same replacement, so a terminal that was served the replaced value and a database
cleaned later agree. Replacing one character keeps the rest of the row (an application, a comment): skipping the
row would leave the terminal without it, or with a stale copy, for good.

The check is one json.dumps and one UTF-8 encode, in C; only a value that fails it is walked in Python.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

log = logging.getLogger("sync_server.stored_text")

REPLACEMENT = "\ufffd"
_UNSOUND = re.compile("[\x00\ud800-\udfff]")
# How json.dumps writes NUL (it escapes every control character). Text a user typed as backslash-u0000 is written
# with its backslash doubled; only an odd number of backslashes before "u0000" is a NUL.
_NUL_ESCAPED = "\\u0000"
_NUL_IN_JSON = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def clean_text(text: str) -> tuple[str, int]:
    """`text` with each lone surrogate and NUL replaced by U+FFFD, and how many were."""
    return _UNSOUND.subn(REPLACEMENT, text)


def clean(value: Any) -> tuple[Any, int]:
    """A JSON-like value (dicts, lists, strings, numbers) with its strings, keys too, cleaned; and how many
    characters were replaced. Nothing is copied when nothing is replaced."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        total, out = 0, {}
        for key, item in value.items():
            new_key, n_key = clean_text(key) if isinstance(key, str) else (key, 0)
            new_item, n_item = clean(item)
            out[new_key] = new_item
            total += n_key + n_item
        return (out, total) if total else (value, 0)
    if isinstance(value, (list, tuple)):
        total, items = 0, []
        for item in value:
            new_item, n = clean(item)
            items.append(new_item)
            total += n
        return (items, total) if total else (value, 0)
    return value, 0


def encode(value: Any) -> bytes:
    """`value` as compact UTF-8 JSON (raises UnicodeEncodeError on a lone surrogate: scrub first)."""
    return _dumps(value).encode()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_bytes(value: Any) -> bytes | None:
    """`value` as compact UTF-8 JSON if all its text is sound, else None (then scrub it)."""
    text = _dumps(value)
    if _NUL_ESCAPED in text and _NUL_IN_JSON.search(text):  # the substring test is the fast one
        return None
    try:
        return text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return None


def scrubbed(value: Any, *, what: str, **where: Any) -> Any:
    """`value` cleaned; when anything was replaced, a warning names `what` and `where` (ids, never the text)."""
    cleaned, replaced = clean(value)
    if replaced:
        log.warning(
            "stored %s held text no client can take (lone surrogate or NUL): %d character(s) sent as U+FFFD",
            what,
            replaced,
            extra={"stored": what, "replaced": replaced, **where},
        )
    return cleaned


def safe(value: Any, *, what: str, **where: Any) -> Any:
    """`value` itself when its text is sound (the usual case, checked in C), else scrubbed and reported."""
    if json_bytes(value) is not None:
        return value
    return scrubbed(value, what=what, **where)
