"""The maps in a real browser (headless Chromium): rendered, hostile text inert, offline."""

from __future__ import annotations

import functools
import html
import http.server
import re
import threading
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import requests_of, run
from hostile import hostile_trip_yaml

from routes.cli import main

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def leaflet_server():
    """Serve the installed Leaflet files on localhost, standing in for the CDN."""
    root = Path(str(resources.files("xstatic.pkg.leaflet").joinpath("data")))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def build(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "map.html"
    assert main(["-q", "build", *args, "-o", str(out)]) == 0
    return out


def injected(dom: str) -> list[str]:
    """Traces a payload leaves when it runs or becomes an element (not when shown as text)."""
    return re.findall(r'data-pwned="|<div id="injected"|<img src="x"|<svg onload|<a href="javascript:', dom)


def paths(dom: str) -> int:
    return len(re.findall(r'<path[^>]*class="[^"]*leaflet-interactive', dom))


def test_default_map_renders_the_route_with_networking_off(tmp_path, capsys):
    """The default page inlines Leaflet: with every host unresolvable it still draws
    the route, the events, the legend and the slider (only the tiles are missing)."""
    page = build(tmp_path)
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet[^>]+href=", page.read_text(encoding="utf-8"))
    dom, log = run(page.as_uri(), offline=True)
    assert "leaflet-container" in dom
    assert paths(dom) >= 3 + 4, "route legs and event markers drawn as SVG paths"
    assert "routes-legend" in dom and "leaflet-control-layers" in dom and "leaflet-control-scale" in dom
    assert "routes-slider" in dom
    assert "Uncaught" not in log, log[-2000:]


PAGE = "http://routes.test/map.html"


def test_with_tiles_none_the_page_makes_no_request_at_all(tmp_path, capsys):
    page = build(tmp_path, "--tiles", "none").read_text(encoding="utf-8")
    dom, by_page, sent = requests_of(PAGE, {PAGE: page})
    assert "leaflet-container" in dom and paths(dom) >= 7, "the map is drawn"
    assert "routes-basemap" in dom or dom.count("leaflet-interactive") >= 7
    assert by_page == [], f"the page asked for {by_page}"
    assert [r for r in sent if "routes.test" in r] == [f"GET {PAGE}"], "only the page itself was fetched"
    assert "nothing from the network" in dom, "the legend says so"


def test_the_default_page_loads_map_tiles_and_nothing_else(tmp_path, capsys):
    page = build(tmp_path).read_text(encoding="utf-8")
    dom, by_page, _ = requests_of(PAGE, {PAGE: page})
    assert by_page, "the basemap's tiles were asked for"
    assert {urlsplit(u).hostname for u in by_page} == {"tile.openstreetmap.org"}
    assert all(re.fullmatch(r"https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png", u) for u in by_page)
    assert "map tiles from tile.openstreetmap.org" in dom, "the legend says what the page loads"


def test_own_tile_server_with_its_attribution_shown_as_text(tmp_path, capsys):
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    attribution = '<img src=x onerror="document.body.dataset.pwned=1"> © Example & Co'
    page = build(tmp_path, "--tiles", url, "--tiles-attribution", attribution).read_text(encoding="utf-8")
    dom, by_page, _ = requests_of(PAGE, {PAGE: page})
    assert by_page and {urlsplit(u).hostname for u in by_page} == {"tiles.example.org"}
    assert not injected(dom) and "data-pwned" not in dom
    assert "&lt;img src=x onerror=" in dom and "© Example &amp; Co" in dom, "the attribution is shown, as text"


SLIDE = """<script>
window.addEventListener('load', function () { setTimeout(function () {
  var out = document.createElement('pre'); out.id = 'routes-test-slide';
  var input = document.querySelector('.routes-slider input');
  function state() {
    var m = document.querySelector('path.routes-now'), p = document.querySelector('path.routes-prism');
    return [input.value, m ? m.getAttribute('d') : 'none', p ? p.getAttribute('d') : 'none',
            document.querySelector('.routes-slider-where').textContent].join(' | ');
  }
  var lines = [state()];
  [0.25, 0.6].forEach(function (f) {
    input.value = String(Math.round(Number(input.max) * f));
    input.dispatchEvent(new Event('input'));
    lines.push(state());
  });
  out.textContent = lines.join('\\n');
  document.body.appendChild(out);
}, 500); });
</script>"""


def test_the_time_slider_moves_the_marker_along_the_route(tmp_path, capsys):
    page = build(tmp_path, "--tiles", "none")
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", SLIDE + "</body>"), encoding="utf-8")
    dom, log = run(page.as_uri(), offline=True)
    assert "Uncaught" not in log, log[-2000:]
    out = re.search(r'id="routes-test-slide">(.*?)</pre>', dom, re.S)
    assert out, "the slider script ran"
    states = [line.split(" | ") for line in html.unescape(out.group(1)).split("\n")]
    assert len(states) == 3
    (v0, m0, _, w0), (v1, m1, p1, w1), (v2, m2, p2, w2) = states
    assert v0 == "0" and int(v1) > 0 and int(v2) > int(v1)
    assert m1 != "none" and m2 != "none" and m1 != m2, "the marker moved"
    assert p1 != "none" and p1 != p2, "the prism is drawn and changes"
    km = [tuple(map(int, re.search(r"km (\d+)–(\d+) of", w).groups())) for w in (w1, w2)]
    assert km[0] < km[1], "later, further along"


def test_hostile_map_runs_no_injected_script(tmp_path, capsys):
    trip = tmp_path / "hostile.yaml"
    trip.write_text(hostile_trip_yaml(), encoding="utf-8")
    page = build(tmp_path, str(trip))
    dom, log = run(page.as_uri(), offline=True)
    assert "leaflet-container" in dom and paths(dom) >= 5, "the hostile map still renders"
    assert not injected(dom)
    assert "PWNED" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1).replace("PWNED-script", "")
    assert "Uncaught" not in log, log[-2000:]


