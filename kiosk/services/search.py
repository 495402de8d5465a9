"""Search and A–Z grouping of the hall's processes by Chinese text, full pinyin, initials or a mix of both.

Build a `SearchIndex` once per catalog, off the GUI thread: pypinyin is imported then (~0.15 s, once per
process) and converting a name costs ~50 µs; the 64 real processes take ~6 ms, 5,000 take ~0.5–0.8 s on the
2-core development VM (bench/bench_search.py). `search()` is then cheap enough for every keystroke on the GUI
thread (median ~0.4 ms at 5,000 processes; the budget is 16 ms) and never calls pypinyin. The index is
immutable after construction, so it may be built on one thread and searched from another.

Normalisation, the same on both sides: NFKC (full-width → half-width), case-folded, whitespace dropped. For
pinyin the query's tone marks are dropped and ü (also written with tone marks) becomes v, as pypinyin writes it
(绿 → lv); apostrophes used as syllable separators (xi'an) are ignored.

Pinyin of a name: pypinyin's phrase-aware conversion of each run of Han characters as a whole (Style.NORMAL,
heteronym=False), so polyphones are read in context: 调课 → diaoke but 调整 → tiaozheng, 银行 → yinhang but
行政 → xingzheng, 重修 → chongxiu, 长期 → changqi. Initials are the first letter of each syllable, which is
exactly what Style.FIRST_LETTER returns, without converting the name a second time. Latin letters and digits
in a name are units of their own; punctuation is skipped by pinyin matching (学生证、火车票 matches
xueshengzhenghuoche) but still matches literally.

A pinyin query matches a run of consecutive units of which each contributes a non-empty prefix of its
syllable, the last one possibly incomplete. That one rule covers full pinyin (xiuxue → 休学), initials
(zzy → 转专业), mixed (zhuanzy → 转专业) and partial pinyin (xiux → 休学).

Ranking, best first (`Hit.score`, `Hit.kind`):

    100 exact             the normalised name equals the query
     90 prefix            the name starts with the query (Chinese or other literal text)
     80 substring         the name contains the query
     70 pinyin_prefix     the name's full pinyin starts with the query (xiuxue, xiux)
     60 initials_prefix   initials or mixed pinyin from the first character (zzy, zhuanzy)
     50 pinyin            full, initial or mixed pinyin starting at a later character (shenpi, sp)
     30 department        the department's short or full name, literally or in pinyin (教务处, jiaowu, jwc)
     20 description       the description contains the query (literal text only: no pinyin)

Within a score: shorter name first, then catalog order. There is no popularity boost: the hall page shows
推荐服务 and 热门服务 separately, and a ranking that does not depend on usage is one a user can learn.

Highlight spans (`Hit.spans`) are [start, end) ranges of characters of the original name (Python string
indices), for the name-matching kinds only; department and description hits have none.

Why it is fast (no per-keystroke loop over the catalog in Python): the normalised names, their syllables
('|zhuan|zhuan|ye|…'), their joined full pinyin and the descriptions are each concatenated into one string,
a line per process, in rank order (name length, then catalog order). Each kind of match is one regular
expression or substring scan over such a string, done in C; the scans run best kind first and stop as soon as
`limit` processes are found, and because lines are in rank order the hits of one kind come out already sorted.
Python work per keystroke is therefore proportional to `limit`, not to the catalog.

`group_az()` groups processes under the pinyin initial of the first character of the name, read in the
context of the whole name (调课申请 under D, 调整… under T); names that do not begin with a Han character go
under "#" at the end.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from heapq import merge
from typing import Any, Final, Literal

__all__ = ["Hit", "SearchIndex", "group_az", "markup"]

EXACT: Final = 100
PREFIX: Final = 90
SUBSTRING: Final = 80
PINYIN_PREFIX: Final = 70
INITIALS_PREFIX: Final = 60
PINYIN: Final = 50
DEPARTMENT: Final = 30
DESCRIPTION: Final = 20

Kind = Literal[
    "exact", "prefix", "substring", "pinyin_prefix", "initials_prefix", "pinyin", "department", "description"
]
_Candidate = tuple[int, int, Kind, int, int]  # rank, score, kind, start, end (see SearchIndex._candidates)

# Readings of words in our catalog that pypinyin gets wrong, in its load_phrases_dict format (one list of
# tone-marked readings per character). Every one of the 64 names of sync_server/seed/processes.json and every
# department name was checked by eye against the dictionary readings (2026-11, pypinyin 0.55): all are right,
# including the polyphones 调换/调取/调岗/调班 (diào), 调整 (tiáo), 处分/处理 (chǔ), 教务处 (chù), 差错 (chā),
# 宿舍 (sùshè), 销假 (xiāojià), 卡 (kǎ), 通行证/大型 (xíng), 单 (dān), 的 (de). So the table is empty; add a
# word here only with the name it fixes, and extend the golden readings in tests/kiosk/test_search.py.
PHRASE_OVERRIDES: Final[dict[str, list[list[str]]]] = {}

_overrides_loaded = False
_overrides_lock = threading.Lock()

_SPLIT_APOSTROPHES = str.maketrans("", "", "'’‘")
_PINYIN_QUERY = re.compile(r"[a-z0-9]+")


# --- normalisation ----------------------------------------------------------------------------------------------


def _is_han(ch: str) -> bool:
    # CJK unified ideographs with extension A and the supplementary planes' extensions, and 〇; compatibility
    # ideographs need no range of their own: NFKC has already mapped them to unified ones.
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch <= "\U0003134f" or ch == "〇"


_FOLDED: dict[str, str] = {}  # character → its normalised form; a catalog uses a few thousand distinct ones
_FOLDED_MAX = 50_000  # a query of arbitrary characters must not grow the cache without bound


def _fold_char(ch: str) -> str:
    folded = _FOLDED.get(ch)
    if folded is None:
        folded = "".join(c for c in unicodedata.normalize("NFKC", ch).casefold() if not c.isspace())
        if len(_FOLDED) < _FOLDED_MAX:
            _FOLDED[ch] = folded  # one dict store; safe without a lock under the GIL
    return folded


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC, case-folded, whitespace dropped; with the index in `text` of each character of the result.

    Character by character, so every normalised character can be traced back to the one it came from (NFKC may
    expand one into several, ㈠ → (一)). On both the names and the query, so both sides agree.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        if len(folded) == 1:
            chars.append(folded)
            origin.append(index)
        elif folded:
            chars.extend(folded)
            origin.extend([index] * len(folded))
    return "".join(chars), origin


def _fold_latin(text: str) -> str:
    """Tone marks off, ü → v (ǚ, ü, u + combining diaeresis alike), apostrophes off: how pypinyin spells it."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text.translate(_SPLIT_APOSTROPHES)):
        if unicodedata.combining(ch):
            if ch == "\u0308" and out and out[-1] == "u":
                out[-1] = "v"
            continue
        out.append(ch)
    return "".join(out)


