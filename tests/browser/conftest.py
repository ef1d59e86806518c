"""Fixtures that drive the real app in a real Chromium (Debian's, via Playwright).

    def test_step(app_server, page):
        page.goto(f"{app_server}/train")
        wait_ready(page)                     # from tests.browser.helpers

Every test in this folder is marked `browser`. A missing Chromium fails the run, never skips
it. SOFTVIZ_APP points the server at another script (default: app.py in the repo root);
CHROMIUM_PATH at another browser binary (default: /usr/bin/chromium).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NoReturn

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
SERVER_START_TIMEOUT = 60.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, so mark only the ones under this folder.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM)
    if not Path(path).is_file():
        pytest.fail(
            f"Chromium not found at {path}; the browser tests need a real Chromium.\n"
            "Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set\n"
            "CHROMIUM_PATH to a Chromium binary. `python3 tasks.py test` does this for you.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Start `streamlit run` on a free port; yield its base URL, e.g. http://127.0.0.1:8765."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = _server_command(port)
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for_health(server, base_url, log, command)
            yield base_url
        finally:
            _stop(server)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def _server_command(port: int) -> list[str]:
    app = os.environ.get("SOFTVIZ_APP", "app.py")
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        # Show real tracebacks so assert_no_exception can report them.
        "--client.showErrorDetails=full",
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(
    server: subprocess.Popen, base_url: str, log: IO[str], command: list[str]
) -> None:
    """Return once /_stcore/health answers; fail with the server's output otherwise."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            _fail_with_log(f"streamlit exited with code {server.returncode}", log, command)
        if _healthy(base_url):
            return
        time.sleep(0.2)
    _fail_with_log(f"streamlit did not answer within {SERVER_START_TIMEOUT:.0f} s", log, command)


def _healthy(base_url: str) -> bool:
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with no_proxy.open(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _fail_with_log(reason: str, log: IO[str], command: list[str]) -> NoReturn:
    log.flush()
    log.seek(0)
    output = log.read()
    pytest.fail(f"{reason}.\ncommand: {' '.join(command)}\noutput:\n{output}", pytrace=False)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
