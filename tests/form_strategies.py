"""Hypothesis strategies for the forms of hall processes (campus_common/forms.py).

`valid_data(definition, profile, step=None)` draws what a client submits for one part of a form (the applicant's
part, or the section a workflow step fills) and `forms.validate` accepts; `invalid_data(...)` draws (data, field)
pairs where exactly `field` is wrong and `forms.validate` says so.

`profile` is the signed-in user as either the server's `profile_values` ({"profile.name": …}) or the terminal's
user dict ({"name": …, "class_name": …}); read-only fields take their value from it (or today's date) exactly as a
client fills them, empty ones are left out as the kiosk leaves them out, and server-filled fields (单号, 流水号)
are never sent.

Values are built by hypothesis-jsonschema's `from_schema` from the part's schema, rewritten so that it draws
like a person: plain text is readable (CJK, ASCII letters and digits, a little punctuation; no control characters
or surrogates; stripped as a client strips it; at most 200 characters), and the campus formats have strategies
of their own. "date" and "time" are renamed for it (hypothesis-jsonschema checks custom strategies with
jsonschema's own format checker, whose RFC 3339 "time" wants seconds and a zone; ours is HH:MM).
"""

from __future__ import annotations

import re
import string
from datetime import date
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from campus_common import forms

TEXT_CAP = 200  # longest plain text drawn for a valid value (forms allow up to 3000)
ID_CHECK_CHARS = "10X98765432"

# -- readable text ----------------------------------------------------------------------------------------
_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_ASCII = st.sampled_from(string.ascii_letters + string.digits)
_PUNCT = st.sampled_from(" ，。、：；（）《》-_/.,")
READABLE = st.one_of(_CJK, _CJK, _ASCII, _PUNCT)


def readable_text(min_size: int = 0, max_size: int = TEXT_CAP) -> st.SearchStrategy[str]:
    """Readable text, already stripped, with min_size ≤ length ≤ max_size."""
    return st.text(READABLE, min_size=min_size, max_size=max_size).map(str.strip).filter(lambda s: len(s) >= min_size)


# -- campus formats -----------------------------------------------------------------------------------------
DATES = st.dates(date(2000, 1, 1), date(2035, 12, 31)).map(date.isoformat)
TIMES = st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
MOBILES = st.builds(
    lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)
)
_REGIONS = ["110101", "310104", "410102", "410105", "410122", "410225", "410702", "411102", "420106", "440305"]
ID_CARDS = st.builds(
    lambda region, born, seq: (first17 := f"{region}{born:%Y%m%d}{seq}") + forms.id_card_check_char(first17),
    st.sampled_from(_REGIONS),
    st.dates(date(1950, 1, 1), date(2010, 12, 31)),
    st.text("0123456789", min_size=3, max_size=3),
)
USER_IDS = st.from_regex(r"[A-Z0-9]{4,20}", fullmatch=True)

# Format name in a definition → (name in the rewritten schema, strategy).
CAMPUS_FORMATS: dict[str, tuple[str, st.SearchStrategy[str]]] = {
    "date": ("campus-date", DATES),
    "time": ("campus-time", TIMES),
    "cn-mobile": ("cn-mobile", MOBILES),
    "cn-id-card": ("cn-id-card", ID_CARDS),
    "campus-user-id": ("campus-user-id", USER_IDS),
}


# -- reading a definition ----------------------------------------------------------------------------------
def profile_value(profile: dict[str, Any], source: str) -> str:
    """What a client fills a read-only field with (the kiosk's form_fields.profile_value)."""
    if source == "today":
        return date.today().isoformat()
    if source in profile:
        return str(profile[source] or "")
    return str(profile.get(source.removeprefix("profile."), "") or "")


def part_fields(definition: dict[str, Any], step: str | None) -> list[str]:
    """The fields a client sends for a part: its sections' fields without the server-filled ones."""
    return [
        name
        for name in forms.step_fields(definition, step)
        if forms.field_ui(definition, name).get("source") not in forms.SERVER_SOURCES
    ]


def _readonly_values(definition: dict[str, Any], profile: dict[str, Any], step: str | None) -> dict[str, str]:
    out = {}
    for name in part_fields(definition, step):
        hints = forms.field_ui(definition, name)
        # Read-only fields, and the typed ones the school's records fill when they hold the value (身份证号).
        if hints.get("widget") == "readonly" or forms.locked_by_profile(hints):
            value = profile_value(profile, str(hints.get("source")))
            if value:
                out[name] = value
    return out


