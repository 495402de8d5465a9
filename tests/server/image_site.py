"""A web site on loopback for the image tests (server and QML): path → (status, content type, body, delay);
content type "drop" closes the connection unanswered, "redirect" sends the body as the Location. And a few real
images made with Pillow."""

from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image


def _image(kind: str, size: tuple[int, int] = (40, 30), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind)
    return out.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG", (64, 48), "blue")
GIF = _image("GIF", (10, 20))
WEBP = _image("WEBP", (33, 17))


class ImageSite:
    """A loopback web site: path → (status, content type, body, delay); "drop" closes the connection unanswered."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes, float]] = {}
        self.hits: dict[str, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                status, kind, body, delay = site.pages.get(self.path, (404, "text/plain", b"no", 0.0))
                time.sleep(delay)
                if kind == "drip":  # the headers, then a byte at a time, slowly
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for at in range(len(body)):
                        self.wfile.write(body[at : at + 1])
                        self.wfile.flush()
                        time.sleep(0.1)
                    return
                if kind == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(status)
                if kind == "redirect":
                    self.send_header("Location", body.decode())
                    body = b""
                else:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