def _load_overrides() -> None:
    global _overrides_loaded
    with _overrides_lock:
        if not _overrides_loaded:
            if PHRASE_OVERRIDES:
                from pypinyin import load_phrases_dict

                load_phrases_dict(PHRASE_OVERRIDES)
            _overrides_loaded = True


def _syllables(run: str) -> list[str]:
    """Toneless pinyin of a run of Han characters, one syllable per character, read as phrases in context."""
    # Imported here, not at module level: the kiosk's start-up path must not load pypinyin's ~0.15 s of
    # dictionaries (tests/kiosk/test_startup_imports.py); the index is built on a worker thread.
    from pypinyin import Style, lazy_pinyin

    result = lazy_pinyin(run, style=Style.NORMAL, errors="default")
    if len(result) == len(run):
        return [s if s.isascii() and s.isalpha() else "" for s in result]
    # A character pypinyin has no reading for comes back fused with its neighbours; fall back to one character
    # at a time for this (rare) run, and give the unknown characters no syllable.
    single = [lazy_pinyin(ch, style=Style.NORMAL, errors="default")[0] for ch in run]
    return [s if s.isascii() and s.isalpha() else "" for s in single]


@dataclass(frozen=True, slots=True)
class _Analysis:
    """One text as the matchers see it."""

    text: str  # normalised (NFKC, case-folded, no whitespace)
    origin: list[int]  # origin[i]: index in the original string of text[i]
    syllables: list[str]  # one per unit: a Han character's toneless pinyin, or a Latin letter or digit
    unit_pos: list[int]  # unit_pos[u]: index in `text` of unit u

    @property
    def py_line(self) -> str:
        """'|zhuan|zhuan|ye|…': a unit per '|', the form the pinyin pattern expects."""
        return "".join("|" + s for s in self.syllables)

    @property
    def full(self) -> str:
        return "".join(self.syllables)

    @property
    def initials(self) -> str:
        return "".join(s[0] for s in self.syllables)


