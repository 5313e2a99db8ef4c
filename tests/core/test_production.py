"""Production mode: static files collect with the manifest storage and the real server starts and serves."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    log: Path

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        # Behind the TLS proxy every request arrives with X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
        request = urllib.request.Request(  # noqa: S310 - local test server
            self.base + path, headers={"X-Forwarded-Proto": "https", **headers})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local test server
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(production_env: Callable[..., dict[str, str]], cli: Callable[..., Any], data_dir: Path,
                 **extra_env: str) -> Server:
    env = production_env(data_dir, **extra_env)
    migrated = cli(["migrate", "--noinput"], env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    port = free_port()
    log = data_dir / "server.log"
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "begegnungsatlas.cli", "serve", "--port", str(port), "--threads", "2"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("server exited while starting:\n" + server.output())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("server did not start:\n" + server.output())


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory, production_env: Any, cli: Any) -> Iterator[Server]:
    server = start_server(production_env, cli, tmp_path_factory.mktemp("production"))
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait(timeout=30)


def test_collectstatic_runs_with_the_production_manifest_storage(tmp_path, production_env, cli):
    result = cli(["collectstatic", "--noinput"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/leaflet/leaflet.js"]
    assert hashed != "vendor/leaflet/leaflet.js"
    # The source map reference inside the minified file points at the hashed map that was collected with it.
    body = (tmp_path / "static" / hashed).read_text(encoding="utf-8")
    mapped = re.search(r"sourceMappingURL=(\S+)", body)
    assert mapped is not None
    assert (tmp_path / "static" / "vendor" / "leaflet" / mapped.group(1)).is_file()


def test_the_production_server_serves_pages_and_hashed_static_files(production_server):
    status, headers, body = production_server.get("/")
    assert status == 200, production_server.output()
    page = body.decode()
    assert "Strict-Transport-Security" in headers
    static_paths = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert static_paths, page[:2000]
    hashed = [p for p in static_paths if re.search(r"\.[0-9a-f]{12}\.(?:js|css)$", p)]
    assert hashed, static_paths
    status, headers, body = production_server.get(hashed[0])
    assert status == 200
    assert body
    assert "max-age=315360000" in headers.get("Cache-Control", "")


def test_the_production_server_logs_each_request_with_time_and_real_client(production_server):
    assert production_server.get("/daten/", **{"X-Forwarded-For": "203.0.113.77"})[0] == 200
    deadline = time.monotonic() + 10
    pattern = (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO begegnungsatlas\.access: "
               r'203\.0\.113\.77 "GET /daten/" 200 \d+ [\d.]+ms')
    while not re.search(pattern, production_server.output()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert re.search(pattern, production_server.output()), production_server.output()[-3000:]


def test_the_health_check_answers_over_plain_http_for_the_load_balancer(production_server):
    request = urllib.request.Request(production_server.base + "/healthz")  # noqa: S310 - local test server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local test server
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok", "database": "ok", "migrations": "applied"}


def test_sigterm_stops_the_server_cleanly(tmp_path, production_env, cli):
    server = start_server(production_env, cli, tmp_path)
    assert server.get("/")[0] == 200
    server.process.send_signal(signal.SIGTERM)
    try:
        code = server.process.wait(timeout=30)
    finally:
        if server.process.poll() is None:
            server.process.kill()
    assert code == 0, server.output()
    assert "beendet" in server.output()
