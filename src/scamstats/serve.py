"""Serving the dashboard: Streamlit in a child process, unattended, on loopback only.

Streamlit asks for an e-mail address on its first interactive run and opens a browser from
the server itself; neither works for a script, a service or a machine without a screen. So
the server always runs headless (no prompt, no browser of its own, no usage statistics, no
file watcher), and this module opens the user's browser once, itself, when the server
answers and a display is there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from scamstats.paths import DASHBOARD_APP

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 120


class PortBusy(Exception):
    """The port is taken: nothing was started."""


def port_is_free(port: int, host: str = HOST) -> bool:
    """Return whether `host:port` can be bound now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


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


def streamlit_environment(home: str | None = None) -> dict[str, str]:
    """Return the server's environment: usage statistics off, whatever the user's config."""
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "STREAMLIT_SERVER_HEADLESS": "true"}
    if home:
        env["HOME"] = home
    return env


def wait_until_answering(process: subprocess.Popen, port: int, timeout: float) -> bool:
    """Return True once the server accepts connections; False if it exits or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((HOST, port)) == 0:
                return True
        time.sleep(0.2)
    return False


def serve(port: int, open_browser: bool, say: Callable[[str], None]) -> int:
    """Serve the dashboard until it stops or Ctrl+C; return the exit code.

    Raises PortBusy before starting anything when the port is taken.
    """
    if not port_is_free(port):
        raise PortBusy(f"port {port} on {HOST} is already in use; stop what uses it or pass --port")
    url = f"http://{HOST}:{port}"
    process = subprocess.Popen(  # our own interpreter and app
        streamlit_command(port), cwd=DASHBOARD_APP.parent, env=streamlit_environment(),
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
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        return 0