def _analyse(original: str) -> _Analysis:
    text, origin = _normalise(original)
    syllables: list[str] = []
    unit_pos: list[int] = []
    i = 0
    while i < len(text):
        if _is_han(text[i]):
            j = i
            while j < len(text) and _is_han(text[j]):
                j += 1
            for k, syllable in enumerate(_syllables(text[i:j]), start=i):
                if syllable:
                    syllables.append(syllable)
                    unit_pos.append(k)
            i = j
            continue
        folded = _fold_latin(text[i])
        if folded.isascii() and folded.isalnum():
            syllables.append(folded)
            unit_pos.append(i)
        i += 1
    return _Analysis(text, origin, syllables, unit_pos)


def _runs(indices: Iterator[int] | list[int]) -> tuple[tuple[int, int], ...]:
    """Sorted character indices → maximal [start, end) ranges."""
    spans: list[tuple[int, int]] = []
    for index in sorted(set(indices)):
        if spans and spans[-1][1] == index:
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return tuple(spans)


def _pinyin_pattern(query: str) -> str:
    """The unit-prefix rule as a regular expression over '|'-separated syllables (see the module docstring).

    Each query character after the first either continues the current syllable or, after skipping what is
    left of it (possessively: nothing else could match there), starts the next one. Lines are separated by
    '\\n', which the skip cannot cross.
    """
    parts = ["\\|", re.escape(query[0])]
    for ch in query[1:]:
        c = re.escape(ch)
        parts.append(f"(?:{c}|[^|\\n]*+\\|{c})")
    return "".join(parts)


# --- the index --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One process found: why (`kind`, `score`, see the module docstring) and what of its name to highlight."""

    code: str
    score: int
    spans: tuple[tuple[int, int], ...]  # [start, end) character ranges of the name to highlight
    kind: Kind


