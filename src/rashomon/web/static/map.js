// The events map: Leaflet with a bundled world outline (no tiles, works offline).
// Popups are built with textContent only, so article text is never parsed as markup.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: true, attributionControl: true }).setView([30, 20], 2);
  map.attributionControl.addAttribution("Natural Earth (public domain)");
  fetch(el.getAttribute("data-outline")).then(function (r) { return r.json(); }).then(function (topo) {
    var land = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(land, { interactive: false, style: function () {
      return { color: "#9aa3ad", weight: 1, fillColor: "#f3f1ea", fillOpacity: 1 };
    } }).addTo(map).bringToBack();
  });
  var palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c6d31", "#555"];
  // the same colour per camp as the charts: camps in sorted order, palette in turn
  var camps = {};
  (el.getAttribute("data-camps") || "").split("|").forEach(function (c, i) {
    if (c) { camps[c] = palette[i % palette.length]; }
  });
  fetch(el.getAttribute("data-geo")).then(function (r) { return r.json(); }).then(function (geo) {
    var layer = L.geoJSON(geo, {
      pointToLayer: function (f, latlng) {
        var c = f.properties.camp || "";
        if (!(c in camps)) { camps[c] = "#999"; }
        return L.circleMarker(latlng, { radius: 6, color: camps[c], fillColor: camps[c], fillOpacity: 0.7 });
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        var box = document.createElement("div");
        var head = document.createElement("b");
        head.textContent = (p.plover || "") + " · " + (p.place_name || "") + " · " + (p.date || "");
        var text = document.createElement("p");
        text.textContent = p.sentence || "";
        var link = document.createElement("a");
        link.href = "/documents/" + encodeURIComponent(p.doc_id) + "#r-" + encodeURIComponent(p.id);
        link.textContent = (p.outlet || p.doc_id) + (p.camp ? " (" + p.camp + ")" : "");
        box.appendChild(head); box.appendChild(text); box.appendChild(link);
        lyr.bindPopup(box);
      }
    }).addTo(map);
    if (geo.features.length) { map.fitBounds(layer.getBounds().pad(0.5), { maxZoom: 5 }); }
    el.setAttribute("data-loaded", String(geo.features.length));
  });
});
