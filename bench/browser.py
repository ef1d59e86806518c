"""App benchmarks in a real Chromium, each next to a reference app measured in the same run.

Streamlit servers are started on free loopback ports; Chromium is Debian's (/usr/bin/chromium).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
ONE_BUTTON = ROOT / "bench" / "apps" / "one_button.py"
FRAGMENT = ROOT / "bench" / "apps" / "fragment_counter.py"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
READY = ("() => { const a = document.querySelector(\"[data-testid='stApp']\");"
         " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }")  # fmt: skip
STEPS_VALUE = "[data-testid='stMetric']:has-text('Steps') [data-testid='stMetricValue']"
# The same element found from page JavaScript (":has-text" is Playwright-only).
STEPS_JS = """(() => {
  for (const m of document.querySelectorAll("[data-testid='stMetric']")) {
    const label = m.querySelector("[data-testid='stMetricLabel']");
    if (label && label.innerText.trim() === "Steps") {
      const v = m.querySelector("[data-testid='stMetricValue']");
      return v ? v.innerText.replace(/,/g, "") : null;
    }
  }
  return null;
})()"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run script` on a free port; `.url`, `.pid`, `.started` (perf_counter)."""

    def __init__(self, script: Path, extra_args: list[str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
             f"--server.port={self.port}", "--server.address=127.0.0.1",
             "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
             *(extra_args or [])],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"server for {self.url} never became healthy")

    def rss_mb(self) -> float:
        """Resident memory of the server process, MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@contextmanager
def serving(script: Path) -> Iterator[Server]:
    server = Server(script)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def open_ready(browser: Browser, url: str, width: int = 1440, height: int = 900) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(STEPS_VALUE, timeout=60_000)
    page.wait_for_function(READY, timeout=60_000)
    return page


def steps(page: Page) -> int:
    return int(page.locator(STEPS_VALUE).inner_text().replace(",", ""))


def click_latency(page: Page, label: str = "Step", clicks: int = 10) -> float:
    """Median seconds from a click until Steps shows the new count and the rerun is done."""
    times = []
    for _ in range(clicks):
        expected = steps(page) + 1
        start = time.perf_counter()
        page.get_by_role("button", name=label, exact=True).click()
        page.wait_for_function(f"() => {STEPS_JS} === '{expected}'", timeout=30_000)
        page.wait_for_function(READY, timeout=30_000)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


WATCH_FRAMES = """() => {
  window.__frames = [];
  const target = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => {
    const text = SELECTOR;
    const last = window.__frames[window.__frames.length - 1];
    if (text && (!last || last[1] !== text)) window.__frames.push([performance.now(), text]);
  }).observe(target, {subtree: true, childList: true, characterData: true});
}""".replace("SELECTOR", STEPS_JS)


def frames_per_second(page: Page, seconds: float = 5.0) -> float:
    """Distinct Steps values the browser shows per second while Play runs."""
    page.evaluate(WATCH_FRAMES)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_timeout(1000)  # let playback settle
    page.evaluate("() => { window.__frames = []; }")
    page.wait_for_timeout(seconds * 1000)
    shown = page.evaluate("() => window.__frames.length")
    page.get_by_role("button", name="Pause", exact=True).click()
    page.wait_for_function(READY, timeout=30_000)
    return shown / seconds


def bytes_per_step(browser: Browser, url: str, clicks: int = 10) -> float:
    """WebSocket bytes sent to the browser per Step click."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    received = [0]
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.__setitem__(
        0, received[0] + len(payload))))  # fmt: skip
    page.goto(url)
    page.wait_for_selector(STEPS_VALUE, timeout=60_000)
    page.wait_for_function(READY, timeout=60_000)
    before = received[0]
    click_latency(page, clicks=clicks)
    page.close()
    return (received[0] - before) / clicks


def memory_per_session(browser: Browser, server: Server, path: str, sessions: int) -> dict:
    """Server RSS growth per extra open session (each pressed Step once), and after closing."""
    first = open_ready(browser, server.url + path)
    click_latency(first, clicks=1)
    base = server.rss_mb()
    pages = [open_ready(browser, server.url + path, 800, 600) for _ in range(sessions - 1)]
    for page in pages:
        click_latency(page, clicks=1)
    loaded = server.rss_mb()
    for page in pages:
        page.close()
    first.close()
    time.sleep(3)
    return {"memory_per_session_mb": (loaded - base) / (sessions - 1),
            "memory_rss_base_mb": base, "memory_rss_loaded_mb": loaded,
            "memory_rss_after_close_mb": server.rss_mb()}  # fmt: skip


def cold_start(browser: Browser, script: Path, path: str) -> float:
    """Seconds from launching the server until the page is ready in the browser."""
    server = Server(script)
    try:
        server.wait_healthy()
        page = open_ready(browser, server.url + path)
        elapsed = time.perf_counter() - server.started
        page.close()
        return elapsed
    finally:
        server.stop()


def run(quick: bool = False, sessions: int = 30) -> dict[str, float]:
    clicks = 3 if quick else 10
    results: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get(
            "CHROMIUM_PATH", "/usr/bin/chromium"), args=CHROMIUM_ARGS)  # fmt: skip
        with serving(APP) as app, serving(ONE_BUTTON) as ref, serving(FRAGMENT) as frag:
            results["click_softviz_s"] = click_latency(
                open_ready(browser, app.url + "/train"), clicks=clicks
            )
            results["click_reference_s"] = click_latency(
                open_ready(browser, ref.url), clicks=clicks
            )
            results["click_ratio"] = results["click_softviz_s"] / results["click_reference_s"]
            seconds = 2.0 if quick else 5.0
            results["fps_softviz"] = frames_per_second(
                open_ready(browser, app.url + "/train"), seconds
            )
            results["fps_reference"] = frames_per_second(open_ready(browser, frag.url), seconds)
            results["fps_ratio"] = results["fps_softviz"] / results["fps_reference"]
            results["bytes_per_step"] = bytes_per_step(browser, app.url + "/train", clicks)
            results["bytes_per_step_reference"] = bytes_per_step(browser, ref.url, clicks)
            results |= memory_per_session(browser, app, "/train", 5 if quick else sessions)
        results["cold_start_softviz_s"] = cold_start(browser, APP, "/train")
        results["cold_start_reference_s"] = cold_start(browser, ONE_BUTTON, "")
        results["cold_start_ratio"] = (
            results["cold_start_softviz_s"] / results["cold_start_reference_s"]
        )
        browser.close()
    return results