class _Lines:
    """Texts joined into one string, each line led by a newline, so that one scan in C covers them all.

    The leading newline turns "starts with X" into the plain search for "\nX": str.find and the regular
    expression engine's literal-prefix search are fast, where a `(?m)^X` pattern is tried at every position
    (~1 ms per scan at 5,000 lines, several scans per keystroke).
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.starts: list[int] = []  # offset of the newline that leads each line
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line) + 1
        self.blob = "".join("\n" + line for line in lines)

    def line_of(self, position: int) -> int:
        return bisect_right(self.starts, position) - 1

    def offset_in_line(self, line: int, position: int) -> int:
        return position - self.starts[line] - 1

    def starting_with(self, prefix: str) -> Iterator[int]:
        """The lines that start with `prefix`, in order."""
        needle, position = "\n" + prefix, 0
        while (found := self.blob.find(needle, position)) >= 0:
            yield self.line_of(found)
            position = found + 1

    def containing(self, text: str) -> Iterator[tuple[int, int]]:
        """(line, offset in it) of the first occurrence of `text` in each line that has one, in order."""
        # One hit per line is enough (the first, for the highlight): the search resumes at the next line.
        blob, starts, position = self.blob, self.starts, 0
        while (found := blob.find(text, position)) >= 0:
            line = bisect_right(starts, found) - 1
            yield line, found - starts[line] - 1
            position = starts[line + 1] if line + 1 < len(starts) else len(blob)


@dataclass(frozen=True, slots=True)
class _Department:
    texts: tuple[str, ...]  # normalised short and full names
    py_lines: tuple[str, ...]
    members: tuple[int, ...]  # ranks of its processes, ascending


class SearchIndex:
    """The catalog, analysed once; `search()` per keystroke. Build it off the GUI thread."""

    def __init__(self, processes: Sequence[dict[str, Any]]) -> None:
        _load_overrides()
        # Rank = position in (name length, catalog order): every scan walks the lines in this order, so hits of
        # one kind are found already in their final order.
        order = sorted(range(len(processes)), key=lambda i: (len(processes[i]["name"]), i))
        self._codes: list[str] = [str(processes[i]["code"]) for i in order]
        self._names: list[str] = [str(processes[i]["name"]) for i in order]
        self._catalog_index: list[int] = order
        self._analyses: list[_Analysis] = [_analyse(name) for name in self._names]

        self._exact: dict[str, list[int]] = {}
        for rank, analysis in enumerate(self._analyses):
            self._exact.setdefault(analysis.text, []).append(rank)
        self._text = _Lines([a.text for a in self._analyses])
        self._longest_text = max((len(a.text) for a in self._analyses), default=0)
        self._py = _Lines([a.py_line for a in self._analyses])
        self._full = _Lines([a.full for a in self._analyses])
        self._desc = _Lines([_normalise(str(processes[i].get("description") or ""))[0] for i in order])
        # No match can be longer than the longest pinyin it could match; longer queries skip the pinyin scans
        # (and a pathological 10,000-character query never becomes a 10,000-group regular expression).
        self._longest_py = max((len(a.full) for a in self._analyses), default=0)

        by_department: dict[tuple[str, str], list[int]] = {}
        for rank, i in enumerate(order):
            short = str(processes[i].get("department") or "")
            full = str(processes[i].get("department_name") or short)
            by_department.setdefault((short, full), []).append(rank)
        self._departments: list[_Department] = []
        for (short, full), members in by_department.items():
            names = [short] if short == full else [short, full]
            analyses = [_analyse(n) for n in names if n]
            self._departments.append(
                _Department(tuple(a.text for a in analyses), tuple(a.py_line for a in analyses), tuple(members))
            )
            self._longest_py = max([self._longest_py, *(len(a.full) for a in analyses)])

    def __len__(self) -> int:
        return len(self._codes)

    # -- search ------------------------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The best `limit` processes for `query`, best first; [] for a query with nothing to match."""
        q, _ = _normalise(query)
        if not q or limit <= 0:
            return []
        py = _fold_latin(q)
        pinyin_query = py if len(py) <= self._longest_py and _PINYIN_QUERY.fullmatch(py) else None
        hits: list[Hit] = []
        seen: set[int] = set()
        for rank, score, kind, start, end in self._candidates(q, pinyin_query):
            if rank in seen:
                continue
            seen.add(rank)
            hits.append(Hit(self._codes[rank], score, self._spans(rank, kind, start, end), kind))
            if len(hits) >= limit:
                break
        return hits

    def _candidates(self, q: str, py: str | None) -> Iterator[_Candidate]:
        """(rank, score, kind, start, end) best kind first, in rank order within a kind; lazily, so the caller
        stops the scans once it has enough. start/end locate the match in the line the kind scans."""
        for rank in self._exact.get(q, ()):
            yield rank, EXACT, "exact", 0, len(q)
        if len(q) <= self._longest_text:
            for rank in self._text.starting_with(q):
                yield rank, PREFIX, "prefix", 0, len(q)
            for rank, offset in self._text.containing(q):
                yield rank, SUBSTRING, "substring", offset, offset + len(q)
        if py is not None:
            for rank in self._full.starting_with(py):
                yield rank, PINYIN_PREFIX, "pinyin_prefix", 0, len(py)
            pattern = _pinyin_pattern(py)
            for m in re.finditer("\n" + pattern, self._py.blob):
                yield self._located(m, INITIALS_PREFIX, "initials_prefix", lead=1)
            for m in re.finditer(pattern, self._py.blob):
                yield self._located(m, PINYIN, "pinyin", lead=0)
        yield from self._department_hits(q, py)
        for rank, offset in self._desc.containing(q):
            yield rank, DESCRIPTION, "description", offset, offset + len(q)

    def _located(self, m: re.Match[str], score: int, kind: Kind, lead: int) -> _Candidate:
        # `lead`: characters of the match before the line's own text (the newline of an anchored pattern).
        line = self._py.line_of(m.start())
        start = self._py.offset_in_line(line, m.start() + lead)
        return line, score, kind, start, start + m.end() - m.start() - lead

    def _department_hits(self, q: str, py: str | None) -> Iterator[_Candidate]:
        pattern = re.compile(_pinyin_pattern(py)) if py is not None else None
        matching = [
            d.members
            for d in self._departments
            if any(q in text for text in d.texts) or (pattern is not None and any(map(pattern.search, d.py_lines)))
        ]
        for rank in merge(*matching):
            yield rank, DEPARTMENT, "department", 0, 0

    def _spans(self, rank: int, kind: Kind, start: int, end: int) -> tuple[tuple[int, int], ...]:
        analysis = self._analyses[rank]
        if kind in ("exact", "prefix", "substring"):
            return _runs(analysis.origin[i] for i in range(start, end))
        if kind == "pinyin_prefix":
            # `end` counts letters of the joined pinyin: the units covered are those whose syllables the query
            # reaches into.
            covered, letters = 0, 0
            while letters < end:
                letters += len(analysis.syllables[covered])
                covered += 1
            return _runs(analysis.origin[analysis.unit_pos[u]] for u in range(covered))
        if kind in ("initials_prefix", "pinyin"):
            line = analysis.py_line
            first = line.count("|", 0, start + 1) - 1
            last = line.count("|", 0, end) - 1
            return _runs(analysis.origin[analysis.unit_pos[u]] for u in range(first, last + 1))
        return ()

    # -- A–Z ---------------------------------------------------------------------------------------------------

    def group_az(self) -> list[tuple[str, list[str]]]:
        """As the module-level `group_az`, from the analyses already made (catalog order breaks ties)."""
        entries = [
            (self._catalog_index[rank], self._codes[rank], self._names[rank], self._analyses[rank])
            for rank in range(len(self._codes))
        ]
        return _group(entries)


