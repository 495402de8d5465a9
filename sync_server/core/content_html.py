"""News bodies as safe HTML: what nh3 (the Ammonia sanitizer) keeps, and the plain-text summary and cover image
taken from a body. Everything is cleaned on the way in, so what is stored, served and synced is already safe.

Kept: paragraphs, line breaks, emphasis, lists, h2–h4, block quotes, links (absolute http/https only, opened with
rel="noopener noreferrer"), images (absolute http/https src, alt, small integer width/height) and plain tables.
Dropped with their content: script, style, iframe, object, embed, svg, math, template, noscript, textarea, select.
Every other tag is unwrapped (its text stays); every attribute not listed goes, so event handlers, style, class,
srcset, background, formaction, xlink:href and the like never survive. URLs: javascript:, vbscript:, data: and
every other scheme are dropped, and so are relative and protocol-relative URLs — a body is shown on terminals far
from the page it came from (feeds resolve theirs against the feed first, core/feeds.py).

data: images are refused too: they would put megabytes into a row that every terminal pulls, SVG ones can carry
script, and the school's images live on its web site anyway.

Images are then made the server's own (core/content_images.py fetches and keeps them): `rewrite_images` points
each <img src> at /api/v1/content/images/{sha256}, or removes the src of one that could not be fetched (its alt
text stays, and terminals show it in the image's place). That server path is the one relative URL a body may
hold, so an administrator can send back a body as the API gave it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from html.parser import HTMLParser

import nh3

from campus_common.content import SUMMARY_MAX

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "th": {"colspan", "rowspan"},
              "td": {"colspan", "rowspan"}}  # fmt: skip
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript", "textarea", "select",
}  # fmt: skip
_SIZE = re.compile(r"[1-9][0-9]{0,3}")  # width, height, colspan, rowspan: a plain positive integer
_URL_ATTRIBUTES = {"href", "src"}
_ABSOLUTE = re.compile(r"https?://[^/\s]", re.IGNORECASE)
IMAGE_PATH_PREFIX = "/api/v1/content/images/"
OWN_IMAGE = re.compile(r"/api/v1/content/images/[0-9a-f]{64}")  # an image the server keeps


def image_path(sha256: str) -> str:
    return IMAGE_PATH_PREFIX + sha256


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name in _URL_ATTRIBUTES:
        # nh3 refuses other schemes; this refuses what is left that is not absolute (protocol-relative included),
        # except the server's own image path on an <img>.
        if tag == "img" and name == "src" and OWN_IMAGE.fullmatch(value.strip()):
            return value.strip()
        return value if _ABSOLUTE.match(value.strip()) else None
    return _keep_size(tag, name, value)


def _keep_size(tag: str, name: str, value: str) -> str | None:
    if name in ("width", "height", "colspan", "rowspan"):
        return value if _SIZE.fullmatch(value.strip()) else None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes={"http", "https"},
    url_relative="pass_through",  # _keep_attribute lets only the server's own image path through
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize(fragment: str, *, base_url: str | None = None) -> str:
    """The fragment with only what the module's docstring lists. `base_url` resolves relative URLs first (a feed's
    item link); without it they are dropped."""
    if base_url and _ABSOLUTE.match(base_url):
        return str(
            nh3.clean(
                fragment,
                tags=TAGS,
                clean_content_tags=DROPPED_WITH_CONTENT,
                attributes=ATTRIBUTES,
                attribute_filter=_keep_size,  # nh3 runs it before resolving: relative URLs must pass it
                url_schemes={"http", "https"},
                url_relative=("rewrite_with_base", base_url),
                link_rel="noopener noreferrer",
                strip_comments=True,
            )
        ).strip()
    return str(_cleaner.clean(fragment)).strip()


def image_urls(clean_html: str) -> list[str]:
    """The remote image URLs of sanitized HTML, in order (not the server's own)."""
    found: list[str] = []

    def note(tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src" and not OWN_IMAGE.fullmatch(value):
            found.append(value)
        return value

    nh3.clean(clean_html, tags={"img"}, attributes={"img": {"src"}}, attribute_filter=note, url_relative="pass_through")
    return found


def rewrite_images(clean_html: str, kept: Mapping[str, str | None]) -> str:
    """Sanitized HTML with each remote image pointed at the server's copy (`kept`: url → its SHA-256), and the
    src of one the server does not have removed (its alt text stays, for terminals to show instead)."""

    def point(tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src":
            if OWN_IMAGE.fullmatch(value):
                return value
            sha = kept.get(value)
            return image_path(sha) if sha else None
        return _keep_attribute(tag, name, value)

    cleaner = nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=point,
        url_schemes={"http", "https"},
        url_relative="pass_through",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return str(cleaner.clean(clean_html)).strip()


def text_to_html(text: str) -> str:
    """Plain text as HTML: blank-line separated paragraphs, single line breaks kept."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cover: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "br", "li", "h2", "h3", "h4", "tr", "blockquote"):
            self.parts.append(" ")
        if tag == "img" and self.cover is None:
            self.cover = dict(attrs).get("src") or None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(clean_html: str) -> str:
    """The text of sanitized HTML, whitespace collapsed."""
    parser = _Text()
    parser.feed(clean_html)
    return " ".join("".join(parser.parts).split())


def summary_of(clean_html: str, limit: int = 120) -> str:
    """A list row's summary when none was given: the body's first `limit` characters of text."""
    text = plain_text(clean_html)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def cover_of(clean_html: str) -> str | None:
    """The first image of sanitized HTML, for a list row's thumbnail."""
    parser = _Text()
    parser.feed(clean_html)
    return parser.cover


def clean_summary(summary: str) -> str:
    """A summary given as text (or HTML, from a feed): its plain text, within SUMMARY_MAX."""
    text = plain_text(sanitize(summary)) if "<" in summary or "&" in summary else " ".join(summary.split())
    return text[:SUMMARY_MAX]
