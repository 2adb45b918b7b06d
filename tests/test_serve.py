"""The dashboard starts unattended: no terminal, a fresh HOME, no prompt, a clear busy-port error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scamstats.serve import ServerDidNotStart, free_port, port_is_free, serving

SCAMSTATS = Path(sys.executable).parent / "scamstats"
# A stand-in for Streamlit: answers its health check, and starts a child that outlives a plain kill.
FAKE_SERVER = """
import http.server, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print("child", child.pid, flush=True)
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
"""


def wait_for_http(url: str, timeout: float = 90) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    return 0


@pytest.fixture
def fresh_home(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["HOME"] = str(tmp_path / "home")
    Path(env["HOME"]).mkdir()
    return env


def test_dashboard_serves_with_stdin_closed_and_no_credentials(fresh_home, tmp_path):
    port = free_port()
    err = (tmp_path / "stderr").open("w+")
    process = subprocess.Popen(
        [str(SCAMSTATS), "dashboard", "--port", str(port)], env=fresh_home,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, text=True,
    )
    try:
        assert wait_for_http(f"http://127.0.0.1:{port}/") == 200
        assert process.poll() is None, "the server stopped after answering"
        # The server can answer a moment before our launcher (which polls it) announces it.
        deadline = time.monotonic() + 30
        while "no display here" not in Path(err.name).read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=20)
    err.seek(0)
    said = err.read() + (process.stdout.read() if process.stdout else "")
    assert "Email" not in said
    assert "usage statistics" not in said.lower()
    assert f"scamstats dashboard on http://127.0.0.1:{port}" in said
    # No display: it says how to open the page instead of starting xdg-open.
    assert "no display here" in said
    # Streamlit wrote no credentials file: it never asked.
    assert not (Path(fresh_home["HOME"]) / ".streamlit" / "credentials.toml").exists()


def test_busy_port_is_one_clear_line_before_anything_starts(fresh_home):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = subprocess.run(
            [str(SCAMSTATS), "dashboard", "--headless", "--port", str(port)], env=fresh_home,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [(f"scamstats dashboard: port {port} on 127.0.0.1 is already in use; "
                     "stop what uses it or pass --port")]
    assert "http://" not in result.stdout + result.stderr


def test_a_stopped_server_leaves_no_streamlit_process(fresh_home, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [str(SCAMSTATS), "dashboard", "--headless", "--port", str(port)], env=fresh_home,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for_http(f"http://127.0.0.1:{port}/") == 200
    finally:
        process.terminate()  # SIGTERM, as a service manager or a script stops it
        process.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and wait_for_http(f"http://127.0.0.1:{port}/", timeout=1):
        time.sleep(0.5)
    # The port is free again (as Streamlit binds it: connections in TIME_WAIT aside): the child has gone too.
    assert port_is_free(port)


def test_the_base_url_reaches_the_server(monkeypatch):
    from scamstats import serve

    env = serve.streamlit_environment(base_url="https://data.example.org/")
    assert env["SCAMSTATS_BASE_URL"] == "https://data.example.org/"
    assert "--server.headless" in serve.streamlit_command(8501)


def alive(pid: int) -> bool:
    """Return whether a process with this id still runs (a zombie counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_serving_yields_the_url_once_healthy_and_stops_the_whole_session(tmp_path):
    log = tmp_path / "server.log"
    with serving(lambda port: [sys.executable, "-c", FAKE_SERVER, str(port)], log, timeout=30) as url:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
            assert answer.read() == b"ok"
        child = int(log.read_text().split()[1])
        assert alive(child)
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child), "the server's child outlived it"


def test_serving_a_server_that_stops_raises_with_its_log(tmp_path):
    stops = [sys.executable, "-c", "print('no such app'); raise SystemExit(3)"]
    with (pytest.raises(ServerDidNotStart, match=r"(?s)stopped.*no such app"),
          serving(lambda port: stops, tmp_path / "server.log", timeout=30)):
        pytest.fail("a server that stopped was taken for one that answers")


def test_serving_a_server_that_never_answers_raises_at_the_deadline_and_stops_it(tmp_path):
    log = tmp_path / "server.log"
    silent = [sys.executable, "-c", "import os, time; print('pid', os.getpid(), flush=True); time.sleep(600)"]
    started = time.monotonic()
    with (pytest.raises(ServerDidNotStart, match="did not answer within 3 s"),
          serving(lambda port: silent, log, timeout=3)):
        pytest.fail("a server that never answered was taken for one that answers")
    assert time.monotonic() - started < 30
    assert not alive(int(log.read_text().split()[1]))


def test_a_port_left_in_time_wait_by_a_stopped_server_is_free_and_a_listening_one_is_not():
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Streamlit's server does
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            accepted.close()  # the server closes first: its side of the port waits in TIME_WAIT
            client.recv(1)
        assert not port_is_free(port)
    assert port_is_free(port)
