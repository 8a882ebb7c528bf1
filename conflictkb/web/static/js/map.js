// The map page: country borders shipped with the package (Natural Earth 1:110m, GeoJSON) and the
// events of /api/map.json as points, grouped when close together (Leaflet.markercluster).
// Popups are built from DOM nodes with textContent: no event field is ever parsed as HTML.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!box || typeof L === "undefined") {
    return;
  }
  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(url + ": " + r.status);
      }
      return r.json();
    });
  }
  // A point is one place: its events are one (a link to the event) or many (a link to them in the
  // events table, with their dates).
  function popup(p) {
    var div = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.n === 1 ? (p.type || "event") + (p.first ? " " + p.first : "") : p.n + " events";
    div.appendChild(link);
    var where = document.createElement("div");
    where.textContent = (p.place || "") + (p.country ? " (" + p.country + ")" : "");
    div.appendChild(where);
    if (p.n > 1 && p.first) {
      var when = document.createElement("div");
      when.textContent = p.first + (p.last && p.last !== p.first ? " – " + p.last : "");
      div.appendChild(when);
    }
    if (p.n === 1 && p.killed !== null && p.killed !== undefined) {
      var toll = document.createElement("div");
      toll.textContent = p.killed + " killed";
      div.appendChild(toll);
    }
    return div;
  }
  function countOf(marker) {
    return marker.options.events || 1;
  }
  function clusterIcon(cluster) {
    var total = 0;
    cluster.getAllChildMarkers().forEach(function (m) {
      total += countOf(m);
    });
    var size = total < 10 ? "small" : total < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + String(total) + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40),
    });
  }

  var map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 12, preferCanvas: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Borders: Natural Earth");
  map.setView([35, 65], 3);
  window.conflictkbMap = map;

  getJSON(box.dataset.countries)
    .then(function (countries) {
      L.geoJSON(countries, {
        interactive: false,
        style: function () {
          return { color: "#7d8a96", weight: 0.8, fillColor: "#e9edf1", fillOpacity: 1 };
        },
      }).addTo(map);
      return getJSON(box.dataset.events);
    })
    .then(function (data) {
      var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: clusterIcon });
      var points = [];
      data.features.forEach(function (f) {
        var lon = f.geometry.coordinates[0];
        var lat = f.geometry.coordinates[1];
        var n = f.properties.n;
        var icon = L.divIcon({
          className: "event-pin" + (n > 1 ? " many" : ""),
          html: n > 1 ? String(n) : "",
          iconSize: n > 1 ? [22, 22] : [12, 12],
        });
        var title = (f.properties.place || "") + ": " + n + " event" + (n === 1 ? "" : "s");
        var marker = L.marker([lat, lon], { icon: icon, title: title, events: n });
        marker.bindPopup(popup(f.properties));
        cluster.addLayer(marker);
        points.push([lat, lon]);
      });
      // The view first, without animation, then the markers: they are grouped once, at the zoom
      // they are seen at, and the page is settled when data-points says the map is drawn.
      if (points.length) {
        map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 6, animate: false });
      }
      map.addLayer(cluster);
      var text = data.events + " event" + (data.events === 1 ? "" : "s") + " at " + data.points + " place" + (data.points === 1 ? "" : "s") + " on the map";
      if (data.points > data.features.length) {
        text += " (the " + data.features.length + " busiest places shown)";
      }
      say(text + ".");
      box.dataset.points = String(data.features.length);
      box.dataset.shown = String(data.events);
    })
    .catch(function (err) {
      say("The map could not be drawn: " + err.message);
    });
})();
