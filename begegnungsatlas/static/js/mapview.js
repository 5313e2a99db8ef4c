/* The installation's default map view, shared by every map script: "lat,lon,zoom" on <body data-map-view> (set
   from core.installation by the context processor); a view of NRW when the attribute is missing or malformed. */
(function () {
  "use strict";
  window.BegegnungsatlasMapView = function (map) {
    var v = (document.body.dataset.mapView || "").split(",").map(parseFloat);
    if (v.length === 3 && v.every(isFinite)) { map.setView([v[0], v[1]], v[2]); }
    else { map.setView([51.1, 6.9], 8); }
  };
}());
