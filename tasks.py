#!/usr/bin/env python3
"""Developer tasks for softviz. Standard library only: runs on a fresh machine.

Usage:
    python3 tasks.py run  [ARGS...]   start the app (streamlit run app.py ARGS...)
    python3 tasks.py test [ARGS...]   ruff check, ruff format --check, then pytest ARGS...
    python3 tasks.py bench [ARGS...]  the benchmark (bench/run.py ARGS..., e.g. --quick, --json F)
    python3 tasks.py load [ARGS...]   the load test (bench/load.py ARGS..., e.g. --sessions 30)
    python3 tasks.py lint             ruff check + ruff format --check
    python3 tasks.py fmt              ruff format + ruff check --fix

Every command sets itself up first:
  * a virtual environment in .venv (or $SOFTVIZ_VENV), created if missing;
  * `pip install -e .[test]`, re-run only when pyproject.toml has changed since the last
    install (its hash is stamped inside the virtual environment);
  * for `test`, Debian's Chromium at /usr/bin/chromium (or $CHROMIUM_PATH), installed with
    apt-get when running as root, otherwise a message says what to install.

The exit code is that of the command run (for `test`: pytest's, or 1 if only ruff failed).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent
PYPROJECT = ROOT / "pyproject.toml"
STAMP_NAME = ".softviz-pyproject.sha256"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def say(message: str) -> None:
    """Print one short progress line."""
    print(f"softviz: {message}", flush=True)


def die(message: str, code: int = 2) -> NoReturn:
    """Print an error and exit."""
    print(f"softviz: error: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def venv_dir() -> Path:
    return Path(os.environ.get("SOFTVIZ_VENV", ROOT / ".venv")).resolve()


def venv_bin(name: str) -> Path:
    """Path of an executable inside the virtual environment."""
    scripts = "Scripts" if os.name == "nt" else "bin"
    return venv_dir() / scripts / name


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM))


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def can_apt() -> bool:
    return is_root() and shutil.which("apt-get") is not None


def apt_install(*packages: str) -> None:
    """Install Debian packages non-interactively (caller checked can_apt())."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say(f"installing {' '.join(packages)} with apt-get…")
    subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
    subprocess.run(["apt-get", "install", "-y", "-q", *packages], env=env, check=True)


def run(*cmd: str | Path) -> int:
    """Run a command from the repository root; return its exit code."""
    return subprocess.call([str(part) for part in cmd], cwd=ROOT)


# --- setup -------------------------------------------------------------------------------


def create_venv() -> None:
    """Create the virtual environment; on Debian, add the missing venv package if needed."""
    say(f"creating virtual environment in {venv_dir()}…")
    if run(sys.executable, "-m", "venv", venv_dir()) == 0:
        return
    shutil.rmtree(venv_dir(), ignore_errors=True)
    venv_package = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
    if not can_apt():
        die(f"could not create a virtual environment; install {venv_package} (Debian/Ubuntu).")
    apt_install(venv_package)
    if run(sys.executable, "-m", "venv", venv_dir()) != 0:
        die("could not create a virtual environment.")


def pyproject_hash() -> str:
    return hashlib.sha256(PYPROJECT.read_bytes()).hexdigest()


def install_packages() -> None:
    """`pip install -e .[test]` unless the stamp says pyproject.toml is unchanged."""
    stamp = venv_dir() / STAMP_NAME
    wanted = pyproject_hash()
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return
    say("installing packages (pip install -e .[test])…")
    pip = (venv_bin("python"), "-m", "pip", "--disable-pip-version-check", "--quiet")
    if run(*pip, "install", "-e", ".[test]") != 0:
        die("pip install failed (see above).")
    stamp.write_text(wanted + "\n")


def ensure_venv() -> None:
    """Make sure the virtual environment exists and has the current packages."""
    if not venv_bin("python").exists():
        create_venv()
    install_packages()


def ensure_chromium() -> None:
    """Make sure Chromium exists for the browser tests; install it when we are root."""
    path = chromium_path()
    if path.exists():
        return
    if not can_apt():
        die(
            f"Chromium not found at {path}. The browser tests need it: install it with\n"
            "    sudo apt-get install -y chromium\n"
            "or point CHROMIUM_PATH at a Chromium binary, then run this command again."
        )
    apt_install("chromium")
    if not path.exists():
        die(f"apt-get installed chromium but {path} still does not exist; set CHROMIUM_PATH.")


# --- commands ----------------------------------------------------------------------------


def lint_checks() -> int:
    """ruff check + ruff format --check; returns 0 only if both pass."""
    say("ruff check…")
    checked = run(venv_bin("ruff"), "check", ".")
    say("ruff format --check…")
    formatted = run(venv_bin("ruff"), "format", "--check", ".")
    return checked or formatted


def cmd_run(args: list[str]) -> NoReturn:
    """Replace this process with `streamlit run app.py`, so Ctrl+C goes straight to it."""
    ensure_venv()
    say("starting the app (Ctrl+C to stop)…")
    python = str(venv_bin("python"))
    os.chdir(ROOT)
    os.execv(python, [python, "-m", "streamlit", "run", "app.py", *args])


def cmd_test(args: list[str]) -> int:
    """Lint, then pytest; pytest runs even when lint fails, so one run reports everything."""
    ensure_venv()
    ensure_chromium()
    os.environ.setdefault("CHROMIUM_PATH", str(chromium_path()))
    lint_code = lint_checks()
    say("pytest…")
    test_code = run(venv_bin("python"), "-m", "pytest", *args)
    if lint_code and not test_code:
        say("tests passed but ruff reported problems (python3 tasks.py fmt fixes most).")
        return 1
    return test_code


def cmd_bench(args: list[str]) -> int:
    """The benchmark: every figure next to its reference, measured in one run (bench/run.py)."""
    ensure_venv()
    ensure_chromium()
    os.environ.setdefault("CHROMIUM_PATH", str(chromium_path()))
    return run(venv_bin("python"), ROOT / "bench" / "run.py", *args)


def cmd_load(args: list[str]) -> int:
    """The load test: many browser sessions on one server at once (bench/load.py)."""
    ensure_venv()
    ensure_chromium()
    os.environ.setdefault("CHROMIUM_PATH", str(chromium_path()))
    return run(venv_bin("python"), ROOT / "bench" / "load.py", *args)


def cmd_lint(args: list[str]) -> int:
    no_args("lint", args)
    ensure_venv()
    return lint_checks()


def cmd_fmt(args: list[str]) -> int:
    no_args("fmt", args)
    ensure_venv()
    say("ruff format…")
    formatted = run(venv_bin("ruff"), "format", ".")
    say("ruff check --fix…")
    fixed = run(venv_bin("ruff"), "check", "--fix", ".")
    return formatted or fixed


def no_args(command: str, args: list[str]) -> None:
    """Refuse extra arguments for commands that take none."""
    if args:
        die(f"`{command}` takes no arguments (got {' '.join(args)}).")


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "bench": cmd_bench,
    "load": cmd_load,
    "lint": cmd_lint,
    "fmt": cmd_fmt,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, args = argv[0], argv[1:]
    if command not in COMMANDS:
        die(f"unknown command {command!r}; choose one of {', '.join(COMMANDS)} (see --help).")
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may run on an older python3
        die(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    return COMMANDS[command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
