#!/usr/bin/env python3
"""Measure what one replica holds: memory per open session, Step latency under a class's load.

    python deploy/measure.py --sessions 1,10,20 --clicks 10     # needs playwright + Chromium

Starts deploy/run_replicas.py with one replica behind nginx, then for each session count S:
opens fresh browser sessions on /train until S are open (each its own context, so its own
Trainer), reads the replica's resident memory, and has all S sessions press Step `clicks`
times at once, timing each click until the Steps metric shows the new count. Prints one line
per S.
Numbers depend on the machine; run it where you deploy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import Page, async_playwright, expect

ROOT = Path(__file__).resolve().parents[1]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(workdir: Path) -> tuple[subprocess.Popen, dict]:
    """One replica behind nginx on free loopback ports; returns the supervisor and its state."""
    with socket.socket() as a, socket.socket() as b:
        a.bind(("127.0.0.1", 0))
        b.bind(("127.0.0.1", 0))
        port, replica = a.getsockname()[1], b.getsockname()[1]
    script = str(ROOT / "deploy" / "run_replicas.py")
    command = [sys.executable, script, "--replicas", "1", "--port", str(port)]
    command += ["--replica-ports", str(replica), "--workdir", str(workdir)]
    state_file = workdir / "state.json"
    state_file.unlink(missing_ok=True)  # a previous run's state names other ports
    log = open(workdir / "supervisor.log", "ab")  # noqa: SIM115 - closed with the process
    supervisor = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        if state_file.exists():
            return supervisor, json.loads(state_file.read_text())
        time.sleep(0.2)
    raise SystemExit("replica did not start")


async def open_session(browser, url: str) -> Page:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    await page.goto(f"{url}/train")
    await page.wait_for_selector(READY, state="attached", timeout=120_000)
    return page


async def click_steps(page: Page, clicks: int) -> list[float]:
    """Press Step `clicks` times; seconds from each click until the metric shows it."""
    value = page.get_by_test_id("stMetric").filter(has_text="Steps").get_by_test_id("stMetricValue")
    start_count = int(await value.inner_text())
    times = []
    for n in range(1, clicks + 1):
        t0 = time.perf_counter()
        await page.get_by_role("button", name="Step", exact=True).click()
        await expect(value).to_have_text(str(start_count + n), timeout=120_000)
        times.append(time.perf_counter() - t0)
    return times


async def measure(url: str, pid: int, counts: list[int], clicks: int) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        idle = rss_mb(pid)
        print(f"idle replica: {idle:.0f} MB resident")
        print(
            "sessions  RSS MB  MB/session  Step median ms  Step p90 ms  steps/s  server CPU ms/step"
        )
        pages: list[Page] = []
        for count in sorted(counts):  # sessions stay open: RSS counts all of them
            pages += [await open_session(browser, url) for _ in range(count - len(pages))]
            await asyncio.sleep(1.0)
            memory = rss_mb(pid)
            t0, cpu0 = time.perf_counter(), cpu_seconds(pid)
            runs = await asyncio.gather(*(click_steps(page, clicks) for page in pages))
            wall, cpu = time.perf_counter() - t0, cpu_seconds(pid) - cpu0
            times = sorted(t for run in runs for t in run)
            p90 = times[int(0.9 * (len(times) - 1))]
            print(
                f"{count:8d}  {memory:6.0f}  {(memory - idle) / count:10.1f}  "
                f"{statistics.median(times) * 1e3:14.0f}  {p90 * 1e3:11.0f}  "
                f"{len(times) / wall:7.1f}  {cpu / len(times) * 1e3:18.0f}"
            )
        await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,20", help="comma-separated counts")
    parser.add_argument("--clicks", type=int, default=10, help="Step clicks per session")
    parser.add_argument("--workdir", type=Path, help="keep logs here (default: a temp dir)")
    args = parser.parse_args()
    counts = [int(c) for c in args.sessions.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="softviz-measure-"))
    supervisor, state = start(workdir)
    try:
        urllib.request.urlopen(f"{state['url']}/nginx-health", timeout=5)
        asyncio.run(measure(state["url"], state["replicas"][0]["pid"], counts, args.clicks))
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=30)
        print(f"logs in {workdir}:", (workdir / "supervisor.log").read_text().strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
