"""The font certificates are set in: Noto Serif CJK SC, embedded and subset by fpdf2.

fpdf2 reads the whole font at every document: the full Noto Serif CJK collection (5 fonts, 65,535 glyphs each)
costs ~3 s to load and ~2.5 s to subset per document. So the first use makes a reduced font once — the SC face
cut down to GB 2312 (the 6,763 common hanzi), Latin, CJK and full-width punctuation, with TrueType outlines —
and keeps it in the cache directory; a document then renders in ~0.3 s on an idle core. A name or address with
a character outside it (a rare 生僻字) makes that document fall back to the full face: slower, still right.

CAMPUS_SYNC_CERT_FONT names another OpenType/TrueType font (or .ttc, with CAMPUS_SYNC_CERT_FONT_INDEX).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import platformdirs

NOTO_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
)
SC_INDEX = 2  # the collection's faces: JP, KR, SC, TC, HK
REDUCED_VERSION = "3"  # bump when the character set below changes


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


def _target() -> Path:
    source, index = source_font()
    stat = source.stat()
    key = hashlib.sha256(f"{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{REDUCED_VERSION}".encode()).hexdigest()
    return _cache_dir() / f"cert-font-{key[:16]}.ttf"


_BUILDING: threading.Thread | None = None
_BUILD_LOCK = threading.Lock()


def reduced_font_if_ready() -> Path | None:
    """The reduced font when it is made; else None, and it is being made in the background (a certificate meanwhile
    uses the full face: ~5 s instead of waiting ~45 s for the reduced font, on a server's very first one)."""
    global _BUILDING
    target = _target()
    if target.exists():
        return target
    with _BUILD_LOCK:
        if _BUILDING is None or not _BUILDING.is_alive():
            _BUILDING = threading.Thread(target=reduced_font, name="cert-font", daemon=True)
            _BUILDING.start()
    return None


def reduced_font() -> Path:
    """The reduced font's path, made on first use (one process makes it; the others wait on the lock).
    `./run setup` makes it (`campus-sync-server cert-font`), so a test run or a fresh server finds it ready."""
    source, index = source_font()
    target = _target()
    cache = target.parent
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / "cert-font.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            font = _reduced_truetype(source, index)
            partial = target.with_suffix(f".{os.getpid()}.part")
            font.save(str(partial))
            partial.replace(target)
    return target


def _reduced_truetype(source: Path, index: int) -> Any:
    """The kept glyphs' CFF outlines drawn straight into TrueType quadratic ones (cu2qu, within 1/1000 em), then a
    glyf subset. Subsetting the CFF first (as version 2 did) interpreted every kept charstring twice more (glyph
    closure, unused-subroutine removal) and stripped hints that the conversion drops anyway: ~1.4× slower.
    TrueType because fpdf2 subsets glyf tables without running each glyph's charstring program: ~1.7× faster per
    document, ~10 % smaller PDFs. The layout tables (GSUB/GPOS…) and vertical metrics go: fpdf2 does no shaping."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source), fontNumber=index, lazy=True)
    if "CFF " not in font:
        raise FontMissing(f"{source} has no CFF outlines to reduce; name a TrueType font with CAMPUS_SYNC_CERT_FONT")
    cmap = font.getBestCmap()
    keep = {".notdef"} | {cmap[c] for c in reduced_charset() if c in cmap}
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    empty = TTGlyphPen(None).glyph()  # the glyphs the subset below drops: not worth drawing
    for name in order:
        if name in keep:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf[name] = pen.glyph()
        else:
            glyf[name] = empty
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=sorted(keep))
    subsetter.subset(font)
    return font


_COVERAGE: dict[Path, frozenset[int]] = {}


def covers(path: Path, text: str) -> bool:
    """Whether the font at `path` has every character of `text`."""
    if path not in _COVERAGE:
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            _COVERAGE[path] = frozenset(font.getBestCmap())
    have = _COVERAGE[path]
    return all(ord(c) in have or c in "\n\r\t" for c in text)
