"""The font certificates are set in: Noto Serif CJK SC, embedded and subset by fpdf2.

fpdf2 reads the whole font at every document: the full Noto Serif CJK collection (5 fonts, 65,535 glyphs each)
costs ~3 s to load and ~2.5 s to subset per document. So the first use makes a reduced font once — the SC face
cut down to GB 2312 (the 6,763 common hanzi), Latin, CJK and full-width punctuation — and keeps it in the cache
directory; a document then renders in ~0.25 s. A name or address with a character outside it (a rare 生僻字)
makes that document fall back to the full face: slower, still right.

CAMPUS_SYNC_CERT_FONT names another OpenType/TrueType font (or .ttc, with CAMPUS_SYNC_CERT_FONT_INDEX).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

import platformdirs

NOTO_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
)
SC_INDEX = 2  # the collection's faces: JP, KR, SC, TC, HK
REDUCED_VERSION = "1"  # bump when the character set below changes


class FontMissing(RuntimeError):
    pass


def source_font() -> tuple[Path, int]:
    configured = os.environ.get("CAMPUS_SYNC_CERT_FONT")
    if configured:
        return Path(configured), int(os.environ.get("CAMPUS_SYNC_CERT_FONT_INDEX", "0"))
    for candidate in NOTO_PATHS:
        if Path(candidate).exists():
            return Path(candidate), SC_INDEX
    raise FontMissing("Noto Serif CJK is not installed (Debian: fonts-noto-cjk)")


def reduced_charset() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    for block in (
        (0x2000, 0x206F),
        (0x2100, 0x214F),
        (0x2160, 0x2188),
        (0x2190, 0x21FF),
        (0x2460, 0x24FF),
        (0x25A0, 0x25FF),
        (0x3000, 0x303F),
        (0xFF00, 0xFFEF),
    ):
        chars |= set(range(block[0], block[1] + 1))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _cache_dir() -> Path:
    configured = os.environ.get("CAMPUS_SYNC_CERT_FONT_CACHE")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_cache_dir("campus-sync-server", appauthor=False)) / "cert-fonts"


def reduced_font() -> Path:
    """The reduced font's path, made on first use (one process makes it; the others wait on the lock)."""
    source, index = source_font()
    stat = source.stat()
    key = hashlib.sha256(f"{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{REDUCED_VERSION}".encode()).hexdigest()
    cache = _cache_dir()
    target = cache / f"cert-font-{key[:16]}.otf"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / "cert-font.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            from fontTools import subset
            from fontTools.ttLib import TTFont

            font = TTFont(str(source), fontNumber=index, lazy=False)
            options = subset.Options()
            options.name_IDs = ["*"]
            options.layout_features = []
            options.hinting = False
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=reduced_charset())
            subsetter.subset(font)
            partial = target.with_suffix(f".{os.getpid()}.part")
            font.save(str(partial))
            partial.replace(target)
    return target


_COVERAGE: dict[Path, frozenset[int]] = {}


def covers(path: Path, text: str) -> bool:
    """Whether the font at `path` has every character of `text`."""
    if path not in _COVERAGE:
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            _COVERAGE[path] = frozenset(font.getBestCmap())
    have = _COVERAGE[path]
    return all(ord(c) in have or c in "\n\r\t" for c in text)
