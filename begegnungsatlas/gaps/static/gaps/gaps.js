/* Versorgung map: areas coloured by the share of the group without a place in reach (classes from the
   server's Fisher-Jenks breaks), cell centres as small circles (dark = no place in reach), places as dots.
   Data come from a json_script element; text is set with textContent / Leaflet tooltips of plain strings. */
(function () {
  "use strict";

  var defaultView = window.BegegnungsatlasMapView;  // static/js/mapview.js (the installation's view)
  var el = document.getElementById("gaps-map");
  var src = document.getElementById("gaps-map-data");
  if (!el || !src || !window.L) { return; }
  var data = JSON.parse(src.textContent);
  var map = L.map(el, { preferCanvas: true });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  function classOf(v) {
    if (v === null || v === undefined) { return -1; }
    for (var i = 0; i < data.breaks.length; i++) { if (v <= data.breaks[i]) { return i; } }
    return data.breaks.length - 1;
  }
  var areas = L.geoJSON(data.areas, {
    style: function (f) {
      var c = classOf(f.properties.share);
      return { color: "#444", weight: 1, fillOpacity: 0.55, fillColor: c < 0 ? "#ffffff" : COLOURS[c] };
    },
    onEachFeature: function (f, layer) {
      var share = f.properties.share === null ? "–" : Math.round(f.properties.share * 100) + " %";
      layer.bindTooltip(String(f.properties.name) + " – " + el.dataset.labelRank + " " + f.properties.rank +
        ", " + el.dataset.labelShare + ": " + share);
    }
  });
  // The canvas renderer needs a view before anything is added to the map.
  var bounds = areas.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds);
  } else {
    var first = data.cells[0];
    if (first) { map.setView([first[1], first[0]], 10); } else { defaultView(map); }
  }
  areas.addTo(map);
  data.cells.forEach(function (c) {
    if (c[2] <= 0) { return; }
    L.circleMarker([c[1], c[0]], { radius: 3, weight: 0, fillOpacity: 0.8,
      // 1: a place in reach, 0: none, 2: outside the walking network (not assessed)
      fillColor: c[3] === 2 ? "#bdbdbd" : (c[3] ? "#2b8cbe" : "#000000") }).addTo(map);
  });
  data.places.forEach(function (p) {
    L.circleMarker([p[1], p[0]], { radius: 5, color: "#ffffff", weight: 1, fillColor: "#31a354", fillOpacity: 1 })
      .bindTooltip(String(p[2])).addTo(map);
  });
})();
