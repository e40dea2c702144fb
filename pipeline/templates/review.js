/* The review index: sort any table by a click on its header, and filter the articles table.
   Plain JavaScript, no library, nothing loaded from the network. Values are only ever read
   and written as text (textContent, dataset): nothing from a record becomes markup here. */
(function () {
  "use strict";

  function fold(text) {  // case and Vietnamese/French/German accents do not matter when filtering
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  // ------------------------------------------------------------ sorting

  function sortKey(cell, numeric) {
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    return numeric ? (parseFloat(value) || 0) : value;
  }

  function sortBy(table, column, header) {
    var numeric = header.getAttribute("data-type") === "number";
    // the first click puts the largest numbers, or A before Z, first
    var ascending = header.getAttribute("aria-sort") ? header.getAttribute("aria-sort") !== "ascending" : !numeric;
    Array.prototype.forEach.call(header.parentNode.cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return {row: row, key: sortKey(row.cells[column], numeric), i: i};
    });
    rows.sort(function (a, b) {
      var empty = (a.key === "") - (b.key === "");  // empty cells last either way
      if (empty) { return empty; }
      var order = numeric ? a.key - b.key : a.key.localeCompare(b.key);
      return (ascending ? order : -order) || a.i - b.i;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r.row); });
    body.appendChild(fragment);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.nf-sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      header.tabIndex = 0;
      header.title = header.title || "sort by " + header.textContent;
      header.addEventListener("click", function () { sortBy(table, column, header); });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, column, header); }
      });
    });
  });

  // ------------------------------------------------------------ filtering the articles

  var table = document.getElementById("nf-articles");
  if (!table) { return; }
  var query = document.getElementById("nf-q");
  var language = document.getElementById("nf-lang");
  var status = document.getElementById("nf-status");
  var chip = document.getElementById("nf-facet");
  var chipLabel = document.getElementById("nf-facet-label");
  var count = document.getElementById("nf-count");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows).map(function (row) {
    return {row: row, text: fold(row.getAttribute("data-q") || ""), lang: row.getAttribute("data-lang"),
            status: " " + row.getAttribute("data-status") + " ",
            facets: "|" + (row.getAttribute("data-facets") || "") + "|"};
  });
  var facet = null;  // the value clicked in another table: "p:Bac Giang", "c:57-NQ/TW", "m:2024-12"...

  function apply() {
    var words = fold(query.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (r) {
      var keep = words.every(function (w) { return r.text.indexOf(w) >= 0; }) &&
        (!language.value || r.lang === language.value) &&
        (!status.value || r.status.indexOf(" " + status.value + " ") >= 0) &&
        (!facet || r.facets.indexOf("|" + facet + "|") >= 0);
      r.row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = shown === rows.length ? rows.length + " articles" : shown + " of " + rows.length + " articles";
  }

  query.addEventListener("input", apply);
  language.addEventListener("change", apply);
  status.addEventListener("change", apply);
  document.getElementById("nf-facet-clear").addEventListener("click", function () {
    facet = null;
    chip.hidden = true;
    apply();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-facet]") : null;
    if (!link) { return; }
    facet = link.getAttribute("data-facet");
    chipLabel.textContent = link.getAttribute("data-label") || facet;
    chip.hidden = false;
    apply();  // the link's #articles then scrolls to the table
  });
  apply();
})();
