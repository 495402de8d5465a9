"""Hypothesis strategies for the payloads of operations, drawn from their schemas (campus_common/op_payloads.py).

`payloads(op_type, hints)` draws payloads that fit the type's schema (`hints`: property name → a strategy of
realistic values mixed in, such as process codes that exist); `hostile_payloads(op_type, hints)` draws ones that
mostly do not: a lone surrogate or NUL in a string, integers beyond 64 bits, NaN and infinities, deep nesting,
unknown fields (their names hostile too), wrong types, missing fields. Whether a draw fits is for
`op_payloads.problem` to say; a test compares the server's answer with it.

The schemas are walked here rather than by hypothesis-jsonschema: its 0.23.1 draws objects with a Hypothesis
internal that no longer exists (tests/form_strategies.py says the same), and these schemas use a small subset.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from campus_common import op_payloads

TEXT_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
MAX_DRAWN_TEXT = 24
MAX_DRAWN_ITEMS = 3

# Lone surrogates, never a high one followed by a low one: JSON would carry those as a pair, valid text.
BAD_TEXT = st.sampled_from(["\ud800", "a\udfff", "\udc00好", "\x00", "好\x00好", "\x00\ud800"])
BAD_INTS = st.sampled_from([2**63, 2**64, -(2**63) - 1, 2**70, 10**30, -(10**30)])
BAD_NUMBERS = st.sampled_from([math.nan, math.inf, -math.inf, 1e300])
WRONG_TYPES = st.sampled_from([[], {}, True, False, None, 1.5, "s", 0, -1, [None], {"": ""}])
UNKNOWN_KEYS = st.sampled_from(["extra", "k\ud800", "k\x00", "__proto__", "", "application_id2"])


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"d": value}
    return value


DEEP = st.builds(_nested, st.integers(op_payloads.FORM_DEPTH, 60), st.one_of(st.just("x"), BAD_TEXT))
BAD_VALUES = st.one_of(BAD_TEXT, BAD_INTS, BAD_NUMBERS, WRONG_TYPES, DEEP)


def _text(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    pattern = schema.get("pattern")
    if pattern and pattern != op_payloads.SCALAR_TEXT:
        return st.uuids().map(str) if pattern == op_payloads.UUID else st.from_regex(pattern, fullmatch=True)
    low = schema.get("minLength", 0)
    return st.text(TEXT_CHARS, min_size=low, max_size=max(low, min(schema.get("maxLength", 50), MAX_DRAWN_TEXT)))


def _of_type(schema: dict[str, Any], kind: str) -> st.SearchStrategy[Any]:
    low, high = schema.get("minimum"), schema.get("maximum")
    if kind == "string":
        return _text(schema)
    if kind == "integer":
        return st.integers(low, high)
    if kind == "number":
        # Floats within ±1e18: the 64-bit bounds are not floats, and a float near them says nothing new.
        return st.one_of(st.integers(low, high), st.floats(-1e18, 1e18, allow_nan=False, allow_infinity=False))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(schema_values(schema["items"]), max_size=min(schema.get("maxItems", 5), MAX_DRAWN_ITEMS))
    assert kind == "object", kind
    if "properties" in schema:
        required = set(schema.get("required", ()))
        props = schema["properties"]
        return st.fixed_dictionaries(
            {k: schema_values(v) for k, v in props.items() if k in required},
            optional={k: schema_values(v) for k, v in props.items() if k not in required},
        )
    return st.dictionaries(
        _text(schema.get("propertyNames", {"maxLength": 16})),
        schema_values(schema["additionalProperties"]),
        max_size=min(schema.get("maxProperties", 5), MAX_DRAWN_ITEMS),
    )


def schema_values(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that fit `schema` (the subset of JSON Schema the payload schemas use)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return st.one_of([_of_type(schema, kind) for kind in kinds])


def payloads(op_type: str, hints: dict[str, st.SearchStrategy[Any]] | None = None) -> st.SearchStrategy[Any]:
    """Payloads of `op_type` that fit its schema; a hinted property is sometimes one of the hint's values."""
    schema = op_payloads.SCHEMAS[op_type]
    hints = hints or {}
    props = schema["properties"]
    required = set(schema.get("required", ()))

    def value(name: str) -> st.SearchStrategy[Any]:
        drawn = schema_values(props[name])
        return st.one_of(hints[name], drawn) if name in hints else drawn

    drawn = st.fixed_dictionaries(
        {k: value(k) for k in props if k in required}, optional={k: value(k) for k in props if k not in required}
    )
    if "anyOf" in schema:  # notification.read: ids, or all of them
        drawn = drawn.filter(lambda p: op_payloads.problem(op_type, p) is None)
    return drawn


@st.composite
def hostile_payloads(
    draw: st.DrawFn, op_type: str, hints: dict[str, st.SearchStrategy[Any]] | None = None
) -> dict[str, Any]:
    """A payload of `op_type` with one thing a client could get wrong on purpose."""
    payload: dict[str, Any] = dict(draw(payloads(op_type, hints)))
    props = op_payloads.SCHEMAS[op_type]["properties"]
    how = draw(st.sampled_from(["value", "unknown", "missing", "overlong", "form"]))
    if how == "value":
        payload[draw(st.sampled_from(sorted(props)))] = draw(BAD_VALUES)
    elif how == "unknown":
        payload[draw(UNKNOWN_KEYS)] = draw(st.one_of(BAD_VALUES, st.just("x")))
    elif how == "missing" and payload:
        del payload[draw(st.sampled_from(sorted(payload)))]
    elif how == "overlong":
        texts = [k for k, v in props.items() if "maxLength" in v and v["maxLength"] <= 2000]
        if texts:
            name = draw(st.sampled_from(texts))
            payload[name] = "长" * (props[name]["maxLength"] + 1)
    elif how == "form" and "data" in props:
        bad = draw(BAD_VALUES)
        payload["data"] = draw(
            st.sampled_from([{"field": bad}, {"list": [{"nested": bad}]}, {"k\ud800": "v"}, {"k\x00": bad}, bad])
        )
    return payload