def _leaf(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """from_schema for a value that is not an object: plain text becomes a readable-text format and the campus
    formats get their strategies (for from_schema a custom format is a name and a strategy)."""
    formats: dict[str, st.SearchStrategy[str]] = {}

    def rewrite(sub: dict[str, Any]) -> dict[str, Any]:
        if sub.get("type") != "string" or "enum" in sub or "const" in sub:
            return sub
        fmt = sub.get("format")
        if fmt in CAMPUS_FORMATS:
            name, strategy = CAMPUS_FORMATS[fmt]
            formats[name] = strategy
            return {**sub, "format": name}
        if fmt is None and "pattern" not in sub:
            low, high = sub.get("minLength", 0), min(sub.get("maxLength", TEXT_CAP), TEXT_CAP)
            name = f"readable-{low}-{high}"
            formats[name] = readable_text(low, high)
            return {"type": "string", "format": name}
        return sub

    out = rewrite(schema)
    if isinstance(out.get("items"), dict):
        out = {**out, "items": rewrite(out["items"])}
    return from_schema(out, custom_formats=formats)


def _strategy(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Objects (a date range, an attachment) are put together here, everything else drawn by from_schema.
    (hypothesis-jsonschema 0.23.1 draws objects with a Hypothesis internal, `many.more()`, that Hypothesis
    6.170 no longer has: its object strategy fails with AttributeError.)"""
    if schema.get("type") == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: _strategy(v) for k, v in properties.items() if k in required},
            optional={k: _strategy(v) for k, v in properties.items() if k not in required},
        )
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict) and items.get("type") == "object":
        return st.lists(_strategy(items), min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", 5))
    return _leaf(schema)


def _decimal(value: float, step: Any) -> float:
    """The nearest multiple of `step` written as a person writes it (0.07, not 0.07000000000000001)."""
    unit = Fraction(repr(step))
    return float(round(Fraction(repr(value)) / unit) * unit)


def _tidy(definition: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """What from_schema cannot say: amounts have at most the allowed decimals, a date range runs forwards."""
    props = definition["schema"]["properties"]
    for name, value in data.items():
        prop = props[name]
        if prop.get("type") == "number" and "multipleOf" in prop and isinstance(value, float):
            tidy = _decimal(value, prop["multipleOf"])
            data[name] = tidy if prop.get("minimum", tidy) <= tidy <= prop.get("maximum", tidy) else value
        elif forms.field_ui(definition, name).get("widget") == "daterange" and isinstance(value, dict):
            start, end = sorted([value["start"], value["end"]])
            data[name] = {"start": start, "end": end}
    return data


# -- valid data ------------------------------------------------------------------------------------------------
def valid_data(
    definition: dict[str, Any], profile: dict[str, Any], step: str | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Data of one part (the applicant's when step is None) that `forms.validate(definition, data, step)` accepts."""
    schema = definition["schema"]
    fixed = _readonly_values(definition, profile, step)
    required = set(schema.get("required", [])) | set(fixed)
    mandatory: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name in part_fields(definition, step):
        hints = forms.field_ui(definition, name)
        if hints.get("widget") == "readonly" or (forms.locked_by_profile(hints) and name in fixed):
            if name in fixed:
                mandatory[name] = st.just(fixed[name])
            continue
        strategy = _strategy(schema["properties"][name])
        (mandatory if name in required else optional)[name] = strategy
    return st.fixed_dictionaries(mandatory, optional=optional).map(lambda data: _tidy(definition, dict(data)))


# -- invalid data ------------------------------------------------------------------------------------------
MISSING = object()  # "leave the field out"

_BAD_FORMATS: dict[str, list[str]] = {
    "date": ["2022-02-30", "2022/08/25", "20220825", "明天", "2022-13-01", "2022-8-5", "2022-08-25\n"],
    "time": ["24:00", "9:30", "12:60", "中午", "12:30:00", "1230", "12:30\n"],
    "cn-mobile": ["12345678901", "1380013800", "138001380000", "23800138000", "1380013800a", "13800138000\n"],
    "campus-user-id": ["ab12", "2022-0101", "ABC", "学号2022", "A" * 21, "2022 0101"],
}


def _wrong_check_char(id_card: str) -> st.SearchStrategy[str]:
    return st.sampled_from([c for c in ID_CHECK_CHARS if c != id_card[17]]).map(lambda c: id_card[:17] + c)


def _bad_format(fmt: str) -> st.SearchStrategy[Any]:
    if fmt == "cn-id-card":
        bad_birth = st.sampled_from(["41010220230230123", "41010219000229123", "41010221000101123"])
        return st.one_of(
            ID_CARDS.flatmap(_wrong_check_char),  # the check character does not match
            bad_birth.map(lambda first17: first17 + forms.id_card_check_char(first17)),  # no such birth date
            ID_CARDS.map(lambda v: v[:17]),  # 17 characters
            st.just("41010219900307123x"),  # a lower-case x
        )
    if fmt in _BAD_FORMATS:
        return st.sampled_from(_BAD_FORMATS[fmt])
    return st.nothing()


def _not_matching(pattern: str) -> st.SearchStrategy[str]:
    rx = re.compile(pattern)
    return st.one_of(st.just("!!!"), readable_text(1, 20)).filter(lambda s: not rx.search(s))


def _too_long(limit: int, prefix: str = "") -> st.SearchStrategy[str]:
    return st.integers(1, 5).map(lambda extra: prefix + "字" * (limit - len(prefix) + extra))


def _bad_number(prop: dict[str, Any]) -> list[st.SearchStrategy[Any]]:
    low, high = prop.get("minimum"), prop.get("maximum")
    out: list[st.SearchStrategy[Any]] = [st.sampled_from(["十二", "abc", True, [1]])]  # not a number
    if low is not None:
        out.append(st.just(low - 1))
    if high is not None:
        out.append(st.just(high + 1))
    if prop["type"] == "integer":
        out.append(st.just((low if low is not None else 0) + 0.5))
    elif "multipleOf" in prop:
        unit = Fraction(repr(prop["multipleOf"]))
        start = Fraction(repr(low if low is not None else 0))
        odd = float(start + unit / 3)  # between two multiples
        if high is None or odd <= high:
            out.append(st.just(odd))
    return out


def _attachment_item() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "name": readable_text(1, 40).map(lambda s: s + ".pdf"),
            "size": st.integers(1, 20 * 1024 * 1024),
            "sha256": st.text("0123456789abcdef", min_size=64, max_size=64),
        }
    )