OPEN_EVERYTHING = """<script>
window.addEventListener('load', function () { setTimeout(function () {
  var log = document.createElement('pre'); log.id = 'routes-test-log'; var opened = 0;
  for (var k in window) {
    var m = window[k];
    if (!(m instanceof L.Map)) continue;
    m.eachLayer(function (layer) {
      if (layer.getPopup && layer.getPopup()) {
        layer.openPopup(); opened += 1;
        var c = layer.getPopup().getElement();
        if (c) log.appendChild(document.createTextNode(c.textContent + '\\n'));
      }
      if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); }
    });
  }
  log.setAttribute('data-opened', String(opened));
  document.body.appendChild(log);
}, 500); });
</script>"""


def test_hostile_popups_and_tooltips_stay_text_when_opened(tmp_path, capsys):
    trip = tmp_path / "hostile.yaml"
    trip.write_text(hostile_trip_yaml(), encoding="utf-8")
    page = build(tmp_path, str(trip), "--self-contained")
    # open every popup and tooltip after load, as a user clicking around would
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", OPEN_EVERYTHING + "</body>"), encoding="utf-8")
    dom, log = run(page.as_uri(), offline=True)
    opened = re.search(r'id="routes-test-log" data-opened="(\d+)"', dom)
    assert opened and int(opened.group(1)) == 2 + 3, "every leg's and event's popup was opened"
    assert not injected(dom)
    # the payloads are there, shown as text
    shown = re.search(r'id="routes-test-log"[^>]*>(.*?)</pre>', dom, re.S).group(1)
    assert "&lt;img src=x onerror=" in shown and "&lt;/script&gt;&lt;script&gt;" in shown
    assert "Uncaught" not in log, log[-2000:]


def test_external_leaflet_loads_from_the_url_given(tmp_path, leaflet_server, capsys):
    page = build(tmp_path, "--leaflet", leaflet_server)
    text = page.read_text(encoding="utf-8")
    assert f'<script src="{leaflet_server}leaflet.js">' in text
    dom, log = run(page.as_uri(), offline=True)
    assert "leaflet-container" in dom and paths(dom) >= 7
    assert f"the Leaflet library from {leaflet_server}" in dom
    assert "Uncaught" not in log, log[-2000:]


def test_a_drafted_trip_marks_low_confidence_and_its_article_text_stays_inert(tmp_path, capsys):
    """routes extract → routes build: the low-confidence event says so on the map, and
    markup copied from the article into quotes is shown as text, never run."""
    from hostile import PAYLOADS

    article = tmp_path / "article.txt"
    article.write_text(
        "SEOUL, Sept. 13, 2023 (Yonhap) -- Kim's train arrived at Khasan at 6 a.m. on Tuesday "
        + PAYLOADS[1]
        + ", KCNA said. It appeared to pass Ussuriysk late Tuesday "
        + PAYLOADS[6]
        + ". It will reach Vostochny Cosmodrome on Wednesday "
        + PAYLOADS[7]
        + ".",
        encoding="utf-8",
    )
    trip = tmp_path / "draft.yaml"
    assert main(["-q", "extract", str(article), "-o", str(trip)]) == 0
    page = build(tmp_path, str(trip))  # Leaflet inlined: nothing to serve
    dom, log = run(page.as_uri(), offline=True)
    assert "Ussuriysk (confidence: low)" in dom
    assert "event marked confidence: low" in dom
    assert injected(dom) == [], "article text ran or became markup"
    assert "Uncaught" not in log, log[-2000:]
