"""A small web site on the loopback interface, for tests that fetch: no internet involved.

Each route maps a path to a function returning (status, headers, body); a body may be an
iterable of byte blocks, streamed with a pause between blocks, to play a slow or endless server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Response = tuple[int, dict[str, str], bytes | Iterable[bytes]]


class LocalSite:
    def __init__(self) -> None:
        self.routes: dict[str, Callable[[], Response]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # the body ends when the connection closes

            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                status, headers, body = route() if route else (404, {}, b"not here")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    if isinstance(body, bytes):
                        self.wfile.write(body)
                    else:
                        for block in body:
                            self.wfile.write(block)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should on a huge or slow body

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8"):
        self.routes[path] = lambda: (200, {"Content-Type": content_type}, body)

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def dripping(blocks: int, block: bytes, pause: float) -> Iterable[bytes]:
    for _ in range(blocks):
        yield block
        time.sleep(pause)
