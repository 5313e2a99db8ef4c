/* Begegnungsatlas maps: public map with clustered markers, detail map, editor map picker.
 * Works without a tile server: the Kommune/Stadtbezirk outlines are the base map.
 * Everything the citizen or an editor typed is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  var defaultView = window.BegegnungsatlasMapView;  // static/js/mapview.js (the installation's view)
  // Translated UI labels come from the <script> tag (places/_map_scripts.html); German fallbacks.
  var L10N = (document.currentScript && document.currentScript.dataset) || {};

  // Leaflet inserts string content of tooltips and popups as HTML: always hand it a text node.
  function textLabel(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span;
  }

  function baseMap(el, opts) {
    var map = L.map(el, Object.assign({ zoomControl: true, keyboard: true, maxZoom: 18, minZoom: 5 }, opts || {}));
    el._leafletMap = map;  // for tests and for other scripts on the page
    var tileUrl = el.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    var outlines = L.geoJSON(null, {
      style: function (f) {
        return f.properties.rank === 0
          ? { color: "#00346b", weight: 3, fill: false }
          : { color: "#4a6d8c", weight: 1.2, fillColor: "#dfe8f1", fillOpacity: tileUrl ? 0.05 : 0.55 };
      },
      onEachFeature: function (f, layer) {
        if (f.properties.rank > 0) {
          layer.bindTooltip(textLabel(f.properties.name), { sticky: true });
        }
      },
      interactive: true
    }).addTo(map);
    map.attributionControl.addAttribution((L10N.labelAreas || "Gebiete") + ": © GeoBasis-DE / BKG (2022), Stadt Dortmund");
    var ready = fetch(el.dataset.outlinesUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { outlines.addData(data); return outlines; });
    return { map: map, outlines: outlines, ready: ready };
  }

  function markerIcon(statusKey) {
    return L.divIcon({
      className: "place-marker place-marker--" + statusKey,
      html: "<span aria-hidden=\"true\"></span>",
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      popupAnchor: [0, -8]
    });
  }

  function popupContent(p, exampleLabel) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url;
    a.textContent = p.name;
    box.appendChild(a);
    var meta = document.createElement("div");
    meta.textContent = [p.kommune, p.status].filter(Boolean).join(" · ");
    box.appendChild(meta);
    if (p.example) {
      var badge = document.createElement("span");
      badge.className = "example-badge";
      badge.textContent = exampleLabel || "Beispiel";
      box.appendChild(badge);
    }
    return box;
  }

  function publicMap(el) {
    var base = baseMap(el);
    var map = base.map;
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
    map.addLayer(cluster);

    // The points come from the GeoJSON endpoint with the list's filters. When more places match than one response
    // carries ("truncated"), the map switches to loading only its current view (bbox) whenever it is moved.
    var currentQuery = "";
    var viewMode = false;
    var pending = null;

    function withBbox(query) {
      var bbox = map.getBounds().toBBoxString();
      return (query ? query + "&" : "") + "bbox=" + encodeURIComponent(bbox);
    }

    function load(query, inView) {
      currentQuery = query || "";
      var params = inView ? withBbox(currentQuery) : currentQuery;
      var url = el.dataset.pointsUrl + (params ? "?" + params : "");
      return fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          cluster.clearLayers();
          var markers = data.features.map(function (f) {
            var c = f.geometry.coordinates;
            var m = L.marker([c[1], c[0]], { icon: markerIcon(f.properties.status_key), title: f.properties.name,
                                             alt: f.properties.name, keyboard: true });
            m.bindPopup(popupContent(f.properties, el.dataset.labelExample));
            return m;
          });
          cluster.addLayers(markers);
          el.dataset.markerCount = String(markers.length);
          el.dataset.truncated = data.truncated ? "1" : "0";
          var count = document.getElementById("map-count");
          if (count) { count.textContent = String(markers.length); }
          var hint = document.getElementById("map-truncated");
          if (hint) { hint.hidden = !data.truncated; }
          if (!inView) {
            viewMode = !!data.truncated;
            if (markers.length) {
              map.fitBounds(cluster.getBounds(), { maxZoom: 14, padding: [20, 20] });
            }
          }
          el.dispatchEvent(new CustomEvent("places:loaded", { detail: markers.length }));
        });
    }

    map.on("moveend", function () {
      if (!viewMode) { return; }
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () { pending = null; load(currentQuery, true); }, 250);
    });

    base.ready.then(function (outlines) {
      if (outlines.getLayers().length) {
        map.fitBounds(outlines.getBounds());
      } else {
        defaultView(map);
      }
      var results = document.getElementById("results");
      return load(results ? results.dataset.query : window.location.search.slice(1), false);
    });

    // Context layers (Kitas, Schulen …): small grey dots, loaded when a box is ticked.
    var contextLayers = {};
    document.querySelectorAll("[data-context-layer]").forEach(function (box) {
      box.addEventListener("change", function () {
        var slug = box.dataset.contextLayer;
        if (!box.checked) {
          if (contextLayers[slug]) { map.removeLayer(contextLayers[slug]); }
          return;
        }
        if (contextLayers[slug]) { contextLayers[slug].addTo(map); return; }
        // Wait for the base map (it sets the view) before drawing, then fetch the layer.
        base.ready
          .then(function () { return fetch(box.dataset.url, { credentials: "same-origin" }); })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            var group = L.geoJSON(data, {
              pointToLayer: function (f, latlng) {
                return L.circleMarker(latlng, { radius: 4, color: "#555", weight: 1, fillColor: "#bbb", fillOpacity: 0.9 });
              },
              onEachFeature: function (f, layer) {
                var box2 = document.createElement("div");
                var strong = document.createElement("strong");
                strong.textContent = f.properties.name;
                box2.appendChild(strong);
                var meta = document.createElement("div");
                meta.textContent = [f.properties.layer, f.properties.kind, f.properties.street].filter(Boolean).join(" · ");
                box2.appendChild(meta);
                layer.bindPopup(box2);
              }
            });
            contextLayers[slug] = group;
            group.addTo(map);
            el.dataset["context_" + slug.replace(/-/g, "_")] = String(data.features.length);
          });
      });
    });

    document.body.addEventListener("htmx:afterSettle", function (evt) {
      var results = document.getElementById("results");
      if (results && evt.target && (evt.target === results || evt.target.id === "results")) {
        load(results.dataset.query);
      }
    });
  }

  function detailMap(el) {
    var data = JSON.parse(document.getElementById(el.dataset.pointId).textContent);
    var base = baseMap(el, { scrollWheelZoom: false });
    var latlng = [data.lat, data.lon];
    base.map.setView(latlng, 14);
    L.marker(latlng, { icon: markerIcon(el.dataset.status || "existing"), title: data.name, alt: data.name })
      .addTo(base.map);
  }

  function pickerMap(el) {
    var lon = document.getElementById(el.dataset.lonInput);
    var lat = document.getElementById(el.dataset.latInput);
    var base = baseMap(el);
    var map = base.map;
    var marker = null;

    function current() {
      var x = parseFloat(lon.value), y = parseFloat(lat.value);
      return isFinite(x) && isFinite(y) ? [y, x] : null;
    }
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); }
      else { marker = L.marker(latlng, { icon: markerIcon("existing"), title: el.dataset.labelMarker || L10N.labelMarker || "gewählter Punkt" }).addTo(map); }
    }
    base.ready.then(function (outlines) {
      var c = current();
      var b = (el.dataset.bounds || "").split(",").map(parseFloat);
      if (c) { place(c); map.setView(c, 15); }
      else if (b.length === 4 && b.every(isFinite)) { map.fitBounds([[b[0], b[1]], [b[2], b[3]]]); }
      else if (outlines.getLayers().length) { map.fitBounds(outlines.getBounds()); }
      else { defaultView(map); }
    });
    map.on("click", function (e) {
      lon.value = e.latlng.lng.toFixed(6);
      lat.value = e.latlng.lat.toFixed(6);
      place(e.latlng);
      var status = document.getElementById(el.dataset.statusId);
      if (status) {
        status.textContent = (el.dataset.labelPoint || L10N.labelPoint || "Punkt gesetzt:") + " " + lat.value + ", " + lon.value;
      }
    });
    [lon, lat].forEach(function (input) {
      input.addEventListener("change", function () {
        var c = current();
        if (c) { place(c); map.panTo(c); }
      });
    });
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map=public]").forEach(publicMap);
    document.querySelectorAll("[data-map=detail]").forEach(detailMap);
    document.querySelectorAll("[data-map=picker]").forEach(pickerMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
