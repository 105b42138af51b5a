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
    [["alternative route", {borderTop: "3px dashed #555"}],
     ["no rail route (mode unknown)", {borderTop: "2px dashed #7f7f7f"}],
     ["rail network", {background: scene.network_style.color, height: "2px"}]].forEach(function (x) {
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
    box.appendChild(details);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  }

  function draw(map, scene) {
    document.title = scene.title;
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
    L.control.layers(null, overlays, {collapsed: false}).addTo(map);
    L.control.scale({metric: true, imperial: false, position: "bottomleft"}).addTo(map);
    var box = legend(scene);
    var Legend = L.Control.extend({onAdd: function () { return box; }});
    new Legend({position: "bottomright"}).addTo(map);
    map.fitBounds(scene.bounds, {padding: [20, 20]});
  }

  window.routesDraw = function (mapName, dataId) {
    var data = document.getElementById(dataId);
    draw(window[mapName], JSON.parse(data.textContent));
  };
})();
