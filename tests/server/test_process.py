"""A real `forethought serve` process on a free port of 127.0.0.1, talked to over HTTP, on
SQLite and PostgreSQL; and the README's team steps (init, user add, serve, log in)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

EXE = str(Path(sys.executable).with_name("forethought"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(folder: Path, *args: str, workers: int = 1) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PATH": f"{Path(EXE).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen([EXE, "serve", "--port", str(port), "--workers", str(workers),
                             *args], cwd=folder, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read() if proc.stdout else ""
                raise AssertionError(f"forethought serve did not start:\n{out}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def run(folder: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([EXE, *args], cwd=folder, input=stdin, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_team_logs_in_forecasts_and_resolves_over_http(tmp_path, backend):
    folder = tmp_path / "team"
    folder.mkdir()
    db = [] if backend.startswith("sqlite") else ["--db", backend]
    run(folder, "init", *db)
    run(folder, "user", "add", "ada", "--role", "admin", "--password-stdin",
        stdin="ada's long password\n")
    run(folder, "user", "add", "bob", "--role", "forecaster", "--password-stdin",
        stdin="bob's long password\n")
    token = run(folder, "token", "create", "--user", "ada").strip()
    with serving(folder, workers=2 if not db else 1) as base:
        bob = httpx.Client(base_url=base)
        r = bob.post("/api/login", json={"name": "bob", "password": "bob's long password"})
        assert r.status_code == 200, r.text
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        csrf = {"X-CSRF-Token": r.json()["csrf"]}
        q = bob.post("/api/questions", headers=csrf, json={
            "title": "Will the library reopen?", "resolve_by": "in 20 days",
            "opened": "2 days ago"}).json()["id"]
        assert bob.post(f"/api/questions/{q}/forecasts", headers=csrf,
                        json={"probability": "likely", "at": "1 day ago"}).status_code == 201
        ada = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
        assert ada.post(f"/api/questions/{q}/resolutions", json={"outcome": "yes"}
                        ).status_code == 201
        board = ada.get("/api/score").json()
        assert [row["forecaster"] for row in board["rows"]] == ["bob"]
        assert ada.post("/api/verify", json={}).json()["ok"] is True
        assert ada.get("/openapi.json").status_code == 200
    shown = run(folder, "show", q, *db)
    assert "asked by bob" in shown and "by ada" in shown
    assert "Written by: ada 1, bob 2" in run(folder, "verify", *db)
