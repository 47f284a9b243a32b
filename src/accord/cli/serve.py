"""`accord serve`: the REST API on a local address (FastAPI on uvicorn).

There are no users yet, so nothing may reach the API but this machine: a non-loopback host is
refused. FastAPI and uvicorn are imported only when the server starts.
"""

from __future__ import annotations

import typer

from accord.errors import InputError

LOOPBACK_NAMES = {"localhost", "localhost."}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and `localhost`; a name that is not an address is not."""
    import ipaddress

    if host.strip().lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def serve_command(
    host: str = typer.Option(
        "127.0.0.1", "--host", metavar="HOST", help="Address to listen on (loopback only)."
    ),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
) -> None:
    """Serve the REST API under /api/v1 (OpenAPI at /api/v1/openapi.json) until Ctrl-C.

    No authentication yet, so only loopback addresses (127.0.0.1, ::1, localhost) are accepted.
    """
    if not is_loopback(host):
        raise InputError(
            f"--host {host}: not a loopback address; authentication is not available yet, "
            "so `accord serve` listens only on 127.0.0.1, ::1 or localhost"
        )
    import uvicorn

    from accord.api import create_app
    from accord.rules.loader import load_rules

    app = create_app(load_rules())  # loaded now, so the first request is as fast as the rest
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
