"""The local site that benchmark adds point at: every /a/… path answers a real article.

The worker really captures what the add benchmark saves (fetch, WARC, decode, extract,
single file), so the web server is measured while the worker competes for the CPU and
the SQLite write lock, as on a real instance. Pages have no external assets, so each
capture stays on 127.0.0.1 and takes one request.
"""

import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from web_articles import articles, page_html


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes

    def do_GET(self) -> None:
        if not self.path.startswith("/a/"):  # favicon.ico and the like: none here
            self._answer(404, "text/plain", b"not found")
            return
        library = articles()
        article = library[zlib.crc32(self.path.encode()) % len(library)]
        self._answer(200, "text/html; charset=utf-8", page_html(article).encode())

    def _answer(self, status: int, mime: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # thousands of captures: keep the bench output clean


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a worker stopped mid-capture hangs up: expected at the end of each size


def start_site() -> tuple[ThreadingHTTPServer, str]:
    """Serves in daemon threads of this process; returns the server and its /a base URL."""
    articles()  # load the corpus before the first capture asks
    server = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/a"
