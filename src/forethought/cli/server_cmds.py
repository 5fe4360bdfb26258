"""serve: the team server."""

from __future__ import annotations

import os

import click

from forethought.cli.common import db_option, note


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (behind a reverse proxy, keep 127.0.0.1).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (several suit PostgreSQL best).")
@click.option("--tls", is_flag=True,
              help="Behind HTTPS (a reverse proxy terminating TLS): Secure cookies and HSTS.")
@db_option
def serve(host, port, workers, tls, db):
    """Serve the workspace to a team: the web pages at / (log in, my desk, questions, scores,
    sources, ingest, integrity) and the JSON API under /api (schema at /openapi.json), with
    accounts, roles and the crowd hidden until you forecast. Make the first account with
    `forethought user add NAME --role admin`."""
    import uvicorn

    from forethought.services.workspace import locate, open_store

    workspace = locate(db)
    store = open_store(workspace.url)  # builds or upgrades a SQLite schema before workers start
    store.dispose()
    os.environ["FORETHOUGHT_SERVE_DB"] = workspace.url
    if tls:
        os.environ["FORETHOUGHT_SERVE_TLS"] = "1"
    note(f"Serving {workspace.url} on http://{host}:{port} ({workers} worker"
         f"{'s' if workers > 1 else ''}); Ctrl-C stops it.")
    uvicorn.run("forethought.server.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning", server_header=False,
                proxy_headers=tls, forwarded_allow_ips="127.0.0.1" if tls else None)
