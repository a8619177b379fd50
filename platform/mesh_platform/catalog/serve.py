"""`mesh catalog --serve`: the site on localhost, for a browser that will not open files from disk."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import MeshError
from . import CONTENT_SECURITY_POLICY, FILE_POLICY

HOST = "127.0.0.1"  # this machine only: the catalog shows sample rows


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site's files, the pages with their Content-Security-Policy as a header too; logs nothing."""

    def end_headers(self):
        page = self.path.split("?", 1)[0].endswith((".html", "/"))
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY if page else FILE_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def make_server(folder: Path, port: int) -> ThreadingHTTPServer:
    """A server of `folder` on localhost (bound now, serving once `serve` runs); `port` 0 takes a free one."""
    try:
        return ThreadingHTTPServer((HOST, port), functools.partial(_QuietHandler, directory=str(folder)))
    except OSError as error:
        raise MeshError(f"cannot serve on {HOST}:{port} ({error.strerror or error}); pick another --port") from None


def address(server: ThreadingHTTPServer) -> str:
    return f"http://{HOST}:{server.server_port}/index.html"


def serve(server: ThreadingHTTPServer, announce: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C); `announce` gets the home page's address first."""
    with server, contextlib.suppress(KeyboardInterrupt):
        announce(address(server))
        server.serve_forever()
