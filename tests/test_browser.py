"""The maps in a real browser (headless Chromium): rendered, hostile text inert, offline."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from importlib import resources
from pathlib import Path

import pytest
from browser import run
from hostile import hostile_trip_yaml

from routes.cli import main

pytestmark = pytest.mark.browser

CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"


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


def test_normal_map_renders(tmp_path, leaflet_server, capsys):
    page = build(tmp_path)
    page.write_text(page.read_text(encoding="utf-8").replace(CDN, leaflet_server), encoding="utf-8")
    dom, log = run(page.as_uri(), offline=True)  # tiles never fetched: the test stays off the network
    assert "leaflet-container" in dom
    assert paths(dom) >= 3 + 4, "route legs and event markers drawn as SVG paths"
    assert "routes-legend" in dom and "leaflet-control-layers" in dom and "leaflet-control-scale" in dom
    assert "Uncaught" not in log, log[-2000:]


def test_hostile_map_runs_no_injected_script(tmp_path, leaflet_server, capsys):
    trip = tmp_path / "hostile.yaml"
    trip.write_text(hostile_trip_yaml(), encoding="utf-8")
    page = build(tmp_path, str(trip))
    page.write_text(page.read_text(encoding="utf-8").replace(CDN, leaflet_server), encoding="utf-8")
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


def test_self_contained_map_renders_with_networking_disabled(tmp_path, capsys):
    page = build(tmp_path, "--self-contained")
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    dom, log = run(page.as_uri(), offline=True)
    assert "leaflet-container" in dom
    assert paths(dom) >= 7
    assert "Vostochny Cosmodrome" in dom or "routes-legend" in dom
    assert "Uncaught" not in log, log[-2000:]


def test_a_drafted_trip_marks_low_confidence_and_its_article_text_stays_inert(tmp_path, leaflet_server, capsys):
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
    page = build(tmp_path, str(trip))
    page.write_text(page.read_text(encoding="utf-8").replace(CDN, leaflet_server), encoding="utf-8")
    dom, log = run(page.as_uri(), offline=True)
    assert "Ussuriysk (confidence: low)" in dom
    assert "event marked confidence: low" in dom
    assert injected(dom) == [], "article text ran or became markup"
    assert "Uncaught" not in log, log[-2000:]
