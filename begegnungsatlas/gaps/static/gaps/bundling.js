/* Bundling map: places within walking distance of each other drawn as one group (same colour, joined to the
   group's first place), candidate centres as larger rings sized by the offers within reach.
   Data come from a json_script element; text only through Leaflet tooltips of plain strings (no HTML). */
(function () {
  "use strict";

  var defaultView = window.BegegnungsatlasMapView;  // static/js/mapview.js (the installation's view)
  var el = document.getElementById("bundling-map");
  var src = document.getElementById("bundling-map-data");
  if (!el || !src || !window.L) { return; }
  var data = JSON.parse(src.textContent);
  var map = L.map(el, { preferCanvas: true });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
  var latlngs = [];
  data.clusters.forEach(function (points) {
    points.forEach(function (p) { latlngs.push([p[1], p[0]]); });
  });
  data.centres.forEach(function (c) { latlngs.push([c[1], c[0]]); });
  // The canvas renderer needs a view before anything is added to the map.
  if (latlngs.length) {
    map.fitBounds(L.latLngBounds(latlngs), { padding: [20, 20], maxZoom: 15 });
  } else {
    defaultView(map);
  }
  data.clusters.forEach(function (points, i) {
    var colour = points.length > 1 ? COLOURS[i % COLOURS.length] : "#999999";
    var label = el.dataset.labelGroup + " " + (i + 1);
    if (points.length > 1) {
      var first = [points[0][1], points[0][0]];
      points.slice(1).forEach(function (p) {
        L.polyline([first, [p[1], p[0]]], { color: colour, weight: 2, opacity: 0.7 }).addTo(map);
      });
    }
    points.forEach(function (p) {
      L.circleMarker([p[1], p[0]], { radius: 6, color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 1 })
        .bindTooltip(String(p[2]) + " (" + label + ")").addTo(map);
    });
  });
  data.centres.forEach(function (c) {
    L.circleMarker([c[1], c[0]], { radius: 8 + Math.min(Number(c[3]) || 0, 12), color: "#000000", weight: 2,
      fill: false })
      .bindTooltip(String(c[2]) + " – " + el.dataset.labelOffers + ": " + String(c[3])).addTo(map);
  });
})();
