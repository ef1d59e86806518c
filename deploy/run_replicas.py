#!/usr/bin/env python3
"""Run several softviz replicas behind nginx, with sticky sessions, and keep them healthy.

    python deploy/run_replicas.py --replicas 4 --port 8080
    python deploy/run_replicas.py --print-config            # just show the nginx config

Starts N `streamlit run app.py` processes on loopback ports (each with SOFTVIZ_REPLICA=rK in
its environment and one shared cookie secret), waits until each answers /_stcore/health,
renders deploy/nginx.conf.template into a working directory and runs nginx in the foreground
with that directory as its prefix. Then it supervises: every few seconds it asks each replica's
/_stcore/health and restarts a replica that exited or failed three checks in a row. Ctrl+C or
SIGTERM stops nginx and every replica. Arguments after `--` go to every `streamlit run`.

Standard library only; run it with the Python that has streamlit installed. The working
directory gets nginx.conf, the logs of nginx and of every replica, and state.json (URL, ports,
process ids) for scripts and tests that drive the running set.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
HEALTH_PATH = "/_stcore/health"
START_TIMEOUT = 90.0
CHECK_EVERY = 5.0
FAILURES_BEFORE_RESTART = 3
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def say(message: str) -> None:
    print(f"softviz-deploy: {message}", flush=True)


@dataclass
class Replica:
    """One `streamlit run` process; `failures` counts consecutive failed health checks."""

    name: str
    port: int
    process: subprocess.Popen | None = None
    failures: int = 0
    restarts: int = 0
    log: Path = field(default_factory=Path)


# --- the nginx configuration ---------------------------------------------------------------


def render_config(ports: list[int], listen: str, prefix: Path) -> str:
    """deploy/nginx.conf.template with the upstream servers, listen address and prefix."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;" for port in ports
    )
    text = TEMPLATE.read_text()
    for key, value in (("SERVERS", servers), ("LISTEN", listen), ("PREFIX", str(prefix))):
        text = text.replace(f"@@{key}@@", value)
    if re.search(r"@@[A-Z_]+@@", text):
        raise ValueError("the nginx template has a placeholder this script does not fill")
    return text


def find_nginx(explicit: str | None) -> str:
    """The nginx binary: --nginx, $NGINX_PATH, nginx on PATH, or Debian's /usr/sbin/nginx."""
    for candidate in (explicit, os.environ.get("NGINX_PATH"), shutil.which("nginx")):
        if candidate:
            return candidate
    if Path("/usr/sbin/nginx").exists():
        return "/usr/sbin/nginx"
    raise SystemExit("softviz-deploy: nginx not found; install it (apt-get install -y nginx).")


# --- processes ------------------------------------------------------------------------------


def healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether GET url answers 200 (no proxy: these are loopback addresses)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_replica(replica: Replica, python: str, extra: list[str], secret: str) -> None:
    """Start (or restart) one replica; its output goes to its log file."""
    command = [
        python,
        "-m",
        "streamlit",
        "run",
        "app.py",
        f"--server.port={replica.port}",
        "--server.address=127.0.0.1",
        "--server.headless=true",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        *extra,
    ]
    # One cookie secret for all: a session that fails over keeps a valid XSRF token.
    env = os.environ | {"SOFTVIZ_REPLICA": replica.name, "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    with open(replica.log, "ab") as log:
        replica.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    replica.failures = 0


def wait_until(check, what: str, process: subprocess.Popen | None = None) -> None:
    """Poll check() until it is true; exit with a message on timeout or if process dies."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and process.poll() is not None:
            raise SystemExit(f"softviz-deploy: {what} exited with code {process.returncode}")
        time.sleep(0.2)
    raise SystemExit(f"softviz-deploy: {what} not ready within {START_TIMEOUT:.0f} s")


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Signal one process we started and wait for it (kill it after 10 s)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_nginx(nginx: str, workdir: Path) -> subprocess.Popen:
    """Check the rendered config, then run nginx in the foreground with workdir as prefix."""
    for name in TEMP_DIRS:
        (workdir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    base = [nginx, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", "stderr"]
    test = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
    if test.returncode != 0:
        raise SystemExit(f"softviz-deploy: nginx rejected the config:\n{test.stderr}")
    log = open(workdir / "nginx.log", "ab")  # noqa: SIM115 - lives as long as nginx
    return subprocess.Popen([*base, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)


# --- supervision ----------------------------------------------------------------------------


def check_replica(replica: Replica, python: str, extra: list[str], secret: str) -> None:
    """One round of active health checking: restart a replica that died or stopped answering."""
    process = replica.process
    if process is not None and process.poll() is None:
        ok = healthy(f"http://127.0.0.1:{replica.port}{HEALTH_PATH}")
        replica.failures = 0 if ok else replica.failures + 1
        if replica.failures < FAILURES_BEFORE_RESTART:
            return
        say(f"replica {replica.name} failed {replica.failures} health checks; restarting it")
        stop(process)
    else:
        say(f"replica {replica.name} exited; restarting it")
    replica.restarts += 1
    start_replica(replica, python, extra, secret)


def write_state(workdir: Path, url: str, replicas: list[Replica], nginx: subprocess.Popen) -> None:
    state = {
        "url": url,
        "nginx_pid": nginx.pid,
        "replicas": [
            {"name": r.name, "port": r.port, "pid": r.process.pid, "restarts": r.restarts}
            for r in replicas
        ],
    }
    (workdir / "state.json").write_text(json.dumps(state, indent=2) + "\n")


def supervise(args, replicas: list[Replica], nginx: subprocess.Popen, url: str) -> None:
    """Check every replica every CHECK_EVERY seconds until nginx exits or we are stopped."""
    while nginx.poll() is None:
        time.sleep(CHECK_EVERY)
        for replica in replicas:
            check_replica(replica, args.python, args.streamlit_args, args.secret)
        write_state(args.workdir, url, replicas, nginx)
    raise SystemExit(f"softviz-deploy: nginx exited with code {nginx.returncode}")


# --- command line ---------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--replicas", type=int, default=2, help="how many (default 2)")
    parser.add_argument("--host", default="127.0.0.1", help="nginx listen address")
    parser.add_argument("--port", type=int, default=8080, help="nginx listen port")
    parser.add_argument("--first-port", type=int, default=8601, help="replica r1's port")
    parser.add_argument("--replica-ports", help="comma-separated ports, instead of --first-port")
    parser.add_argument("--workdir", type=Path, help="default: a new temporary directory")
    parser.add_argument("--nginx", help="nginx binary (default: from PATH or /usr/sbin)")
    parser.add_argument("--python", default=sys.executable, help="Python with streamlit")
    parser.add_argument("--print-config", action="store_true", help="print nginx.conf, exit")
    parser.add_argument("streamlit_args", nargs="*", help="after --: passed to streamlit run")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    if args.replica_ports:
        args.ports = [int(port) for port in args.replica_ports.split(",")]
    else:
        args.ports = [args.first_port + i for i in range(args.replicas)]
    args.secret = secrets.token_hex(32)
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    listen = f"{args.host}:{args.port}"
    if args.print_config:
        print(render_config(args.ports, listen, args.workdir or Path("/srv/softviz")), end="")
        return 0
    nginx_binary = find_nginx(args.nginx)
    args.workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="softviz-deploy-"))).resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    config = render_config(args.ports, listen, args.workdir)
    (args.workdir / "nginx.conf").write_text(config)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM = Ctrl+C: clean up
    replicas = [
        Replica(f"r{i + 1}", port, log=args.workdir / f"replica-r{i + 1}.log")
        for i, port in enumerate(args.ports)
    ]
    nginx = None
    try:
        for replica in replicas:
            start_replica(replica, args.python, args.streamlit_args, args.secret)
        for replica in replicas:
            url = f"http://127.0.0.1:{replica.port}{HEALTH_PATH}"
            wait_until(lambda u=url: healthy(u), f"replica {replica.name}", replica.process)
        nginx = start_nginx(nginx_binary, args.workdir)
        url = f"http://{args.host}:{args.port}"
        wait_until(lambda: healthy(f"{url}/nginx-health"), "nginx", nginx)
        write_state(args.workdir, url, replicas, nginx)
        say(f"serving {len(replicas)} replicas at {url} (files in {args.workdir})")
        supervise(args, replicas, nginx, url)
    except KeyboardInterrupt:
        say("stopping")
    finally:
        stop(nginx, signal.SIGQUIT)  # graceful: finish the requests in flight
        for replica in replicas:
            stop(replica.process)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
