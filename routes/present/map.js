/* routes: draw a checked trip on a Leaflet map from its scene.
 *
 * The scene is JSON in a script block of type application/json. Every text in it comes
 * from a trip file, a report or a data source, and is put into the page as text
 * (textContent, text nodes), never as markup: no HTML is ever built from a string. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function table(rows) {
    var t = el("table", "routes-popup");
    rows.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", "", row[0]));
      tr.appendChild(el("td", "", row[1]));
      t.appendChild(tr);
    });
    return t;
  }

  // Leaflet puts attribution strings into the page as HTML: escape them first
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }

  function swatch(style) {
    var s = el("span", "routes-swatch");
    Object.keys(style).forEach(function (k) { s.style[k] = style[k]; });
    return s;
  }

  function line(p, group) {
    var layer = L.polyline(p.coords, {
      color: p.colour, weight: p.weight, opacity: p.opacity, dashArray: p.dash || null
    });
    if (p.popup && p.popup.length) {
      layer.bindPopup(function () { return table(p.popup); }, {maxWidth: 420});
    }
    if (p.tooltip) layer.bindTooltip(el("span", "", p.tooltip), {sticky: true});
    layer.addTo(group);
    if (p.icon && p.glyph) {  // the leg's mode, as a text glyph on the leg
      var badge = el("div", "routes-mode", p.glyph);
      badge.title = p.mode;
      badge.style.borderColor = p.colour;
      L.marker(p.icon, {
        icon: L.divIcon({html: badge, className: "", iconSize: [22, 22], iconAnchor: [11, 11]}),
        keyboard: false
      }).bindTooltip(el("span", "", p.tooltip)).addTo(group);
    }
    (p.arrows || []).forEach(function (a) {
      var mark = el("div", "routes-arrow", "\u25B2");
      mark.style.transform = "rotate(" + Number(a[2]) + "deg)";
      mark.style.color = p.colour;
      L.marker([a[0], a[1]], {
        icon: L.divIcon({html: mark, className: "", iconSize: [14, 14], iconAnchor: [7, 7]}),
        interactive: false, keyboard: false
      }).addTo(group);
    });
    return layer;
  }

  function legend(scene) {
    var box = el("div", "routes-legend");
    var details = el("details");
    details.open = true;
    details.appendChild(el("summary", "", scene.title));
    scene.legend.verdicts.forEach(function (v) {
      var row = el("div");
      row.appendChild(swatch({background: v[1], height: "4px"}));
      row.appendChild(document.createTextNode(" " + v[0]));
      details.appendChild(row);
    });
    (scene.legend.modes || []).forEach(function (m) {  // [label, dash pattern, icon]
      var row = el("div");
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("width", "22");
      svg.setAttribute("height", "8");
      var stroke = document.createElementNS(ns, "line");
      [["x1", "0"], ["y1", "4"], ["x2", "22"], ["y2", "4"], ["stroke", "#333"], ["stroke-width", "3"]].forEach(
        function (a) { stroke.setAttribute(a[0], a[1]); });
      if (m[1]) stroke.setAttribute("stroke-dasharray", m[1]);
      svg.appendChild(stroke);
      row.appendChild(svg);
      row.appendChild(el("span", "routes-mode-key", m[2]));
      row.appendChild(document.createTextNode(" " + m[0]));
      details.appendChild(row);
    });
    [["alternative route", {borderTop: "3px dashed " + scene.legend.alternative}],
     ["no rail route (mode unknown)", {borderTop: "2px dashed " + scene.legend.unknown}],
     ["rail network (lines the route does not take)", {background: scene.network_style.color, height: "2px"}]
    ].forEach(function (x) {
      var row = el("div");
      row.appendChild(swatch(x[1]));
      row.appendChild(document.createTextNode(" " + x[0]));
      details.appendChild(row);
    });
    if (scene.marks.some(function (m) { return m.confidence === "low"; })) {
      var lowRow = el("div");
      lowRow.appendChild(swatch({width: "10px", height: "10px", borderRadius: "50%", border: "2px dotted #555"}));
      lowRow.appendChild(document.createTextNode(" event marked confidence: low (check it against the report)"));
      details.appendChild(lowRow);
    }
    scene.legend.kinds.forEach(function (k) {
      var row = el("div");
      row.appendChild(swatch({
        width: "10px", height: "10px", borderRadius: "50%", border: "2px solid " + k[1],
        background: k[2] ? k[1] : "transparent"
      }));
      row.appendChild(document.createTextNode(" " + k[0]));
      details.appendChild(row);
    });
    if (scene.claims.length) {
      details.appendChild(el("div", "routes-legend-head", "Claims"));
      scene.claims.forEach(function (c) {
        var row = el("div");
        var v = el("b", "", c.verdict);
        v.style.color = c.colour;
        row.appendChild(v);
        row.appendChild(document.createTextNode(": " + c.text));
        if (c.confidence) {
          row.appendChild(el("i", "", " (confidence: " + c.confidence + ")"));
        }
        details.appendChild(row);
      });
    }
    if (scene.warnings.length) {
      details.appendChild(el("div", "routes-legend-head", "Warnings"));
      scene.warnings.forEach(function (w) { details.appendChild(el("div", "", w)); });
    }
    details.appendChild(el("div", "routes-legend-head", "This page loads"));
    (scene.loads || []).forEach(function (x) { details.appendChild(el("div", "routes-loads", x)); });
    details.appendChild(el("div", "routes-legend-head", "Sources"));
    scene.credits.forEach(function (x) { details.appendChild(el("div", "", x)); });
    box.appendChild(details);
    (scene.attribution || []).forEach(function (a) {
      box.appendChild(el("div", "routes-attribution", "Rail network data: " + a));
    });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  }

  function basemap(map, scene) {
    if (scene.tiles) {
      L.tileLayer(scene.tiles.url, {
        attribution: escapeHtml(scene.tiles.attribution), maxZoom: scene.tiles.max_zoom
      }).addTo(map);
    }
    if (!scene.basemap) return;
    var st = scene.basemap_style;
    if (!scene.tiles) map.getContainer().style.background = st.background;
    L.geoJSON(scene.basemap, {
      interactive: false,
      style: function (f) {
        var s = st[f.properties.kind] || st.coast;
        return {color: s.color, weight: s.weight, dashArray: s.dash || null,
                fill: !!s.fill, fillColor: s.fill || null, fillOpacity: s.fill ? 1 : 0, opacity: 1};
      }
    }).addTo(map);
    map.attributionControl.addAttribution(escapeHtml("Basemap: Natural Earth"));
  }

  // rail km at every vertex of a leg, from the anchors the scene carries (vertex, km):
  // between two anchors, km grow with the drawn length
  function vertexKm(p) {
    var n = p.coords.length, out = new Array(n), k = p.km || [];
    if (!k.length) return null;
    var g = [0];
    for (var i = 1; i < n; i++) {
      var a = p.coords[i - 1], b = p.coords[i];
      var dx = (b[1] - a[1]) * Math.cos((a[0] + b[0]) * Math.PI / 360), dy = b[0] - a[0];
      g.push(g[i - 1] + Math.sqrt(dx * dx + dy * dy));
    }
    for (var j = 0; j + 1 < k.length; j++) {
      var i0 = k[j][0], i1 = k[j + 1][0], k0 = k[j][1], k1 = k[j + 1][1];
      for (var v = i0; v <= i1; v++) {
        out[v] = g[i1] > g[i0] ? k0 + (k1 - k0) * (g[v] - g[i0]) / (g[i1] - g[i0]) : k0;
      }
    }
    if (k.length === 1) out[0] = k[0][1];
    return out;
  }

  function at(c0, c1, f) { return [c0[0] + f * (c1[0] - c0[0]), c0[1] + f * (c1[1] - c0[1])]; }

  // the part of a span's legs between km lo and hi from the span's start, and its middle
  function cut(legs, span, lo, hi) {
    var pts = [], mid = null, off = 0, m = (lo + hi) / 2;
    span.legs.forEach(function (li) {
      var p = legs[li], km = p.vkm;
      if (!km) return;
      for (var i = 0; i + 1 < km.length; i++) {
        var a = off + km[i], b = off + km[i + 1];
        var f = function (x) { return b > a ? (x - a) / (b - a) : 0; };
        if (b >= lo && a <= hi) {
          if (!pts.length) pts.push(at(p.coords[i], p.coords[i + 1], f(Math.max(lo, a))));
          pts.push(at(p.coords[i], p.coords[i + 1], f(Math.min(hi, b))));
        }
        if (mid === null && m >= a && m <= b) mid = at(p.coords[i], p.coords[i + 1], f(m));
      }
      off += km[km.length - 1];
    });
    return {line: pts, mid: mid};
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function when(t, offset) {
    var local = new Date((t + offset * 60) * 1000).toISOString().slice(0, 16).replace("T", " ");
    var sign = offset < 0 ? "-" : "+", o = Math.abs(offset);
    return local + " " + sign + pad(Math.floor(o / 60)) + ":" + pad(o % 60) +
      " (" + new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC)";
  }

  function slider(map, scene, overlays) {
    var tl = scene.timeline;
    if (!tl || !tl.steps.length) return;
    scene.legs.forEach(function (p) { p.vkm = vertexKm(p); });
    var group = L.featureGroup().addTo(map);
    var prism = L.polyline([], {color: scene.legend.prism, weight: 10, opacity: 0.55, className: "routes-prism",
                               interactive: false}).addTo(group);
    var marker = L.circleMarker(scene.bounds[0], {radius: 7, color: scene.legend.prism, weight: 3,
                                fillColor: "#fff", fillOpacity: 1, className: "routes-now"});
    overlays["Where at the slider's time"] = group;
    var box = el("div", "routes-slider leaflet-bar");
    var head = el("div", "routes-slider-time");
    var input = el("input");
    input.type = "range"; input.min = "0"; input.max = String(tl.steps.length - 1); input.step = "1";
    input.value = "0";
    input.setAttribute("aria-label", "time");
    var where = el("div", "routes-slider-where");
    box.appendChild(head); box.appendChild(input); box.appendChild(where);
    function show() {
      var s = tl.steps[Number(input.value)], span = tl.spans[s[1]];
      if (!span) {
        head.textContent = when(s[0], 0);
        where.textContent = "no position: outside the timed stretches, or a leg without a rail route";
        prism.setLatLngs([]); group.removeLayer(marker);
        return;
      }
      head.textContent = when(s[0], span.offset);
      var c = cut(scene.legs, span, s[2], s[3]);
      prism.setLatLngs(c.line);
      if (c.mid) { marker.setLatLng(c.mid); group.addLayer(marker); } else { group.removeLayer(marker); }
      where.textContent = span.label + ": somewhere on km " + Math.round(s[2]) + "–" + Math.round(s[3]) +
        " of " + Math.round(span.km) + " (purple); the dot marks the middle";
    }
    input.addEventListener("input", show);
    input.addEventListener("change", show);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    var Slider = L.Control.extend({onAdd: function () { return box; }});
    new Slider({position: "bottomleft"}).addTo(map);
    show();
  }

  function draw(map, scene) {
    document.title = scene.title;
    basemap(map, scene);
    var network = L.geoJSON(scene.network, {
      style: function () { return scene.network_style; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(el("span", "", f.properties.label), {sticky: true});
      }
    });
    var route = L.featureGroup();
    var alternatives = L.featureGroup();
    var events = L.featureGroup();
    scene.legs.forEach(function (p) { line(p, route); });
    scene.joints.forEach(function (p) { line(p, route); });
    scene.alternatives.forEach(function (p) { line(p, alternatives); });
    scene.marks.forEach(function (m) {
      var low = m.confidence === "low";  // the trip file is unsure of this event: dotted, paler
      var mark = L.circleMarker([m.lat, m.lon], {
        radius: m.radius, color: m.colour, weight: 3, fill: m.fill, fillColor: m.colour,
        fillOpacity: m.fill ? (low ? 0.35 : 0.9) : 0, dashArray: low ? "1 4" : (m.dash || null)
      });
      mark.bindPopup(function () { return table(m.popup); }, {maxWidth: 460});
      mark.bindTooltip(el("span", "", low ? m.label + " (confidence: low)" : m.label), {
        permanent: true, direction: m.side, offset: [m.side === "right" ? 8 : -8, 0],
        className: "routes-label"
      });
      mark.addTo(events);
    });
    network.addTo(map);
    route.addTo(map);
    events.addTo(map);
    var overlays = {
      "Rail network": network,
      "Route (coloured by verdict)": route,
      "Alternative routes": alternatives,
      "Reported events": events
    };
    if (scene.prism) {
      var prism = L.featureGroup();
      line(scene.prism, prism);
      prism.addTo(map);
      overlays["Where at the chosen time"] = prism;
    }
    slider(map, scene, overlays);
    L.control.layers(null, overlays, {collapsed: false}).addTo(map);
    L.control.scale({metric: true, imperial: false, position: "bottomleft"}).addTo(map);
    var box = legend(scene);
    var Legend = L.Control.extend({onAdd: function () { return box; }});
    new Legend({position: "bottomright"}).addTo(map);
    map.fitBounds(scene.bounds, {padding: [20, 20]});
  }

  // a path's line comes packed: its first vertex, then each vertex's change from the one
  // before, as integers in units of 1 / scene.scale degrees (scene.py, packed_line)
  function unpack(p, scale) {
    var out = [], lat = 0, lon = 0, d = p.line || [];
    for (var i = 0; i + 1 < d.length; i += 2) {
      lat += d[i];
      lon += d[i + 1];
      out.push([lat / scale, lon / scale]);
    }
    p.coords = out;
  }

  window.routesDraw = function (mapName, dataId) {
    var data = document.getElementById(dataId);
    var scene = JSON.parse(data.textContent);
    [scene.legs, scene.joints, scene.alternatives, scene.prism ? [scene.prism] : []].forEach(function (paths) {
      paths.forEach(function (p) { unpack(p, scene.scale); });
    });
    draw(window[mapName], scene);
  };
})();
