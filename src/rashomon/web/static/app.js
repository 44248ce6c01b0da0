// Rashomon web UI behaviour: review buttons, highlight toggles, sortable tables.
// Loaded as a file (the Content-Security-Policy forbids inline script); it only ever
// writes text (textContent), never markup, so stored article text cannot become code.
"use strict";

function token() {
  var box = document.getElementById("token");
  if (box && box.value) { sessionStorage.setItem("rashomon-token", box.value); }
  return (box && box.value) || sessionStorage.getItem("rashomon-token") || "";
}

function review(el, status) {
  var target = el.getAttribute("data-target");
  var id = el.getAttribute("data-id");
  var note = el.querySelector("input.note");
  var msg = el.querySelector(".msg");
  var headers = { "Content-Type": "application/json" };
  var t = token();
  if (t) { headers["Authorization"] = "Bearer " + t; }
  msg.textContent = "saving…";
  fetch("/api/" + encodeURIComponent(target) + "/" + encodeURIComponent(id) + "/review", {
    method: "POST", headers: headers, credentials: "same-origin",
    body: JSON.stringify({ status: status, note: note && note.value ? note.value : null })
  }).then(function (r) {
    if (r.status === 401) { msg.textContent = "needs the server token (box at the top)"; return null; }
    if (!r.ok) { msg.textContent = "failed (" + r.status + ")"; return null; }
    return r.json();
  }).then(function (data) {
    if (!data) { return; }
    var st = el.querySelector(".status");
    st.textContent = data.status;
    st.className = "status st-" + data.status;
    msg.textContent = "saved";
  }).catch(function () { msg.textContent = "network error"; });
}

function sortTable(th) {
  var table = th.closest("table");
  var body = table.tBodies[0];
  var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
  var asc = !th.classList.contains("asc");
  Array.prototype.forEach.call(th.parentNode.children, function (h) { h.classList.remove("asc", "desc"); });
  th.classList.add(asc ? "asc" : "desc");
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = (a.cells[idx] || {}).textContent || "", y = (b.cells[idx] || {}).textContent || "";
    var nx = parseFloat(x), ny = parseFloat(y);
    var c = (!isNaN(nx) && !isNaN(ny) && /^[\s\d.+-]+$/.test(x) && /^[\s\d.+-]+$/.test(y))
      ? nx - ny : x.localeCompare(y);
    return asc ? c : -c;
  });
  rows.forEach(function (r) { body.appendChild(r); });
}

document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("token");
  if (box) { box.value = sessionStorage.getItem("rashomon-token") || ""; box.addEventListener("change", token); }
  document.querySelectorAll(".review").forEach(function (el) {
    el.querySelectorAll("button[data-status]").forEach(function (b) {
      b.addEventListener("click", function () { review(el, b.getAttribute("data-status")); });
    });
  });
  var body = document.getElementById("doc-body");
  document.querySelectorAll("input[data-hl]").forEach(function (cb) {
    cb.addEventListener("change", function () {
      body.classList.toggle("show-" + cb.getAttribute("data-hl"), cb.checked);
    });
  });
  document.querySelectorAll("table.sortable th").forEach(function (th) {
    th.addEventListener("click", function () { sortTable(th); });
  });
});
