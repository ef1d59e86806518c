"""Two replicas behind nginx (Debian's package) on loopback, driven by real browser sessions.

Starts `deploy/run_replicas.py` exactly as an operator would. Checks that pages load through
nginx, that training steps work, that each browser stays on the replica it landed on (its
WebSocket included, from nginx's own access log) and that a dead replica is routed around
and restarted. A missing nginx fails the test: `python3 tasks.py test` installs it as root.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import REPO_ROOT, _healthy
from tests.browser.helpers import assert_no_exception, wait_ready

# A rerun on a busy shared CI machine can take seconds; Playwright's default is 5 s.
expect.set_options(timeout=20_000)

pytestmark = pytest.mark.slow

START_TIMEOUT = 120.0
BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")
MAX_CONTEXTS = 16  # a new browser lands on either replica with probability ½ each


def nginx_path() -> str:
    for candidate in (os.environ.get("NGINX_PATH"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail(
        "nginx not found: the replica test needs Debian's nginx. Install it with\n"
        "    sudo apt-get install -y nginx\n"
        "or set NGINX_PATH. `python3 tasks.py test` installs it when run as root.",
        pytrace=False,
    )


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    """Run two replicas and nginx; yield the state written by run_replicas.py (+ workdir)."""
    nginx = nginx_path()
    workdir = tmp_path_factory.mktemp("replicas")
    port, first, second = free_ports(3)
    command = [
        sys.executable,
        str(REPO_ROOT / "deploy" / "run_replicas.py"),
        "--replicas",
        "2",
        "--port",
        str(port),
        "--replica-ports",
        f"{first},{second}",
        "--workdir",
        str(workdir),
        "--nginx",
        nginx,
        "--",
        "--client.showErrorDetails=full",
    ]
    supervisor = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        state = _wait_for_state(supervisor, workdir)
        yield state | {"workdir": workdir, "supervisor": supervisor}
    finally:
        _shut_down(supervisor, workdir)


def _wait_for_state(supervisor: subprocess.Popen, workdir: Path) -> dict:
    deadline = time.monotonic() + START_TIMEOUT
    state_file = workdir / "state.json"
    while time.monotonic() < deadline:
        if supervisor.poll() is not None:
            output = supervisor.stdout.read().decode(errors="replace")
            pytest.fail(f"run_replicas.py exited ({supervisor.returncode}):\n{output}")
        if state_file.exists():
            state = json.loads(state_file.read_text())
            if _healthy(state["url"]):
                return state
        time.sleep(0.3)
    pytest.fail(f"nginx and the replicas were not up within {START_TIMEOUT:.0f} s")


def _shut_down(supervisor: subprocess.Popen, workdir: Path) -> None:
    """Stop the supervisor (it stops nginx and the replicas) and check nothing is left."""
    supervisor.send_signal(signal.SIGTERM)
    try:
        supervisor.wait(timeout=30)
    except subprocess.TimeoutExpired:
        supervisor.kill()
        supervisor.wait()
    state = json.loads((workdir / "state.json").read_text())
    pids = [state["nginx_pid"], *(r["pid"] for r in state["replicas"])]
    left = [pid for pid in pids if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left running after SIGTERM: {left}"


def _zombie(pid: int) -> bool:
    try:
        return " Z " in Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1][:4]
    except OSError:
        return True


# --- helpers --------------------------------------------------------------------------------


def replica_shown(page: Page) -> str:
    """The replica that runs this page's session, as the sidebar says."""
    caption = page.get_by_text(re.compile(r"^Served by replica r\d+$"))
    expect(caption).to_be_visible()
    return caption.inner_text().rsplit(" ", 1)[1]


def port_of(state: dict, name: str) -> int:
    return next(r["port"] for r in state["replicas"] if r["name"] == name)


def watch_failures(page: Page, origin: str) -> list[str]:
    """A list that collects every request to origin (nginx) that fails or answers ≥ 400.
    (Requests elsewhere, such as Streamlit's icon font from Google, are not ours.)"""
    failures: list[str] = []

    def failed(request) -> None:
        if request.url.startswith(origin):
            failures.append(f"failed {request.url}")

    def answered(response) -> None:
        # Streamlit's page probes /<page>/_stcore/health first, expecting 404 unless the
        # app is served under that prefix: that answer is part of the protocol.
        probe = response.status == 404 and BASE_PATH_PROBE.search(response.url)
        if response.url.startswith(origin) and response.status >= 400 and not probe:
            failures.append(f"{response.status} {response.url}")

    page.on("requestfailed", failed)
    page.on("response", answered)
    return failures


def fully_loaded(page: Page, failures: list[str]) -> None:
    """The page finished its run, drew a chart (Plotly's code came through nginx too) and
    no request failed."""
    wait_ready(page)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    wait_ready(page)
    assert_no_exception(page)
    assert not failures, failures


def open_train(context: BrowserContext, state: dict) -> tuple[Page, str]:
    """Open /train through nginx in a browser context; return the page and its replica."""
    page = context.new_page()
    failures = watch_failures(page, state["url"])
    response = page.goto(f"{state['url']}/train")
    fully_loaded(page, failures)
    name = replica_shown(page)
    assert response.headers["x-softviz-upstream"] == f"127.0.0.1:{port_of(state, name)}"
    return page, name


