"""The bundled example against the import floor. Prints figures, asserts nothing.

Run: python benchmarks/bench.py [--runs N]

Paired runs in fresh processes, each command right after the floor
(``python -c "import folium, networkx, shapely, geopy"``), wall time; printed as the
median of each and the median of the per-pair ratios. The network store is built once
before timing (it is cached in the user cache folder, as for a user's second run).

Python's bytecode cache is on for the runs, as it is for a user: pip compiles an
installed package, and an editable install writes its ``__pycache__`` on the first run
(the warm-up). Where ``PYTHONDONTWRITEBYTECODE`` is set (some shells and CI images set
it), routes would otherwise be compiled from source on every run (about 0.1 s) while the
floor's packages, compiled by pip, would not: ``--no-bytecode`` measures that way (it
removes the ``__pycache__`` folders of a routes source tree first, so that none is read).
Targets from issue 12: ``routes build`` at most 1.15 x the floor, ``routes check`` at
most 0.8 x. For country-sized networks see ``benchmarks/scale.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

FLOOR = [sys.executable, "-c", "import folium, networkx, shapely, geopy"]


def wall(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=11)
    p.add_argument(
        "--no-bytecode", action="store_true", help="compile routes from source on every run (PYTHONDONTWRITEBYTECODE=1)"
    )
    args = p.parse_args(argv)
    env = dict(os.environ)
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        spec = find_spec("routes")
        assert spec is not None and spec.origin is not None, "routes is not installed"
        package = Path(spec.origin).parent
        if "site-packages" not in package.parts:  # a source tree (an editable install): its caches only
            for cache in package.rglob("__pycache__"):
                shutil.rmtree(cache, ignore_errors=True)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    routes_exe = str(Path(sys.executable).with_name("routes"))
    commands = {
        "routes build": [routes_exe, "-q", "build", "-o", "map.html"],
        "routes check": [routes_exe, "-q", "check"],
        "routes route Khasan Vostochny": [routes_exe, "-q", "route", "Khasan", "Vostochny Cosmodrome"],
    }
    with tempfile.TemporaryDirectory() as d:
        cwd = Path(d)
        for cmd in commands.values():  # warm the store cache, the bytecode cache and the file system
            subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
        subprocess.run(FLOOR, cwd=cwd, check=True, env=env)
        floor: list[float] = []
        times: dict[str, list[float]] = {k: [] for k in commands}
        ratios: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                f = wall(FLOOR, cwd, env)
                t = wall(cmd, cwd, env)
                floor.append(f)
                times[name].append(t)
                ratios[name].append(t / f)
        html = (cwd / "map.html").stat().st_size
    mode = "compiled from source every run" if args.no_bytecode else "bytecode cached, as installed"
    print(f"import floor (folium, networkx, shapely, geopy): median {statistics.median(floor):.3f} s; routes {mode}")
    targets = {"routes build": 1.15, "routes check": 0.8}
    for name in commands:
        target = f" (target <= {targets[name]}x)" if name in targets else ""
        print(
            f"{name}: median {statistics.median(times[name]):.3f} s; "
            f"median of paired ratios {statistics.median(ratios[name]):.2f}x the floor{target}"
        )
    print(f"HTML written by routes build: {html / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
