"""`conflictkb serve`: the analyst's workbench over a knowledge base."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from conflictkb.cli_common import DbOption, err, fail


def serve(
    db: DbOption = Path("kb.sqlite"),
    host: Annotated[
        str, typer.Option(help="Interface to bind. Only 127.0.0.1 unless you mean to share it (then --token).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="CONFLICTKB_TOKEN",
            show_envvar=True,
            help="Require this token of every request (Authorization: Bearer, or a cookie set by visiting "
            "/?token=...). Needed to bind anything but a loopback address.",
        ),
    ] = None,
) -> None:
    """Browse and review the knowledge base in a web browser: overview, search, events, map,
    network, actors' profiles, documents with their mentions and evidence."""
    import uvicorn

    from conflictkb.store import StoreError
    from conflictkb.web.app import create_app

    token = (token or "").strip() or None
    if token is None and not is_loopback(host):
        fail(f"{host} is reachable from other machines: give --token (or CONFLICTKB_TOKEN) to serve on it")
    if token is not None and len(token) < 16:
        fail("the token must be at least 16 characters long")
    try:
        application = create_app(db, token=token)
    except StoreError as exc:
        fail(str(exc))
    _check_can_listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"serving {db} on http://{shown}:{port}/ (Ctrl+C to stop)", highlight=False)
    if token is not None:
        err.print(f"open http://{shown}:{port}/?token=<your token> once in each browser", highlight=False, markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine: a loopback address, or a name resolving only to them."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    import socket

    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


def _check_can_listen(host: str, port: int) -> None:
    """Fail with one clear line when the address is taken or invalid, before saying we serve."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
