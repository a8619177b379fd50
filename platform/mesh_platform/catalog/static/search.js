/* mesh catalog search: data products (and their columns), domains and reports, in the browser.
   The index is window.MESH_SEARCH, filled by the assets/search-index-N.js files loaded before this one.
   Every word typed must match somewhere; names weigh more than columns, columns more than descriptions. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list || !status) {
    return;
  }
  var entries = window.MESH_SEARCH || [];
  var LIMIT = 50;
  var COLUMNS_SHOWN = 5;
  var KINDS = { product: "Data product", domain: "Domain", report: "Report" };
  var KIND_ORDER = { product: 0, report: 1, domain: 2 };

  function lower(text) {
    return (text || "").toLowerCase();
  }

  function match(entry, terms) {
    var name = lower(entry.n), text = lower(entry.t), domain = lower(entry.d);
    var columns = entry.c || [];
    var total = 0, matched = {};
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i], best = 0;
      if (name === term) { best = 100; } else if (name.indexOf(term) >= 0) { best = 40; }
      for (var j = 0; j < columns.length; j++) {
        var column = lower(columns[j][0]);
        var hit = column === term ? 60 : column.indexOf(term) >= 0 ? 25 : lower(columns[j][2]).indexOf(term) >= 0 ? 4 : 0;
        if (hit) {
          matched[j] = Math.max(matched[j] || 0, hit);
          best = Math.max(best, hit);
        }
      }
      if (!best && domain.indexOf(term) >= 0) { best = 10; }
      if (!best && text.indexOf(term) >= 0) { best = 8; }
      if (!best) { return null; }
      total += best;
    }
    var hits = Object.keys(matched).map(Number).sort(function (a, b) { return matched[b] - matched[a] || a - b; });
    return { entry: entry, score: total, columns: hits.slice(0, COLUMNS_SHOWN).map(function (k) { return columns[k]; }) };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function show(results, query) {
    list.textContent = "";
    results.slice(0, LIMIT).forEach(function (result) {
      var entry = result.entry;
      var item = element("li", "result");
      var link = element("a", "result-title", entry.n);
      link.href = entry.u;
      item.appendChild(link);
      var where = KINDS[entry.k] + (entry.d && entry.k !== "domain" ? " · " + entry.d : "");
      item.appendChild(element("span", "muted", " " + where));
      if (entry.t) { item.appendChild(element("p", "result-text", entry.t)); }
      if (result.columns.length) {
        var columns = element("p", "result-text", "Columns: ");
        result.columns.forEach(function (column, index) {
          var anchor = element("a", "result-column");
          anchor.href = entry.u + "#column-" + column[0];
          anchor.appendChild(element("code", "", column[0]));
          columns.appendChild(anchor);
          columns.appendChild(document.createTextNode(" " + column[1] + (column[2] ? " – " + column[2] : "") +
            (index < result.columns.length - 1 ? "; " : "")));
        });
        item.appendChild(columns);
      }
      list.appendChild(item);
    });
    if (!results.length) {
      status.textContent = "Nothing found for \u201c" + query + "\u201d.";
    } else {
      status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for \u201c" + query +
        "\u201d" + (results.length > LIMIT ? ", the first " + LIMIT + " shown." : ".");
    }
  }

  function search(query) {
    var terms = lower(query).split(/\s+/).filter(Boolean);
    if (!terms.length) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    var results = [];
    for (var i = 0; i < entries.length; i++) {
      var result = match(entries[i], terms);
      if (result) { results.push(result); }
    }
    results.sort(function (a, b) {
      return b.score - a.score || KIND_ORDER[a.entry.k] - KIND_ORDER[b.entry.k] || (a.entry.n < b.entry.n ? -1 : 1);
    });
    show(results, query.trim());
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search(input.value); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    search(asked);
  }
})();
