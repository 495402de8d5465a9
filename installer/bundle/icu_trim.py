"""A smaller ICU data library for the bundle: libicudata.so.NN keeps only the ICU data Qt can reach here.

PySide6's libicudata.so.73 is 31 MB: one symbol, `icudt73_dat`, holding ICU's "common data" archive (3,921
items: every locale's names of languages, regions, currencies, units and time zones, transliterators, number
spelling rules, collation for every language, word-break dictionaries for Thai, Khmer, Lao, Burmese and CJK).
Qt 6 uses ICU for QCollator / localeAwareCompare, for QStringConverter's non-UTF codecs and for QLocale's case
mapping; text boundaries and time zones use Qt's own code and the system's tz database. So the bundle keeps:
the codec tables (all of them: a desk PC may open a GBK or Big5 file), normalization, the properties files,
the locale-independent resources (likely subtags, supplemental data, metadata, zoneinfo), and for root, zh*
and en* only: the locale data, collation (with the UCA table) and the break-iterator rules. It drops the
display-name trees, transliteration, RBNF, other languages' collation and locale data, and the word-break
dictionaries (ICU's break iterator is not used by Qt's text layout). An item ICU does not find makes it fall
back to root, never crash.

The archive is rebuilt item by item (same header, a new table of contents, items 16-byte aligned as ICU's
pkgdata writes them) and wrapped into a shared object with binutils' `as` and `ld` (`.incbin`), exporting the
same symbol under the same soname. `python -m installer.bundle.icu_trim LIB OUT` does it by hand.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LANGS = ("root", "zh", "en")  # locale prefixes kept: zh, zh_Hans, zh_Hans_CN…, en, en_US…
# Subtrees that are display names or features Qt does not call (see the module docstring).
DROPPED_TREES = ("curr", "lang", "region", "unit", "zone", "translit", "rbnf")


def _symbol(lib: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the icudtNN_dat symbol."""
    syms = subprocess.run(["readelf", "-sW", "--dyn-syms", str(lib)], capture_output=True, text=True, check=True)
    for line in syms.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 8 and re.fullmatch(r"icudt\d+_dat", parts[7]):
            name, vaddr, size = parts[7], int(parts[1], 16), int(parts[2], 0)
            break
    else:
        raise ValueError(f"{lib}: no icudtNN_dat symbol")
    sections = subprocess.run(["readelf", "-SW", str(lib)], capture_output=True, text=True, check=True).stdout
    for line in sections.splitlines():
        m = re.search(r"\]\s+\S+\s+\S+\s+([0-9a-f]{8,16})\s+([0-9a-f]{6,})\s+([0-9a-f]{6,})", line)
        if m:
            addr, off, sz = (int(g, 16) for g in m.groups())
            if addr <= vaddr < addr + sz:
                return name, off + (vaddr - addr), size
    raise ValueError(f"{lib}: no section holds {name}")


def read_items(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split an ICU common-data archive ("CmnD") into its header and (name, bytes) items, in table order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data archive")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_at:end]))
    return blob[:header_size], items


def write_items(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    count = len(items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    first_name = 4 + 8 * count
    data_start = (first_name + len(names) + 15) & ~15
    entries, chunks, name_at, data_at = [], [], first_name, data_start
    for name, data in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = data + b"\0" * (-len(data) % 16)
        chunks.append(padded)
        data_at += len(padded)
    toc = struct.pack("<I", count) + b"".join(entries) + names
    toc += b"\0" * (data_start - len(toc))
    return header + toc + b"".join(chunks)


def wanted(name: str) -> bool:
    parts = name.split("/")[1:]  # drop the package name, icudt73l
    leaf = parts[-1]
    if len(parts) > 1 and parts[0] in DROPPED_TREES:
        return False
    if leaf.endswith(".dict"):
        return False
    if not leaf.endswith(".res") or leaf in ("res_index.res", "pool.res"):
        return True
    stem = leaf[: -len(".res")]
    if len(parts) == 1 and not re.fullmatch(r"[a-z]{2,3}(_\w+)?", stem):
        return True  # likelySubtags, supplementalData, metadata, zoneinfo64, …: not a locale
    return stem == "root" or stem.split("_")[0] in LANGS


def trim(lib: Path, out: Path) -> dict[str, int]:
    symbol, offset, size = _symbol(lib)
    blob = lib.read_bytes()[offset : offset + size]
    header, items = read_items(blob)
    kept = [item for item in items if wanted(item[0])]
    data = write_items(header, kept)
    soname = lib.name
    with tempfile.TemporaryDirectory(prefix="icu-trim-") as tmp:
        dat = Path(tmp) / "icudt.dat"
        dat.write_bytes(data)
        asm = Path(tmp) / "icudt.s"
        asm.write_text(
            f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n"
            f'\t.incbin "{dat}"\n\t.size {symbol}, .-{symbol}\n\t.section .note.GNU-stack,"",@progbits\n'
        )
        obj = Path(tmp) / "icudt.o"
        subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(out), str(obj)], check=True)
    return {
        "items": len(items),
        "kept": len(kept),
        "bytes_before": lib.stat().st_size,
        "bytes_after": out.stat().st_size,
    }


if __name__ == "__main__":
    print(trim(Path(sys.argv[1]), Path(sys.argv[2])))
