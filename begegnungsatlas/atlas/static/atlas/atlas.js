/* Sozialraumatlas: choropleth from the compact geometry payload (delta-encoded, 1e-5°) + values payload.
   Canvas renderer so that 10,990 areas paint quickly; missing values hatched with a canvas pattern. */
(function () {
  "use strict";
  var el = document.getElementById("atlas-map");
  if (!el || !window.L) { return; }
  var form = document.getElementById("atlas-form");
  if (form) {
    // Changing a control updates the URL (the choice is always in the URL) by submitting the GET form.
    form.addEventListener("change", function (ev) {
      if (ev.target && ev.target.id === "f-grenzen") { return; }
      if (ev.target && (ev.target.id === "f-region" || ev.target.id === "f-indikator")) {
        ["f-ebene", "f-periode"].forEach(function (id) { var s = document.getElementById(id); if (s) { s.disabled = true; } });
      }
      form.submit();
    });
  }
  var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25 });
  el._leafletMap = map;  // for tests and for other scripts on the page
  var renderer = L.canvas({ padding: 0.2 });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  function hatch() {
    var c = document.createElement("canvas"); c.width = 8; c.height = 8;
    var g = c.getContext("2d"); g.fillStyle = "#ffffff"; g.fillRect(0, 0, 8, 8);
    g.strokeStyle = "#767676"; g.lineWidth = 1.2; g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
    return g.createPattern(c, "repeat");
  }
  var HATCH = hatch();
  function decodeRing(r, scale) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; out.push([y / scale, x / scale]); }
    return out;
  }
  function decode(polys, scale) {
    return polys.map(function (poly) { return poly.map(function (r) { return decodeRing(r, scale); }); });
  }
  window.atlasColour = window.atlasColour || null;
  // Leaflet inserts string tooltips as HTML; names and units are data, so tooltips get a text node (made on hover).
  function textLabel(text) {
    return function () { var span = document.createElement("span"); span.textContent = text; return span; };
  }
  function load(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }); }
  var valuesUrl = el.dataset.valuesUrl;
  var profile = el.dataset.profileUrl;
  Promise.all([load(el.dataset.geometryUrl), valuesUrl ? load(valuesUrl) : Promise.resolve(null)]).then(function (res) {
    var geo = res[0], vals = res[1];
    var colours = vals && vals.legend ? vals.legend.map(function (c) { return c.colour; }) : [];
    var unit = vals && vals.unit ? " " + vals.unit : "";
    // v[3] is the value formatted by the server exactly as in the table, legend and exports (rounded, grouped).
    var styleFor = window.atlasStyle || function (id) {
      var v = vals && vals.values[id];
      if (!v || v[1] < 0) { return { fillColor: HATCH, text: v ? (vals.status_text[v[2]] || "–") : "–" }; }
      return { fillColor: colours[v[1]], text: v[3] + unit };
    };
    var group = L.featureGroup();
    geo.areas.forEach(function (a) {
      var st = styleFor(a[0]);
      var layer = L.polygon(decode(a[3], geo.scale), {
        renderer: renderer, weight: 0.6, color: "#444", fillOpacity: 0.85, fillColor: st.fillColor
      });
      layer.bindTooltip(textLabel(a[2] + ": " + st.text), { sticky: true });
      layer.on("click", function () { window.location.href = profile.replace("/0/", "/" + a[0] + "/"); });
      group.addLayer(layer);
    });
    group.addTo(map);
    if (geo.bbox) { map.fitBounds([[geo.bbox[1], geo.bbox[0]], [geo.bbox[3], geo.bbox[2]]]); }
    el.setAttribute("data-ready", "1");
  }).catch(function () {
    var p = document.createElement("p"); p.className = "error";
    p.textContent = el.dataset.labelError || "Karte konnte nicht geladen werden; die Tabelle enthält alle Werte.";
    el.appendChild(p);
  });
  var placesBox = document.getElementById("atlas-places");
  var placesLayer = null;
  if (placesBox) {
    placesBox.addEventListener("change", function () {
      if (!placesBox.checked) { if (placesLayer) { map.removeLayer(placesLayer); } return; }
      if (placesLayer) { placesLayer.addTo(map); return; }
      load(el.dataset.placesUrl).then(function (d) {
        placesLayer = L.layerGroup(d.places.map(function (p) {
          return L.circleMarker([p[3], p[2]], { renderer: renderer, radius: 4, weight: 1, color: "#000", fillColor: "#1b7837", fillOpacity: 1 })
            .bindTooltip(textLabel(p[1]));
        }));
        placesLayer.addTo(map);
      });
    });
  }
})();
