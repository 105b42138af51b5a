"""The cost of the airport database, which routes reads only when an air leg (or a name no
other tier knows) needs it: importing ``airportsdata``, reading its table, building the
index, and a nearest-airport query. Each figure is the median of fresh processes (the
import and the read are cached within one process).

    python benchmarks/airports.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

STEP = r"""
import time
t0 = time.perf_counter()
import airportsdata
t1 = time.perf_counter()
from routes.places.airports import load_airport_index  # routes itself, imported before the clock runs
from routes.sources.airports import airport_rows
t1b = time.perf_counter()
rows = airport_rows()
t2 = time.perf_counter()
index = load_airport_index()
t3 = time.perf_counter()
for _ in range(100):
    index.nearest(39.0392, 125.7625, 50.0)
t4 = time.perf_counter()
print(t1 - t0, t2 - t1b, t3 - t2, (t4 - t3) / 100, len(rows))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", STEP], capture_output=True, text=True, check=True).stdout.split()
        runs.append([float(x) for x in out[:4]] + [int(out[4])])
    med = [statistics.median(r[k] for r in runs) for k in range(4)]
    print(f"airports: {runs[0][4]:,} (medians of {args.runs} fresh processes)")
    print(f"import airportsdata           {med[0] * 1000:8.1f} ms")
    print(f"read the table (airport_rows) {med[1] * 1000:8.1f} ms")
    print(f"build the name/code index     {med[2] * 1000:8.1f} ms")
    print(f"one nearest-airport query     {med[3] * 1000:8.3f} ms")


if __name__ == "__main__":
    main()
