"""The application: ``create_app(db_path)`` wires pages, API, static files and error handling."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..config import Settings
from ..store import open_store
from .data import WebError
from .filters import query_string, validation_details
from .jobs import JobRunner
from .names import actor_names_ready

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameter",
         500: "internal_error"}


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    headers[key] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class RequestGuard:
    """Refuses requests for a Host not served (DNS rebinding) with 400, and cross-site
    writes with 403: a POST that the browser marks other than ``Sec-Fetch-Site: same-origin``,
    or, without that header, whose Origin (or Referer) is another site or ``null``.
    ``allowed_hosts`` holds host names without ports; ``*`` allows any host."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] = LOCAL_HOSTS):
        self.app = app
        self.any_host = "*" in allowed_hosts
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        refusal = self._refusal(scope["method"], host, headers)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, message = refusal
        request = Request(scope)
        response = error_response(request, status, CODES[status], message)
        await response(scope, receive, send)

    def _refusal(self, method: str, host: str, headers: dict[str, str]
                 ) -> tuple[int, str] | None:
        try:
            name = urlsplit(f"//{host}").hostname or ""
        except ValueError:
            name = ""
        if not self.any_host and name.lower() not in self.allowed:
            return 400, (f"Host {host!r} is not served here. If this server should answer to "
                         "that name, start it with 'detente serve --allowed-host "
                         f"{name or 'NAME'}'.")
        if method not in UNSAFE_METHODS:
            return None
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site in ("same-origin", "none"):  # the browser says: our page, or the user
            return None  # (with no-referrer, a browser's own-page POST has Origin: null)
        if fetch_site is not None:
            return 403, ("Refused: a page of another site sent this request "
                         f"(Sec-Fetch-Site: {fetch_site}).")
        source = headers.get("origin") or headers.get("referer")
        if source is None:
            return None  # not from a browser page (curl, scripts): nothing to forge
        try:
            netloc = urlsplit(source).netloc.lower()
        except ValueError:
            netloc = ""
        if source == "null" or netloc != host.lower():
            return 403, (f"Refused: this request comes from another site ({source}); "
                         "submit the form from this server's own pages.")
        return None


class HeadAsGet:
    """HEAD answers what GET would, without the body (every GET route takes HEAD)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["urlq"] = lambda value: quote(str(value), safe="")
    env.globals["qs"] = query_string
    env.globals["version"] = __version__
    from . import present

    present.install(env)
    return Jinja2Templates(env=env)


def create_app(db_path: str | Path, settings: Settings | None = None,
               allowed_hosts: tuple[str, ...] = LOCAL_HOSTS) -> FastAPI:
    """The web app and REST API over the Detente database at ``db_path``.

    The database is created (or migrated) now, so that a bad path fails at start-up. Only
    requests for ``allowed_hosts`` (names without port; ``*`` for any) are served, and
    cross-site writes are refused (see :class:`RequestGuard`).
    """
    from . import api, views

    open_store(db_path).close()
    settings = settings or Settings()
    jobs = JobRunner(db_path, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Read the actor dictionaries (for names as filters) while the first page loads.
        threading.Thread(target=actor_names_ready, name="detente-actors", daemon=True).start()
        yield
        jobs.shutdown()

    app = FastAPI(
        title="Detente", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
        description="Negotiation episodes, documents, coded events, claims and disagreements "
                    "read from news articles. Lists answer {items, total, limit, offset}; every "
                    "error answers {error: {status, code, message}}.",
    )
    app.state.db_path = str(db_path)
    app.state.settings = settings
    app.state.templates = _templates()
    app.state.jobs = jobs
    app.add_middleware(RequestGuard, allowed_hosts=tuple(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(views.router)
    _error_handlers(app)
    return app


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def error_response(request: Request, status: int, code: str, message: str,
                   details: list[dict[str, Any]] | None = None,
                   page_message: str | None = None) -> Response:
    """The error as JSON under /api, else as an error page; with the security headers."""
    if not _is_api(request):
        message = page_message or message
    if _is_api(request):
        body: dict[str, Any] = {"status": status, "code": code, "message": message}
        if details:
            body["details"] = details
        response: Response = JSONResponse({"error": body}, status_code=status)
    else:
        response = request.app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "code": code, "message": message,
                                    "details": details or []}, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return error_response(request, exc.status, exc.code, exc.message, exc.details,
                              exc.page_message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        details = validation_details(errors)
        if errors and all(e.get("type") == "extra_forbidden" for e in errors):
            names = ", ".join(repr(d["param"]) for d in details)
            where = "/openapi.json" if _is_api(request) else "the form on this page"
            return error_response(request, 400, "unknown_parameter",
                                  f"Unknown parameter {names} for {request.url.path}; "
                                  f"see {where} for the parameters it takes.", details)
        message = "; ".join(f"{d['param']}: {d['message']}" for d in details)
        return error_response(request, 422, "invalid_parameter", f"Invalid request: {message}.",
                              details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = CODES.get(exc.status_code, f"http_{exc.status_code}")
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = (f"No route {request.method} {request.url.path}. "
                       + ("See /openapi.json for the API." if _is_api(request)
                          else "Start from the timeline at /."))
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}."
        else:
            message = str(exc.detail)
        response = error_response(request, exc.status_code, code, message)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return error_response(request, 500, "internal_error",
                                  "Internal error; the server log has the details.")
        response = HTMLResponse("<!doctype html><title>Internal error</title>"
                                "<h1>Internal error</h1><p>The server log has the details.</p>",
                                status_code=500)
        response.headers.update(SECURITY_HEADERS)
        return response
