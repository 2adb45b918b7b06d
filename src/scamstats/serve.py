"""Serving the dashboard: Streamlit in a child process, unattended, on loopback only.

Streamlit asks for an e-mail address on its first interactive run and opens a browser from
the server itself; neither works for a script, a service or a machine without a screen. So
the server always runs headless (no prompt, no browser of its own, no usage statistics, no
file watcher), and this module opens the user's browser once, itself, when the server
answers and a display is there.

`serving` is the same start for a script or a test: any Streamlit command on a free loopback
port, in a session of its own, until the health check answers; the whole session stopped after.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path

from scamstats.cite import BASE_URL_VARIABLE
from scamstats.paths import DASHBOARD_APP

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 120
HEALTH_PATH = "/_stcore/health"  # Streamlit answers "ok" here once it can serve a page
STOP_GRACE_SECONDS = 20


class PortBusy(Exception):
    """The port is taken: nothing was started."""


class ServerDidNotStart(RuntimeError):
    """The server exited, or did not answer in time; the message ends with its log."""


def port_is_free(port: int, host: str = HOST) -> bool:
    """Return whether Streamlit could bind `host:port` now.

    As Streamlit does (but on Windows, where it would let two servers share a port), with
    SO_REUSEADDR: connections a stopped server left in TIME_WAIT do not keep its port busy.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    """Return a port on `host` that nothing listens on now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def has_display() -> bool:
    """Return whether a browser window can be opened on this machine."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def streamlit_command(port: int, app: Path = DASHBOARD_APP) -> list[str]:
    """Return the command that serves `app` headless on loopback, offline and private."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", HOST, "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
        "--client.toolbarMode", "viewer",
        "--logger.level", "warning",
    ]


def dashboard_command(port: int, *options: str) -> list[str]:
    """Return the command that runs `scamstats dashboard --port PORT OPTIONS` with this Python."""
    return [sys.executable, "-m", "scamstats.cli", "dashboard", "--port", str(port), *options]


def streamlit_environment(home: str | None = None, base_url: str | None = None) -> dict[str, str]:
    """Return the server's environment: usage statistics off, whatever the user's config;
    with `base_url`, the public address the dashboard's view links start with."""
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "STREAMLIT_SERVER_HEADLESS": "true"}
    if home:
        env["HOME"] = home
    if base_url:
        env[BASE_URL_VARIABLE] = base_url
    return env


def accepts_connections(port: int, host: str = HOST) -> bool:
    """Return whether something on `host:port` accepts a connection now.

    The probe closes its side first, so the server's port is left without a connection in
    TIME_WAIT: `port_is_free` is true again as soon as the server stops.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def is_healthy(port: int, host: str = HOST) -> bool:
    """Return whether the Streamlit server on `host:port` answers its health check with "ok"."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{HEALTH_PATH}", timeout=2) as answer:
            return answer.read() == b"ok"
    except OSError:
        return False


def wait_until_answering(process: subprocess.Popen, port: int, timeout: float,
                         answers: Callable[[int], bool] = accepts_connections) -> bool:
    """Return True once `answers(port)`; False if the process exits or `timeout` s pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if answers(port):
            return True
        time.sleep(0.2)
    return False


def stop_session(process: subprocess.Popen, grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop every process of the session `process` leads: SIGTERM, then SIGKILL after `grace` s."""
    with contextlib.suppress(ProcessLookupError):  # already gone (it failed to start)
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def serving(command: Callable[[int], list[str]], log: Path, *, cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = START_TIMEOUT_SECONDS) -> Iterator[str]:
    """Yield the URL of `command(port)` served on a free loopback port, once it answers.

    The command runs in a session of its own, stdin closed, its output in `log`. Raises
    ServerDidNotStart, with the log, when it exits or `timeout` seconds pass before its health
    check says "ok". The whole session (a launcher and the server it starts) is always stopped.

    Example:  with serving(lambda port: dashboard_command(port, "--headless"), log) as url: ...
    """
    port = free_port()
    with Path(log).open("w") as output:
        process = subprocess.Popen(command(port), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if not wait_until_answering(process, port, timeout, answers=is_healthy):
            what = "stopped" if process.poll() is not None else f"did not answer within {timeout:g} s"
            raise ServerDidNotStart(f"the server {what}:\n{Path(log).read_text(errors='replace')}")
        yield f"http://{HOST}:{port}"
    finally:
        stop_session(process)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # a service manager's SIGTERM stops the server as Ctrl+C does


def serve(port: int, open_browser: bool, say: Callable[[str], None], base_url: str | None = None) -> int:
    """Serve the dashboard until it stops or Ctrl+C; return the exit code.

    Raises PortBusy before starting anything when the port is taken. `base_url` (checked by
    the caller with `cite.check_base_url`) is where the dashboard's view links point.
    """
    if not port_is_free(port):
        raise PortBusy(f"port {port} on {HOST} is already in use; stop what uses it or pass --port")
    url = f"http://{HOST}:{port}"
    # Stopped by SIGTERM or SIGHUP (a script, a service, a closed terminal), the server we
    # started stops with us: no Streamlit process is left behind.
    previous = {number: signal.signal(number, _stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    process = subprocess.Popen(
        streamlit_command(port), cwd=DASHBOARD_APP.parent, env=streamlit_environment(base_url=base_url),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    )
    try:
        if not wait_until_answering(process, port, START_TIMEOUT_SECONDS):
            code = process.poll()
            if code is None:
                process.terminate()
                code = 1
            say(f"scamstats dashboard: the server did not start (exit {code}); see the messages above")
            return code or 1
        say(f"scamstats dashboard on {url} (Ctrl+C to stop)")
        if open_browser and has_display():
            webbrowser.open(url)
        elif open_browser:
            say(f"no display here: open {url} in a browser on this machine")
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for number, handler in previous.items():
            signal.signal(number, handler)
