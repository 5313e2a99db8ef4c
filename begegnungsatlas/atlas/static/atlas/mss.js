/* MSS map: colour each area by its status class (hatched if not classified); used before atlas.js. */
(function () {
  "use strict";
  var v = JSON.parse(document.getElementById("mss-values").textContent);
  var colours = JSON.parse(document.getElementById("mss-colours").textContent);
  var c = document.createElement("canvas"); c.width = 8; c.height = 8;
  var g = c.getContext("2d"); g.fillStyle = "#fff"; g.fillRect(0, 0, 8, 8);
  g.strokeStyle = "#767676"; g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
  var hatch = g.createPattern(c, "repeat");
  var labels = document.getElementById("atlas-map").dataset;  // translated in atlas/mss.html
  window.atlasStyle = function (id) {
    var r = v[id];
    if (!r || !r[1]) { return { fillColor: hatch, text: r ? (labels.labelUnclassified || "nicht eingestuft") + ": " + r[4] : "–" }; }
    return { fillColor: colours[r[1]], text: (labels.labelGroup || "Gruppe") + " " + r[3] };
  };
})();
