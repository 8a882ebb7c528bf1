"""`conflictkb serve`: the web pages over a knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from conflictkb.cli_common import DbOption, err, fail


def serve(
    db: DbOption = Path("kb.sqlite"),
    host: Annotated[
        str, typer.Option(help="Interface to bind. Only 127.0.0.1 unless you mean to share it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Browse the knowledge base in a web browser: documents, entities, events and their evidence."""
    import uvicorn

    from conflictkb.store import StoreError
    from conflictkb.web.app import create_app

    try:
        application = create_app(db)
    except StoreError as exc:
        fail(str(exc))
    _check_can_listen(host, port)
    err.print(f"serving {db} on http://{host}:{port}/ (Ctrl+C to stop)", highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


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
