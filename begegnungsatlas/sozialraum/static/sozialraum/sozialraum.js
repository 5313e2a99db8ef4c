// Edit map of a Sozialraum level: units coloured by Sozialraum, outlines on top. Clicking a unit selects its row
// in the table below (and focuses its "move to" select), so map and keyboard use the same forms.
// No innerHTML: tooltips are DOM nodes filled with textContent.
(function () {
  "use strict";
  var el = document.getElementById("sr-map");
  if (!el || typeof L === "undefined") { return; }
  var palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
    "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6"];
  var colourOf = {};
  function colour(code) {
    if (!(code in colourOf)) { colourOf[code] = palette[Object.keys(colourOf).length % palette.length]; }
    return colourOf[code];
  }
  function label(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  function selectRow(id) {
    var rows = document.querySelectorAll(".sr-unit-table tr.selected");
    rows.forEach(function (r) { r.classList.remove("selected"); });
    var row = document.getElementById("unit-" + id);
    if (!row) { return; }
    row.classList.add("selected");
    row.scrollIntoView({block: "center"});
    var target = row.querySelector("select") || row;
    if (target.focus) { target.focus(); }
  }
  var map = L.map(el, {zoomControl: true});
  fetch(el.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (fc) {
    var units = fc.features.filter(function (f) { return f.properties.kind === "unit"; });
    var parts = fc.features.filter(function (f) { return f.properties.kind === "sozialraum"; });
    var unitLayer = L.geoJSON({type: "FeatureCollection", features: units}, {
      style: function (f) { return {color: "#ffffff", weight: 0.5, fillColor: colour(f.properties.code), fillOpacity: 0.6}; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(label(f.properties.name + " (" + f.properties.code + ")"));
        layer.on("click", function () { selectRow(f.properties.id); });
      }
    }).addTo(map);
    L.geoJSON({type: "FeatureCollection", features: parts}, {
      style: function () { return {color: "#111111", weight: 2.5, fill: false}; }, interactive: false
    }).addTo(map);
    if (unitLayer.getBounds().isValid()) { map.fitBounds(unitLayer.getBounds()); }
    el.dataset.ready = "1";
  });
}());
