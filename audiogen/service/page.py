"""The web page for listeners: `/` and its files under `/static/`.

`routes()` is what app.py adds to its route list: the page (index.html) at `/`, and
index.html, page.js and page.css under `/static/`, read from the `page/` folder beside this
module (package data: the wheel ships it). The page is plain HTML and a little JavaScript with
no framework and nothing from another origin (the service may run offline); everything it
shows comes from the JSON API, in the browser (see page/page.js for what it does).

The page and its files hold nothing of the server's (no episode, no job): they are `public`
even on a server started with --private, whose guard lets them through, so that a browser
can load the page that then asks for the token. Only names in that folder are served, and
Starlette's StaticFiles never leaves it. Starlette is imported when `routes()` is called, so
importing this module stays cheap.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).with_name("page")
INDEX = FOLDER / "index.html"
# The page changes with the package, not with the episodes: revalidate, never store stale.
PAGE_CACHE = "no-cache"
# What the page may load: its own files and audio only, no inline script or style, no frames.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def public(path: str) -> bool:
    """Whether a request for `path` is for the page or its files (not for any data)."""
    return path == "/" or path.startswith("/static/")


def routes() -> list:
    """The page's Starlette routes: `/` (the page) and `/static/{name}` (its files)."""
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    return [
        Route("/", index, methods=["GET", "HEAD"], name="page"),
        Mount("/static", app=StaticFiles(directory=FOLDER), name="static"),
    ]


async def index(request):
    """The page itself, with the headers that keep it to its own files."""
    from starlette.responses import FileResponse

    headers = {"Cache-Control": PAGE_CACHE, **SECURITY_HEADERS}
    return FileResponse(INDEX, media_type="text/html; charset=utf-8", headers=headers)