def route_cookie(context: BrowserContext) -> str:
    """The affinity cookie nginx gave this browser."""
    return next(c["value"] for c in context.cookies() if c["name"] == "softviz_route")


def steps_shown(page: Page):
    metric = page.get_by_test_id("stMetric").filter(has_text="Steps")
    return metric.get_by_test_id("stMetricValue")


def step(page: Page, expected: int) -> None:
    page.get_by_role("button", name="Step", exact=True).click()
    expect(steps_shown(page)).to_have_text(str(expected))
    wait_ready(page)


def contexts_on_two_replicas(browser: Browser, state: dict):
    """New browser contexts until two sit on different replicas; the rest are closed."""
    found: dict[str, tuple[BrowserContext, Page]] = {}
    for _ in range(MAX_CONTEXTS):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page, name = open_train(context, state)
        if name in found:
            context.close()
            continue
        found[name] = (context, page)
        if len(found) == 2:
            return [found[name] for name in sorted(found)]
    pytest.fail(f"{MAX_CONTEXTS} new browsers all landed on {list(found)}: routing is not random")


def access_log(workdir: Path) -> list[dict[str, str]]:
    """nginx's access log as dicts with request, status, route and upstream."""
    pattern = re.compile(
        r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ route=(?P<route>\S+) '
        r"upstream=(?P<upstream>\S+)"
    )
    lines = (workdir / "access.log").read_text().splitlines()
    return [m.groupdict() for line in lines if (m := pattern.search(line))]


# --- tests ----------------------------------------------------------------------------------


def test_pages_load_through_nginx(replicas, browser):
    context = browser.new_context()
    try:
        pages = (("/", "label"), ("/tour?step=3", "softmax"), ("/heads", "Heads"),
                 ("/train", "Train"), ("/compare", "Head to head"))  # fmt: skip
        for path, heading in pages:
            page = context.new_page()  # a new tab each: leaving a page aborts its requests
            failures = watch_failures(page, replicas["url"])
            response = page.goto(replicas["url"] + path)
            assert response.status == 200 and response.headers["x-softviz-upstream"]
            fully_loaded(page, failures)
            expect(page.locator("h1").first).to_contain_text(heading)
            page.close()
    finally:
        context.close()


def test_sessions_train_and_stay_on_their_replica(replicas, browser):
    (ctx_a, page_a), (ctx_b, page_b) = contexts_on_two_replicas(browser, replicas)
    name_a, name_b = replica_shown(page_a), replica_shown(page_b)
    assert name_a != name_b
    # Interleaved steps: each session keeps its own count, so each kept its own server.
    for page, expected in ((page_a, 1), (page_b, 1), (page_a, 2), (page_a, 3), (page_b, 2)):
        step(page, expected)
    assert (replica_shown(page_a), replica_shown(page_b)) == (name_a, name_b)
    # A reload is a new session, on the same replica (the cookie decides, not luck).
    page_a.reload()
    wait_ready(page_a)
    expect(steps_shown(page_a)).to_have_text("0")
    assert replica_shown(page_a) == name_a
    step(page_a, 1)
    routes = {route_cookie(ctx_a): name_a, route_cookie(ctx_b): name_b}
    ctx_a.close()
    ctx_b.close()
    _every_request_of_a_route_hit_one_replica(replicas, routes)


def _every_request_of_a_route_hit_one_replica(state: dict, routes: dict[str, str]) -> None:
    """From nginx's log: all requests with a browser's cookie, WebSocket included, went to
    its replica. WebSocket lines are written when the socket closes, so wait for them."""
    assert len(routes) == 2
    deadline = time.monotonic() + 15
    while True:
        seen: dict[str, set[str]] = defaultdict(set)
        sockets: dict[str, int] = defaultdict(int)
        for entry in access_log(state["workdir"]):
            if entry["route"] in routes:
                seen[entry["route"]].add(entry["upstream"])
                sockets[entry["route"]] += "/_stcore/stream" in entry["request"]
        if all(sockets[route] >= 1 for route in routes) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    for route, name in routes.items():
        assert sockets[route] >= 1, f"no WebSocket logged for {name}"
        assert seen[route] == {f"127.0.0.1:{port_of(state, name)}"}, (name, seen[route])


def test_a_dead_replica_is_routed_around_and_restarted(replicas, browser):
    context = browser.new_context()
    try:
        page, name = open_train(context, replicas)
        dead = next(r for r in replicas["replicas"] if r["name"] == name)
        os.kill(dead["pid"], signal.SIGKILL)
        # The same browser (same cookie) is served by the other replica straight away …
        page.reload()
        wait_ready(page)
        assert replica_shown(page) != name
        step(page, 1)
        # … and the supervisor's health checks bring the dead one back.
        deadline = time.monotonic() + 60
        state_file = replicas["workdir"] / "state.json"
        while time.monotonic() < deadline:
            state = json.loads(state_file.read_text())
            back = next(r for r in state["replicas"] if r["name"] == name)
            if back["restarts"] >= 1 and _healthy(f"http://127.0.0.1:{back['port']}"):
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"replica {name} was not restarted within 60 s")
    finally:
        context.close()
