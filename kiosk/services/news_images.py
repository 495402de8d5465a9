"""An article's body as the article page lays it out, and the images it shows — Qt-free.

The server keeps every article image and names it by the SHA-256 of its bytes (/api/v1/content/images/{sha256},
sync_server/core/content_images.py). The page shows the body as a column of blocks: rich text between images,
and each image on its own, so an image can be loaded from this terminal's cache or fetched from the server on a
worker (never on the GUI thread), decoded asynchronously by QML, and — when it cannot be had (offline, gone, not
decodable) — replaced by its alt text, without the text around it waiting. An image the server does not keep (no
src: it could not fetch it; or a remote address in a body written before it kept images) is a block with no
image (sha256 ""), which the page shows as its alt text.

Images inside a table stay in the table as their alt text (〔图片：alt〕): a table cannot be split around a picture.

The cache is a folder of files named by their hash (a file is checked against its name when it is written), at
most CACHE_MAX_BYTES; the least recently used go first. It needs no index: the name is the key.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.services.api_client import ApiClient

OWN_IMAGE = re.compile(r"/api/v1/content/images/([0-9a-f]{64})")
CACHE_MAX_BYTES = 200 * 1024 * 1024
IMAGE_MAX_BYTES = 5 * 1024 * 1024  # as the server's limit
FETCH_TIMEOUT_S = 15.0
PLACEHOLDER = "图片"
# not table cells: an empty cell keeps its column
_EMPTY = re.compile(r"<(p|h2|h3|h4|blockquote|li|ul|ol|strong|b|em|i|u|a)(?:\s[^>]*)?>\s*</\1>")


def placeholder(alt: str, word: str = PLACEHOLDER) -> str:
    """〔图片：alt〕, the line an image that cannot be shown leaves."""
    return f"〔{word}{'：' + alt if alt else ''}〕"


class _Blocks(HTMLParser):
    def __init__(self, word: str) -> None:
        super().__init__(convert_charrefs=False)
        self.word = word
        self.blocks: list[dict[str, Any]] = []
        self.text: list[str] = []
        self.open: list[str] = []  # the tags open around the current point, outermost first

    def _flush(self) -> None:
        html = "".join(self.text)
        while True:  # the halves of an element split around an image may be left empty: <p></p>
            emptied = _EMPTY.sub("", html)
            if emptied == html:
                break
            html = emptied
        if re.sub(r"<[^>]*>|\s", "", html):  # some text, not only empty tags
            self.blocks.append({"kind": "text", "html": html})
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "img":
            self.text.append(self.get_starttag_text() or "")
            if tag != "br":
                self.open.append(tag)
            return
        values = {k: v or "" for k, v in attrs}
        alt = values.get("alt", "").strip()
        found = OWN_IMAGE.fullmatch(values.get("src", ""))
        if "table" in self.open:  # a table cannot be split: the alt text stays in its cell
            self.text.append(f"<i>{escape(placeholder(alt, self.word))}</i>")
            return
        # Close what is open, give the image its own block, and open it all again after it.
        self.text.extend(f"</{t}>" for t in reversed(self.open))
        self._flush()
        width = int(values["width"]) if values.get("width", "").isdigit() else 0
        height = int(values["height"]) if values.get("height", "").isdigit() else 0
        # sha256 "": not one of the server's copies, so nothing to fetch: the page shows its alt text
        sha = found.group(1) if found else ""
        self.blocks.append({"kind": "image", "sha256": sha, "alt": alt, "width": width, "height": height})
        self.text.extend(f"<{t}>" for t in self.open)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.handle_starttag(tag, attrs)
        else:
            self.text.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.text.append(f"</{tag}>")
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.text.append(f"&#{name};")


def blocks(body: str, word: str = PLACEHOLDER) -> list[dict[str, Any]]:
    """The stored (sanitized) body as blocks: {"kind": "text", "html"} and {"kind": "image", "sha256", "alt",
    "width", "height"} (sha256 "" when the server has no copy; width/height as the article gave them, or 0)."""
    parser = _Blocks(word)
    parser.feed(body)
    parser.close()
    parser._flush()
    return parser.blocks


def download(client: ApiClient, sha256: str) -> bytes:
    """The image's bytes from the server (public, like the articles), at most IMAGE_MAX_BYTES."""
    import requests

    from kiosk.services.api_client import DEVICE_HEADER, ApiError

    headers = {DEVICE_HEADER: client.device_credential} if client.device_credential else {}
    url = f"{client.base_url}/api/v1/content/images/{sha256}"
    try:
        with client.http.get(url, headers=headers, timeout=FETCH_TIMEOUT_S, stream=True) as response:
            if response.status_code != 200:
                raise ApiError(f"http_{response.status_code}", "图片无法获取", response.status_code)
            data = b""
            for chunk in response.iter_content(65_536):
                data += chunk
                if len(data) > IMAGE_MAX_BYTES:
                    raise ApiError("too_large", "图片过大")
            return data
    except requests.RequestException as exc:
        raise ApiError("offline", "无法连接服务器") from exc


class ImageCache:
    """Article images on this terminal's disk, by hash; fetched from the server when missing. Blocking: run
    `fetch` on a worker."""

    def __init__(self, folder: Path, max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def path(self, sha256: str) -> Path:
        return self.folder / sha256

    def cached(self, sha256: str) -> Path | None:
        path = self.path(sha256)
        if not path.is_file():
            return None
        try:
            os.utime(path)  # used now: the last to be evicted
        except OSError:
            return None
        return path

    def fetch(self, client: ApiClient, sha256: str) -> Path:
        """The image's file, from the cache or downloaded from the server; OSError/ValueError/ApiError when it
        cannot be had (offline, gone, not the bytes its name says)."""
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not an image name")
        found = self.cached(sha256)
        if found is not None:
            return found
        data = download(client, sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("the image's bytes do not match its name")
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, self.path(sha256))  # whole or not at all, however many workers write it
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.evict()
        return self.path(sha256)

    def evict(self) -> int:
        """Remove the least recently used files past max_bytes; returns how many."""
        try:
            files = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.folder.iterdir() if p.is_file()]
        except OSError:
            return 0
        total = sum(size for _, size, _ in files)
        removed = 0
        for _, size, path in sorted(files, key=lambda f: f[0]):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
