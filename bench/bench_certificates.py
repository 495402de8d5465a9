"""Certificates (issue 18): render time per document and PDF size, and the choice of PDF writer.

    .venv/bin/python bench/bench_certificates.py [--rounds 5]

Over a fresh demo database (seed-demo into a temp SQLite file), for each of the six certificate templates in
Chinese, English and both: `certificates.prepare` + `certificates_pdf.render` + `seal_file` — what 办结 runs —
timed `--rounds` times (median and max reported), and the PDF's size. Then the same 在读学籍证明 (zh) page three
ways, for the choice of writer (docs/certificates.md, "Rendering"):
  fpdf2-reduced   fpdf2 with the reduced Noto Serif CJK SC (GB 2312 cut, cached): the server's path;
  fpdf2-full      fpdf2 with the full Noto Serif CJK collection face, no reduced font;
  qt-qpdfwriter   QPdfWriter + QPainter drawing the same texts and QR code (Qt subsets and embeds the font).
Also the one-off cost of making the reduced font (in a temporary cache directory, so the real one is untouched).
Results as JSON in bench/results/certificates.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seeded(tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'bench.db'}"
    subprocess.run([sys.executable, "-m", "sync_server", "seed-demo", "--db", url], check=True, capture_output=True)
    return url


def documents(session, language: str):  # type: ignore[no-untyped-def]
    from sync_server.core import certificates_text as ctext
    from sync_server.models import Application, User
    from tests.server.test_certificates import CASES
    from tests.server.workflow_helpers import example

    for n, (code, (applicant, _, answers, handling)) in enumerate(CASES.items()):
        template = ctext.template_for(code)
        assert template is not None
        data = {**example(code, applicant, **answers), **handling}
        field = template.language_field or "_lang"
        template.language_field = field
        data[field] = {
            "transcript_type": {"中文": "中文成绩单", "英文": "英文成绩单", "中英文各一份": "中英文成绩单"}[language]
        }.get(field, language)
        app = Application(id=f"00000000-0000-0000-0000-0000000000{n:02d}", serial=93000 + n, process_code=code,
                          applicant_id=applicant, data=data)  # fmt: skip
        yield code, app, session.get(User, applicant), template


def render_one(session, app, user, template) -> bytes:  # type: ignore[no-untyped-def]
    from sync_server.core import certificates, certificates_pdf

    prepared = certificates.prepare(session, app, user, template, date(2026, 12, 5), "ABCDEFGHJKLMNPQR",
                                    datetime(2026, 12, 5, 2, tzinfo=UTC))  # fmt: skip
    return certificates.seal_file(certificates_pdf.render(prepared.layout))


def qt_render(layout, out: Path) -> float:  # type: ignore[no-untyped-def]
    """The same first page with Qt's PDF writer: header, title, body, issuer, QR code."""
    import qrcode
    from PySide6.QtCore import QMarginsF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

    _app = QGuiApplication.instance() or QGuiApplication([])
    page = layout.pages[0]
    started = time.perf_counter()
    writer = QPdfWriter(str(out))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(22, 18, 22, 18), QPageLayout.Unit.Millimeter))  # fmt: skip
    writer.setResolution(300)
    painter = QPainter(writer)
    mm = 300 / 25.4
    font = QFont("Noto Serif CJK SC")
    font.setPointSizeF(24)
    painter.setFont(font)
    painter.setPen(QColor(200, 22, 29))
    width = 166 * mm
    painter.drawText(QRectF(0, 0, width, 12 * mm), Qt.AlignmentFlag.AlignHCenter, layout.school)
    font.setPointSizeF(22)
    painter.setFont(font)
    painter.setPen(QColor(20, 20, 20))
    painter.drawText(QRectF(0, 30 * mm, width, 12 * mm), Qt.AlignmentFlag.AlignHCenter, page.title)
    font.setPointSizeF(13.5)
    painter.setFont(font)
    y = 50 * mm
    for text in page.body:
        rect = painter.boundingRect(QRectF(0, y, width, 200 * mm), Qt.TextFlag.TextWordWrap, "\u3000\u3000" + text)
        painter.drawText(rect, Qt.TextFlag.TextWordWrap, "\u3000\u3000" + text)
        y = rect.bottom() + 2 * mm
    for n, line in enumerate((page.issuer, page.school, page.date)):
        painter.drawText(QRectF(90 * mm, y + (16 + 8 * n) * mm, 70 * mm, 8 * mm), Qt.AlignmentFlag.AlignHCenter, line)
    code = qrcode.QRCode(border=0)
    code.add_data(layout.qr_text)
    matrix = code.get_matrix()
    image = QImage(len(matrix), len(matrix), QImage.Format.Format_Mono)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            image.setPixel(c, r, 0 if dark else 1)
    painter.drawImage(QRectF(0, 225 * mm, 30 * mm, 30 * mm), image)
    painter.drawText(QRectF(34 * mm, 226 * mm, 120 * mm, 6 * mm), 0, page.code_label)
    painter.end()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cert-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["CAMPUS_SYNC_CERT_KEY_FILE"] = str(tmp / "key.pem")
        from sync_server.core import certificates_fonts as fonts
        from sync_server.core import certificates_pdf
        from sync_server.db import Database

        # The box is shared: the load says how far these figures are from an idle machine's.
        results: dict[str, object] = {"load_average_at_start": os.getloadavg(), "cpus": os.cpu_count()}
        # The one-off cost: making the reduced font, in a cache of our own.
        os.environ["CAMPUS_SYNC_CERT_FONT_CACHE"] = str(tmp / "fonts")
        started = time.perf_counter()
        fonts.reduced_font()
        results["reduced_font_build_s"] = round(time.perf_counter() - started, 2)
        results["reduced_font_bytes"] = fonts.reduced_font().stat().st_size
        print(f"reduced font: made in {results['reduced_font_build_s']} s, {results['reduced_font_bytes']} bytes")

        db = Database(seeded(tmp))
        rows = []
        try:
            with db.transaction() as session:
                for language in ("中文", "英文", "中英文各一份"):
                    for code, app, user, template in documents(session, language):
                        times, size = [], 0
                        for _ in range(args.rounds):
                            started = time.perf_counter()
                            size = len(render_one(session, app, user, template))
                            times.append(time.perf_counter() - started)
                        row = {"process": code, "language": language, "median_s": round(statistics.median(times), 3),
                               "max_s": round(max(times), 3), "bytes": size}  # fmt: skip
                        rows.append(row)
                        print(f"{code:24} {language:8} median {row['median_s']:.3f} s  max {row['max_s']:.3f} s  "
                              f"{size / 1024:6.1f} KiB")  # fmt: skip
                results["documents"] = rows

                # The writers compared on one page.
                code, app, user, template = next(iter(documents(session, "中文")))
                from sync_server.core import certificates

                prepared = certificates.prepare(session, app, user, template, date(2026, 12, 5),
                                                "ABCDEFGHJKLMNPQR", datetime(2026, 12, 5, 2, tzinfo=UTC))  # fmt: skip
                layout = prepared.layout
                writers: dict[str, dict[str, float]] = {}
                times = []
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    data = certificates_pdf.render(layout)
                    times.append(time.perf_counter() - started)
                writers["fpdf2-reduced"] = {"median_s": round(statistics.median(times), 3), "bytes": len(data)}
                original = fonts.reduced_font_if_ready
                fonts.reduced_font_if_ready = lambda: None  # type: ignore[assignment]  # as before it is made
                times = []
                for _ in range(max(2, args.rounds // 2)):
                    started = time.perf_counter()
                    data = certificates_pdf.render(layout)
                    times.append(time.perf_counter() - started)
                writers["fpdf2-full"] = {"median_s": round(statistics.median(times), 3), "bytes": len(data)}
                fonts.reduced_font_if_ready = original  # type: ignore[assignment]
                try:
                    times, size = [], 0
                    for n in range(args.rounds):
                        out = tmp / f"qt-{n}.pdf"
                        times.append(qt_render(layout, out))
                        size = out.stat().st_size
                    writers["qt-qpdfwriter"] = {"median_s": round(statistics.median(times), 3), "bytes": size}
                except ImportError as exc:
                    writers["qt-qpdfwriter"] = {"error": str(exc)}  # type: ignore[dict-item]
                results["writers"] = writers
                for name, figures in writers.items():
                    print(f"{name:14} {figures}")
        finally:
            db.dispose()
    results["load_average_at_end"] = os.getloadavg()
    print(f"load average: start {results['load_average_at_start']}, end {results['load_average_at_end']}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "certificates.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
