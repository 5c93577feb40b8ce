"""Plain HTTP on the WebSocket port (websockets' ``process_request`` hook): ``/healthz``, the widget's
static files (``embed.js`` among them, which other sites load), and the Origin check of
``/v1/visitor``. Anything else gets 404."""

from __future__ import annotations

import http
import logging
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePath

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

logger = logging.getLogger(__name__)

# What the widget cannot work without (embed.js is what other sites load).
WIDGET_NEEDS = ("index.html", "embed.js", "i18n.js", "widget.js", "widget.css")
OPERATOR_PATH = "/v1/operator"
VISITOR_PATH = "/v1/visitor"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_SAFE_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def origin_allowed(origin: str, patterns: tuple[str, ...], own_origin: str | None) -> bool:
    """``http://127.0.0.1:*`` matches any port of that host; other patterns match exactly."""
    if own_origin is not None and origin == own_origin:
        return True
    for pattern in patterns:
        if pattern.endswith(":*"):
            prefix = pattern[:-1]
            if origin.startswith(prefix) and origin[len(prefix) :].isdigit():
                return True
        elif origin == pattern:
            return True
    return False


def load_widget_files(folder: Traversable | None = None) -> dict[str, tuple[bytes, str]]:
    """The widget's files, read once at start (no file I/O on the event loop): by default the package's
    own ``server/widget/``, read with importlib.resources, where a missing file the widget needs is an
    error in the log. Only regular files directly in the folder with a known type are served: nothing
    else can be reached by any path."""
    shipped = folder is None
    folder = folder if folder is not None else resources.files(__package__).joinpath("widget")
    files: dict[str, tuple[bytes, str]] = {}
    if not folder.is_dir():
        logger.error("the installation lacks the visitor widget (operator_desk/server/widget)")
        return files
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        content_type = CONTENT_TYPES.get(PurePath(entry.name).suffix.lower())
        if isinstance(entry, Path) and entry.is_symlink():
            continue
        if content_type and _SAFE_NAME.match(entry.name) and entry.is_file():
            files[entry.name] = (entry.read_bytes(), content_type)
    missing = [name for name in WIDGET_NEEDS if name not in files] if shipped else []
    if missing:
        logger.error("the installation lacks widget files: %s", ", ".join(missing))
    return files


class HttpRoutes:
    def __init__(
        self,
        allowed_origins: tuple[str, ...],
        tls: bool,
        widget_files: dict[str, tuple[bytes, str]],
        operator_origins: tuple[str, ...] = (),
    ):
        self._allowed_origins = allowed_origins
        self._operator_origins = operator_origins
        self._tls = tls
        self._widget_files = widget_files

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        if path == OPERATOR_PATH:
            return self._check_operator_origin(request)
        if path == VISITOR_PATH:
            return self._check_origin(connection, request)
        if path == "/healthz":
            return self._response(http.HTTPStatus.OK, b"ok\n", "text/plain; charset=utf-8")
        if path == "/widget":
            response = self._response(http.HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain; charset=utf-8")
            response.headers["Location"] = "/widget/"
            return response
        if path.startswith("/widget/"):
            name = path[len("/widget/") :] or "index.html"
            found = self._widget_files.get(name)
            if found is not None:
                return self._static(request, *found)
        return self._response(http.HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def _own_origin(self, request: Request) -> str | None:
        host = request.headers.get("Host", "")
        if not _SAFE_HOST.match(host):
            return None
        return f"{'https' if self._tls else 'http'}://{host}"

    def _check_origin(self, connection: ServerConnection, request: Request) -> Response | None:
        origin = request.headers.get("Origin")
        if origin is None:
            return None  # not a browser (the simulator, a test): protocol v1 accepts it
        if origin_allowed(origin, self._allowed_origins, self._own_origin(request)):
            return None
        logger.info("refused a visitor connection from a page origin that is not allowed")
        return self._response(http.HTTPStatus.FORBIDDEN, b"origin not allowed\n", "text/plain; charset=utf-8")

    def _check_operator_origin(self, request: Request) -> Response | None:
        """The desk sends no Origin. A browser always does: any page an operator opens (a visitor's link
        in a chat, say) could otherwise sign in with guessed passwords, lock accounts out, or use a
        session. Only origins configured in ``[origins] operators`` may (a web console of the site's own);
        not even the server's own origin, whose pages are the visitor widget's."""
        origin = request.headers.get("Origin")
        if origin is None or origin_allowed(origin, self._operator_origins, None):
            return None
        logger.info("refused an operator connection from a browser page")
        return self._response(http.HTTPStatus.FORBIDDEN, b"origin not allowed\n", "text/plain; charset=utf-8")

    def _static(self, request: Request, body: bytes, content_type: str) -> Response:
        response = self._response(http.HTTPStatus.OK, body, content_type)
        host = request.headers.get("Host", "")
        socket_origins = ""
        if _SAFE_HOST.match(host):
            socket_origins = f" {'wss' if self._tls else 'ws'}://{host}"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"font-src 'self'; connect-src 'self'{socket_origins}; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @staticmethod
    def _response(status: http.HTTPStatus, body: bytes, content_type: str) -> Response:
        headers = Headers()
        headers["Content-Type"] = content_type
        headers["Content-Length"] = str(len(body))
        headers["Connection"] = "close"
        headers["Cache-Control"] = "no-store"
        headers["X-Content-Type-Options"] = "nosniff"
        return Response(status.value, status.phrase, headers, body)
