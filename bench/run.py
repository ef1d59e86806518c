"""Run every benchmark and print each figure next to its reference and target.

    python3 tasks.py bench            # full run (~3 minutes on 2 cores)
    python3 tasks.py bench --quick    # a fast smoke run with fewer repeats
    python3 tasks.py bench --json results.json

Absolute times on shared machines are noisy; the ratios, measured in one run, are the point.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import browser, engine, server  # noqa: E402

# (figure, reference, key of the figure, how it compares with its target, target)
TARGETS = [
    ("engine step (µs)", "engine_bare_numpy_us", "engine_ratio_vs_numpy", "<=", 1.3),
    ("engine step vs torch", "engine_torch_us", "engine_ratio_vs_torch", "report", None),
    ("server rerun after Step (s)", "server_rerun_reference_s", "server_rerun_ratio", "<=", 2.0),
    ("click Step → updated (s)", "click_reference_s", "click_ratio", "<=", 1.5),
    ("Play frames per second", "fps_reference", "fps_ratio", ">=", 0.7),
    ("Play fps, absolute", None, "fps_softviz", ">=", 8.0),
    ("bytes per Step", "bytes_per_step_reference", "bytes_per_step", "<=", 150_000),
    ("memory per session (MB)", None, "memory_per_session_mb", "<=", 25.0),
    ("cold start to /train (s)", "cold_start_reference_s", "cold_start_ratio", "<=", 2.0),
]


def verdict(value: float | None, op: str, target: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not measured"
    if op == "report":
        return "reported"
    met = value <= target if op == "<=" else value >= target
    return "met" if met else "MISSED"


def table(results: dict[str, float]) -> str:
    lines = [f"{'figure':32} {'reference':>12} {'value':>12}  target      verdict"]
    for name, ref_key, key, op, target in TARGETS:
        ref = results.get(ref_key) if ref_key else None
        value = results.get(key)
        ref_text = f"{ref:12.4g}" if ref is not None else f"{'—':>12}"
        value_text = f"{value:12.4g}" if value is not None else f"{'—':>12}"
        target_text = f"{op} {target:g}" if target is not None else "—"
        lines.append(f"{name:32} {ref_text} {value_text}  {target_text:10}  "
                     f"{verdict(value, op, target)}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 5 sessions")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--skip-browser", action="store_true", help="engine and server only")
    args = parser.parse_args(argv)
    results = engine.run(args.quick) | server.run(args.quick)
    if not args.skip_browser:
        results |= browser.run(args.quick)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True))
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