def _bad_values(definition: dict[str, Any], name: str) -> st.SearchStrategy[Any]:
    """Values that make `name` invalid (MISSING: leave it out)."""
    prop = definition["schema"]["properties"][name]
    hints = forms.field_ui(definition, name)
    widget = hints.get("widget")
    required = forms.is_required(definition, name)
    kind = prop.get("type")
    out: list[st.SearchStrategy[Any]] = []
    if required:
        out.append(st.just(MISSING))
    if kind == "string":
        out.append(st.sampled_from([12345, ["文字"], None]))  # not text
        if required:
            out.append(st.sampled_from([" ", "   ", "\u3000"]))  # only spaces (全角 too)
        elif prop.get("minLength"):
            out.append(st.just(""))
        if "enum" in prop:
            enum = prop["enum"]
            out.append(readable_text(1, 10).filter(lambda s: s not in enum))
        if "format" in prop:
            out.append(_bad_format(prop["format"]))
        if "pattern" in prop:
            out.append(_not_matching(prop["pattern"]))
        if "maxLength" in prop:
            prefix = "data:image/png;base64," if widget == "signature" else ""
            out.append(_too_long(prop["maxLength"], prefix))
    elif kind in ("number", "integer"):
        out.extend(_bad_number(prop))
    elif kind == "array":
        out.append(st.sampled_from(["选项", {"a": 1}]))
        items = prop.get("items", {})
        if "enum" in items:
            enum = items["enum"]
            out.append(readable_text(1, 10).filter(lambda s: s not in enum).map(lambda s: [s]))
            out.append(st.sampled_from(enum).map(lambda v: [v, v]))  # the same choice twice
        if prop.get("minItems"):
            out.append(st.just([]))
        if items.get("type") == "object":  # an attachment
            out.append(_attachment_item().map(lambda item: [{k: v for k, v in item.items() if k != "sha256"}]))
            out.append(_attachment_item().map(lambda item: [{**item, "sha256": item["sha256"][:40]}]))
            if "maxItems" in prop:
                out.append(st.lists(_attachment_item(), min_size=prop["maxItems"] + 1, max_size=prop["maxItems"] + 2))
    elif kind == "object":  # a date range
        out.append(st.sampled_from(["2024-03-01", ["2024-03-01", "2024-03-05"]]))
        out.append(
            st.tuples(DATES, DATES)
            .filter(lambda pair: pair[0] != pair[1])
            .map(lambda pair: {"start": max(pair), "end": min(pair)})  # ends before it starts
        )
        out.append(DATES.map(lambda d: {"start": d}))
        out.append(DATES.map(lambda d: {"start": d, "end": "2024-02-30"}))
        out.append(DATES.map(lambda d: {"start": d, "end": d, "days": 1}))
    return st.one_of(out)


def invalid_data(
    definition: dict[str, Any], profile: dict[str, Any], step: str | None = None
) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """(data, field): valid data of the part with exactly `field` made invalid (left out though required, the
    wrong format, out of range, not one of the options, too long, only spaces, …)."""
    names = part_fields(definition, step)

    def spoil(data: dict[str, Any], name: str) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
        def apply(bad: Any) -> tuple[dict[str, Any], str]:
            out = {k: v for k, v in data.items() if k != name}
            if bad is not MISSING:
                out[name] = bad
            return out, name

        return _bad_values(definition, name).map(apply)

    return st.tuples(valid_data(definition, profile, step), st.sampled_from(names)).flatmap(lambda t: spoil(*t))
