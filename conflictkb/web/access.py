"""Who may ask the workbench, and what every answer carries.

With no token the server answers only requests addressed to a loopback name (so a web page
elsewhere cannot reach it by rebinding a DNS name to 127.0.0.1); with a token every request must
carry it, as ``Authorization: Bearer <token>`` or the ``token`` cookie that visiting
``/?token=<token>`` sets. Each browser session gets a random cookie; the CSRF token of its forms
is an HMAC of it with a per-process secret. Every response carries a Content-Security-Policy that
allows only this server's own scripts, styles and data: no inline script, no CDN.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from conflictkb.web.shared import error_page

# Cytoscape adds one <style> element to position its container; it is allowed by its hash alone.
_CYTOSCAPE_STYLE = ".__________cytoscape_container { position: relative; }"
_STYLE_HASH = base64.b64encode(hashlib.sha256(_CYTOSCAPE_STYLE.encode()).digest()).decode()
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'self'; script-src 'self'; style-src 'self' 'sha256-{_STYLE_HASH}'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # Same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" with our own forms.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
SESSION_COOKIE = "ckb_session"
TOKEN_COOKIE = "token"  # noqa: S105  # the cookie's name, not a secret
_SESSION = re.compile(r"^[A-Za-z0-9_-]{43}$")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def is_loopback_host(host_header: str) -> bool:
    """Whether a Host header names this machine by a loopback name or address (any port)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in LOOPBACK_NAMES or bool(re.fullmatch(r"127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", host))


def authorised(request: Request) -> bool:
    """Whether the request carries the application's token (always, when it has none)."""
    expected: str | None = request.app.state.token
    if expected is None:
        return True
    header = request.headers.get("authorization", "")
    offered = header[7:].strip() if header[:7].lower() == "bearer " else request.cookies.get(TOKEN_COOKIE, "")
    return bool(offered) and hmac.compare_digest(offered.encode(), expected.encode())


def _token_visit(request: Request, offered: str) -> Response:
    """``/?token=…``: the right token becomes a cookie and leaves the address; a wrong one is refused."""
    if not hmac.compare_digest(offered.encode(), request.app.state.token.encode()):
        return error_page(request, 401, "wrong token")
    rest = urlencode([(k, v) for k, v in parse_qsl(request.url.query) if k != "token"])
    response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
    response.set_cookie(TOKEN_COOKIE, offered, httponly=True, samesite="strict", path="/")
    return response


async def _with_session(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Answer with the session cookie behind CSRF tokens (a new one if the request had none)."""
    session = request.cookies.get(SESSION_COOKIE, "")
    fresh = not _SESSION.fullmatch(session)
    if fresh:
        session = secrets.token_urlsafe(32)
    request.state.csrf = hmac.new(request.app.state.secret, session.encode(), hashlib.sha256).hexdigest()
    request.state.session_known = not fresh
    response = await call_next(request)
    if fresh:
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/")
    return response


def install_guard(app: FastAPI) -> None:
    """The middleware in front of every route: who may ask, the session, the security headers."""

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response: Response
        offered = request.query_params.get("token")
        if app.state.token is None and not is_loopback_host(request.headers.get("host", "")):
            response = error_page(request, 400, "this server answers only at 127.0.0.1 or localhost")
        elif app.state.token is not None and offered is not None:
            response = _token_visit(request, offered)
        elif not authorised(request):
            response = error_page(
                request, 401, "this server needs its token: open /?token=… once, or send Authorization: Bearer …"
            )
        else:
            response = await _with_session(request, call_next)
        response.headers.update(SECURITY_HEADERS)
        return response
