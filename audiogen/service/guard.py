"""The guard: ASGI middleware in front of every route (the API's, the page's, the speech
endpoint's), and the one shape of every refusal (`error_response`: `{"error": "one line"}`).

- Every write (any method but GET and HEAD) needs `Authorization: Bearer TOKEN`, compared in
  constant time; with `private`, reads (all but /healthz and the page's own files) need it
  too (or `?token=`, or HTTP Basic with the token as password, for audio elements and
  podcast apps that cannot send a header).
- Writes are limited per client address (`rate` a minute: 429 with Retry-After); bodies to
  `max_upload` bytes (413), whether or not the client said their length.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import math
import threading
import time
from collections import deque
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from starlette.responses import JSONResponse, Response

from audiogen.service import page

if TYPE_CHECKING:
    from audiogen.service.app import Settings

MB = 1024 * 1024


class TooLarge(Exception):
    pass


class Guard:
    """ASGI middleware in front of every route (the page's and the speech endpoint's too):
    the bearer token on writes (and on reads when private), the per-client write rate, the
    body's size."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._writes: dict[str, deque[float]] = {}  # client -> when its last writes came
        self._lock = threading.Lock()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        write = scope["method"] not in ("GET", "HEAD")
        refusal = self._refusal(scope, write)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self._limited(scope, receive, send)

    def _refusal(self, scope, write: bool) -> Response | None:
        headers = dict(scope["headers"])
        if write:
            wait = self._rate_wait(scope)
            if wait:
                message = f"more than {self.settings.rate} writes a minute; try again in {wait} s"
                return error_response(429, message, {"Retry-After": str(wait)})
        public = scope["path"] == "/healthz" or page.public(scope["path"])  # no data there
        guarded = write or (self.settings.private and not public)
        if guarded and not self._authorized(scope, headers, write):
            return error_response(401, "this needs the server's token: Authorization: Bearer TOKEN",
                          {"WWW-Authenticate": 'Bearer realm="audiogen"'})  # fmt: skip
        length = headers.get(b"content-length", b"0")
        if length.isdigit() and int(length) > self.settings.max_upload:
            return too_large(self.settings.max_upload)
        return None

    def _authorized(self, scope, headers: dict, write: bool) -> bool:
        expected = self.settings.token.encode()
        given = _credentials(headers.get(b"authorization", b""))
        if given is None and not write:  # an audio element or a feed reader: ?token=
            given = parse_qs(scope.get("query_string", b"").decode()).get("token", [""])[0]
            given = given.encode()
        return bool(expected) and given is not None and hmac.compare_digest(given, expected)

    def _rate_wait(self, scope) -> int:
        """Seconds until the client may write again (0: now), its write counted if it may."""
        client = (scope.get("client") or ("?", 0))[0]
        moment = time.monotonic()
        with self._lock:
            writes = self._writes.setdefault(client, deque())
            while writes and writes[0] <= moment - 60:
                writes.popleft()
            if len(writes) >= self.settings.rate:
                return max(1, math.ceil(writes[0] + 60 - moment))
            writes.append(moment)
            return 0

    async def _limited(self, scope, receive, send) -> None:
        """The app, with the body cut off at max_upload (a body sent without its length)."""
        limit, seen, started = self.settings.max_upload, 0, False

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
            return message

        async def sending(message):
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except TooLarge:
            if not started:
                await too_large(limit)(scope, receive, send)


def _credentials(header: bytes) -> bytes | None:
    """The token a header gives: Bearer TOKEN, or Basic with the token as the password."""
    scheme, _, value = header.decode("latin-1").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip().encode()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value.strip()).partition(b":")[2]
        except (binascii.Error, ValueError):
            return None
    return None


def error_response(status: int, message: str, headers: dict | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def too_large(limit: int) -> Response:
    return error_response(413, f"the body is larger than the server takes ({limit // MB} MB)")