def _letter(analysis: _Analysis) -> str:
    # The first unit must be the first character and a Han one: a name that begins with a digit, a Latin letter
    # or punctuation (or a Han character pypinyin cannot read) goes under "#".
    if not analysis.unit_pos or analysis.unit_pos[0] != 0 or not _is_han(analysis.text[0]):
        return "#"
    letter = analysis.syllables[0][0].upper()
    return letter if "A" <= letter <= "Z" else "#"


def _group(entries: list[tuple[int, str, str, _Analysis]]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[tuple[tuple[str, ...], str, int, str]]] = {}
    for catalog_index, code, name, analysis in entries:
        # Syllable by syllable (xi, an before xian), as a dictionary orders; then the characters, then the catalog.
        key = (tuple(analysis.syllables), name, catalog_index, code)
        groups.setdefault(_letter(analysis), []).append(key)
    letters = sorted(k for k in groups if k != "#") + (["#"] if "#" in groups else [])
    return [(letter, [code for *_, code in sorted(groups[letter])]) for letter in letters]


def group_az(processes: Sequence[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Letters A–Z that occur, each with its processes' codes sorted by full pinyin; "#" last for names that do
    not begin with a Han character. The letter is the initial of the first character read in context: 调课申请
    under D, 调整… under T."""
    _load_overrides()
    return _group([(i, str(p["code"]), str(p["name"]), _analyse(str(p["name"]))) for i, p in enumerate(processes)])


def markup(name: str, spans: Sequence[tuple[int, int]], open_tag: str = "<b>", close_tag: str = "</b>") -> str:
    """The name as HTML-escaped rich text (QML Text.StyledText) with the spans wrapped in tags."""
    out: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, len(name))
        if start >= end:
            continue
        out += [html.escape(name[position:start]), open_tag, html.escape(name[start:end]), close_tag]
        position = end
    out.append(html.escape(name[position:]))
    return "".join(out)
