"""Prints the accuracy table: published rail distance vs the bundled network's, per pair.

Two measures of ours: the network's rail km (kilometre posts where lines have them, else
geometry times the line's factor), and the geodesic length of the drawn geometry alone.
Where a published figure is the difference of the same kilometre posts the network uses,
the first column is a consistency check (routing, chainage, data), not an independent
measurement; the geometry column is independent of the posts.

Run: python benchmarks/accuracy.py [--markdown]
"""

from __future__ import annotations

import sys

from routes.api import load_network
from routes.places import default_gazetteer
from routes.routing.rail import route, snap
from routes.sources.bundled import load_distances


def main() -> None:
    net, gz = load_network(), default_gazetteer()
    md = "--markdown" in sys.argv
    rows = []
    for d in load_distances():
        a, b = gz.get(d.a), gz.get(d.b)
        r = route(net, snap(net, a), snap(net, b))
        err = d.error(r.km) * 100
        geom = sum(float(net.a.e_geom_km[e[2]]) for e in r.edges)
        gerr = (geom - d.km) / d.km * 100
        rows.append(
            (f"{a.name} – {b.name}", d.km, r.km, err, d.source, d.known_discrepancy, geom, gerr, d.matches(r.km))
        )
    if md:
        print("| pair | published km | source | our rail km | error % | geometry km | error % |")
        print("|---|---|---|---|---|---|---|")
        for name, km, ours, err, src, known, geom, gerr, _ok in rows:
            flag = " (known discrepancy)" if known else ""
            print(f"| {name} | {km:g} | {src[:90]} | {ours:.1f} | {err:+.1f}{flag} | {geom:.1f} | {gerr:+.1f} |")
    else:
        print(f"{'pair':55s} {'published':>9s} {'rail km':>8s} {'err':>7s} {'geometry':>9s} {'err':>7s}")
        for name, km, ours, err, _src, known, geom, gerr, _ok in rows:
            print(
                f"{name:55s} {km:9.1f} {ours:8.1f} {err:+6.1f}% {geom:9.1f} {gerr:+6.1f}%{'  known' if known else ''}"
            )
    strict = [abs(r[3]) for r in rows if not r[5]]
    long = [abs(r[3]) for r in rows if not r[5] and r[1] >= 20]
    geo = [abs(r[7]) for r in rows if not r[5]]
    print(
        f"\n{len(rows)} pairs; {len(strict)} held to 3% (or to the rounding of a whole-km figure),"
        f" {sum(r[8] for r in rows if not r[5])} pass: rail km max |error| {max(strict):.2f}%"
        f" ({max(long):.2f}% on the {len(long)} pairs of 20 km or more), mean {sum(strict) / len(strict):.2f}%"
    )
    print(
        f"geometry alone on the same pairs: max |error| {max(geo):.1f}%, mean {sum(geo) / len(geo):.1f}%, within 3%: {sum(g <= 3 for g in geo)}"
    )


if __name__ == "__main__":
    main()
