"""Laying out a certificate on A4 with fpdf2 (why fpdf2: docs/certificates.md, "Rendering").

Input is a `Layout` whose text is final (core/certificates.py fills the templates); this module only draws:
the school's header, the title, the body, the grades table of a transcript, the issuer's block with its seal,
and the verification block (QR code, verification code, validity). One page per language ("both": Chinese,
then English), the same verification block on each. The QR code is drawn as vector squares from the `qrcode`
matrix, so it prints sharp at any resolution.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import qrcode
from fpdf import FPDF
from fpdf.enums import WrapMode
from qrcode.constants import ERROR_CORRECT_M

from sync_server.core import certificates_fonts as fonts

RED = (200, 22, 29)
INK = (20, 20, 20)
GREY = (90, 90, 90)
SEALS_DIR = Path(__file__).resolve().parent.parent / "certificates" / "seals"


@dataclass
class GradeTerm:
    term: str
    rows: list[tuple[str, str, str, str]]  # course, credits, score, grade point
    summary: str  # 学期 GPA and credits


@dataclass
class Page:
    language: str  # zh | en
    title: str
    body: list[str]
    addressee: str | None = None
    grades: list[GradeTerm] | None = None
    grade_headings: tuple[str, str, str, str] = ("课程", "学分", "成绩", "绩点")
    gpa_line: str | None = None
    after: list[str] = field(default_factory=list)
    issuer: str = ""
    school: str = ""
    date: str = ""
    serial_label: str = ""
    code_label: str = ""
    validity_label: str = ""
    verify_hint: str = ""
    footer: str = ""


@dataclass
class Layout:
    school: str
    school_en: str
    address: str
    issuer_code: str
    seal_top: str  # the text around the seal (the school's name)
    seal_bottom: str  # the department on the seal
    qr_text: str
    issued_at: datetime
    pages: list[Page]
    subject: str  # PDF metadata: the signed facts (core/certificates.py)
    keywords: str  # PDF metadata: the file-signature slot


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(auto=True, margin=22)
        self.set_margins(22, 18, 22)
        self.current: Page | None = None

    def footer(self) -> None:
        # Every page names its document (a transcript runs over pages; only the last has the QR code).
        if self.current is None:
            return
        page = self.current
        with self.local_context(text_mode="FILL"):
            self.set_font("cert", size=7.5)
            self.set_text_color(*GREY)
            self.set_xy(22, 297 - 10)
            number = (
                f"第 {self.page_no()} 页，共 {{nb}} 页" if page.language == "zh" else f"Page {self.page_no()} of {{nb}}"
            )
            self.cell(166, 4, f"{page.code_label}    {page.serial_label}    {number}", align="C")


def _font(pdf: FPDF, text: str) -> None:
    """Register the reduced font, and the full face as fallback when the document needs a character beyond it."""
    reduced = fonts.reduced_font_if_ready()
    source, index = fonts.source_font()
    if reduced is None:
        pdf.add_font("cert", "", str(source), collection_font_number=index)
        return
    pdf.add_font("cert", "", str(reduced))
    if not fonts.covers(reduced, text):
        pdf.add_font("certfull", "", str(source), collection_font_number=index)
        pdf.set_fallback_fonts(["certfull"])


def _bold(pdf: FPDF, on: bool) -> None:
    # One face (a second, bold one would double the font work): headings are drawn filled and stroked.
    pdf.text_mode = "FILL_STROKE" if on else "FILL"
    pdf.set_line_width(0.25 if on else 0.2)


def _header(pdf: _Pdf, layout: Layout, page: Page) -> None:
    pdf.set_text_color(*RED)
    pdf.set_draw_color(*RED)
    big, small = (layout.school, layout.school_en) if page.language == "zh" else (layout.school_en, layout.school)
    _bold(pdf, True)
    pdf.set_font("cert", size=24 if page.language == "zh" else 17)
    pdf.cell(0, 11, big, align="C", new_x="LMARGIN", new_y="NEXT")
    _bold(pdf, False)
    pdf.set_font("cert", size=10)
    pdf.cell(0, 6, small, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cert", size=8.5)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 5, layout.address, align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    pdf.set_line_width(1.0)
    pdf.line(18, y, 192, y)
    pdf.set_line_width(0.3)
    pdf.line(18, y + 1.6, 192, y + 1.6)
    pdf.set_y(y + 8)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*INK)
    _bold(pdf, True)
    pdf.set_font("cert", size=22 if page.language == "zh" else 19)
    pdf.cell(0, 12, page.title, align="C", new_x="LMARGIN", new_y="NEXT")
    _bold(pdf, False)
    pdf.set_font("cert", size=10)
    pdf.cell(0, 7, page.serial_label, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _paragraphs(pdf: _Pdf, page: Page, lines: list[str], size: float = 13.5) -> None:
    zh = page.language == "zh"
    pdf.set_font("cert", size=size)
    em = size * 0.3528  # the font size in mm
    # Chinese: justified, the usual two-character first-line indent, breaking anywhere; English: ragged right
    # (justified English between long words leaves holes), blocks with a gap between.
    with pdf.text_columns(
        text_align="J" if zh else "L", line_height=1.9 if zh else 1.5, wrapmode=WrapMode.CHAR if zh else WrapMode.WORD
    ) as columns:
        for text in lines:
            with columns.paragraph(first_line_indent=2 * em if zh else 0, bottom_margin=0 if zh else 2.5) as par:
                par.write(text)


def _grades(pdf: _Pdf, page: Page) -> None:
    widths = (98, 18, 25, 25)
    pdf.set_font("cert", size=9)
    for term in page.grades or []:
        if pdf.get_y() > 250:
            pdf.add_page()
        _bold(pdf, True)
        pdf.set_fill_color(246, 238, 238)
        pdf.cell(sum(widths), 6.2, term.term, border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
        _bold(pdf, False)
        for heading, width in zip(page.grade_headings, widths, strict=True):
            pdf.cell(width, 5.6, heading, border=1, align="C")
        pdf.ln()
        for row in term.rows:
            for n, (value, width) in enumerate(zip(row, widths, strict=True)):
                pdf.cell(width, 5.4, value, border=1, align="L" if n == 0 else "C")
            pdf.ln()
        pdf.cell(sum(widths), 5.6, term.summary, border=1, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    if page.gpa_line:
        _bold(pdf, True)
        pdf.set_font("cert", size=11)
        pdf.cell(0, 8, page.gpa_line, new_x="LMARGIN", new_y="NEXT")
        _bold(pdf, False)


def _seal(pdf: _Pdf, layout: Layout, cx: float, cy: float, radius: float = 21) -> None:
    """The issuing department's seal: `certificates/seals/<department>.png` when the school put its scanned seal
    there, else the demo seal drawn here (red ring, star, the school's name around, the department across)."""
    scanned = SEALS_DIR / f"{layout.issuer_code}.png"
    if scanned.exists():
        pdf.image(str(scanned), x=cx - radius, y=cy - radius, w=2 * radius, h=2 * radius)
        return
    with pdf.local_context(fill_opacity=0.82, stroke_opacity=0.82):
        pdf.set_draw_color(*RED)
        pdf.set_fill_color(*RED)
        pdf.set_text_color(*RED)
        pdf.set_line_width(1.3)
        pdf.circle(x=cx, y=cy, radius=radius, style="D")
        pdf.set_line_width(0.3)
        pdf.circle(x=cx, y=cy, radius=radius - 1.6, style="D")
        star = []
        for k in range(10):
            r = 5.2 if k % 2 == 0 else 2.1
            angle = math.radians(-90 + 36 * k)
            star.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
        pdf.polygon(star, style="F")
        text = layout.seal_top
        pdf.set_font("cert", size=10.5)
        span = min(250.0, 22.0 * len(text))
        for n, char in enumerate(text):
            angle = -90 - span / 2 + span * (n + 0.5) / len(text)  # degrees, clockwise from the left
            rad = math.radians(angle)
            x = cx + (radius - 5.6) * math.cos(rad)
            y = cy + (radius - 5.6) * math.sin(rad)
            with pdf.rotation(angle=-(angle + 90), x=x, y=y):
                width = pdf.get_string_width(char)
                pdf.text(x - width / 2, y + 1.6, char)
        pdf.set_font("cert", size=9)
        width = pdf.get_string_width(layout.seal_bottom)
        pdf.text(cx - width / 2, cy + 11, layout.seal_bottom)


def _qr(pdf: _Pdf, text: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # Runs, slightly overlapped: no hairline gaps between modules in viewers that anti-alias.
                pdf.rect(x + start * cell, y + r * cell, (c - start) * cell + 0.01, cell + 0.01, style="F")
            else:
                c += 1


def _closing(pdf: _Pdf, layout: Layout, page: Page) -> None:
    if pdf.get_y() > 205:
        pdf.add_page()
    pdf.set_auto_page_break(False)  # the foot of the page is drawn at fixed places, inside the margin
    top = max(pdf.get_y() + 16, 120.0)  # under the text, as signed and stamped by hand
    # The issuer's block on the right, the seal over it (as stamped: over the name and the date).
    pdf.set_font("cert", size=13 if page.language == "zh" else 10.5)
    pdf.set_text_color(*INK)
    for n, line in enumerate((page.issuer, page.school, page.date)):
        pdf.set_xy(98, top + n * 8)
        pdf.cell(100, 8, line, align="C")
    _seal(pdf, layout, 149, top + 9)
    # The verification block at the foot, left.
    qr_size = 30
    qr_y = 297 - 22 - qr_size
    _qr(pdf, layout.qr_text, 22, qr_y, qr_size)
    pdf.set_text_color(*INK)
    pdf.set_font("cert", size=10)
    for n, line in enumerate((page.code_label, page.validity_label)):
        pdf.set_xy(56, qr_y + 1 + n * 6.5)
        pdf.cell(0, 6, line)
    pdf.set_font("cert", size=8.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(56, qr_y + 14)
    pdf.multi_cell(132, 4.6, page.verify_hint, align="L")
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.2)
    pdf.line(22, 297 - 18, 188, 297 - 18)
    pdf.set_xy(22, 297 - 17)
    pdf.set_font("cert", size=7.5)
    pdf.multi_cell(166, 3.8, page.footer, align="C")
    pdf.set_auto_page_break(True, margin=22)


def render(layout: Layout) -> bytes:
    pdf = _Pdf()
    everything = "".join(
        [layout.school, layout.school_en, layout.address, layout.seal_top, layout.seal_bottom]
        + [
            "".join([p.title, *p.body, p.addressee or "", p.gpa_line or "", *p.after, p.issuer, p.school, p.date])
            + "".join([p.serial_label, p.code_label, p.validity_label, p.verify_hint, p.footer, *p.grade_headings])
            + "".join(t.term + t.summary + "".join("".join(r) for r in t.rows) for t in p.grades or [])
            for p in layout.pages
        ]
    )
    _font(pdf, everything)
    pdf.set_title(layout.pages[0].title)
    pdf.set_author(layout.school)
    pdf.set_creator("campus-sync-server")
    pdf.set_subject(layout.subject)
    pdf.set_keywords(layout.keywords)
    pdf.set_creation_date(layout.issued_at)
    for page in layout.pages:
        pdf.add_page()  # draws the previous page's footer, with the previous page's language
        pdf.current = page
        _header(pdf, layout, page)
        if page.addressee:
            pdf.set_font("cert", size=13.5)
            pdf.cell(0, 9, page.addressee, new_x="LMARGIN", new_y="NEXT")
        _paragraphs(pdf, page, page.body)
        if page.grades is not None:
            _grades(pdf, page)
        if page.after:
            pdf.ln(2)
            _paragraphs(pdf, page, page.after, size=11.5)
        _closing(pdf, layout, page)
    return bytes(pdf.output())


def ascii_only(text: str) -> bool:
    return re.fullmatch(r"[\x20-\x7e]*", text) is not None
