// Draws every chart on the page with the site's own copy of Vega (no CDN).
// Each chart is a <div class="telcoai-chart"> holding its Vega-Lite spec as JSON.
(function () {
  "use strict";
  // Canvas draws fastest; the PDF edition and charts that ask for it (usermeta.renderer) use SVG.
  var EMBED_OPTIONS = {
    renderer: "canvas",
    actions: { export: true, source: false, compiled: false, editor: false },
    downloadFileName: "chart",
  };

  // Deep-merge `extra` into `target`: the dark palette must override the spec's own config.
  function mergeInto(target, extra) {
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        if (!target[key] || typeof target[key] !== "object") target[key] = {};
        mergeInto(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function darkMode() {
    return document.documentElement.dataset.theme === "dark";
  }

  // Small multiples carry one compiled layout per column count (widest first):
  // use the widest that fits the text column (one column on a phone).
  function pickLayout(spec, width) {
    if (!spec.telcoai_variants) return spec;
    var variants = spec.telcoai_variants;
    for (var i = 0; i < variants.length; i++) {
      var child = (variants[i][1].signals || []).filter(function (s) { return s.name === "child_width"; })[0];
      var panel = child && typeof child.value === "number" ? child.value + 70 : 0;
      if (panel * variants[i][0] <= width) return variants[i][1];
    }
    return variants[variants.length - 1][1];
  }

  function drawOne(el) {
    var holder = el.querySelector("script.telcoai-spec");
    if (!holder) return Promise.resolve();
    var spec = pickLayout(JSON.parse(holder.textContent), el.clientWidth);
    var options = Object.assign({}, EMBED_OPTIONS, {
      downloadFileName: el.dataset.name || el.id,
    });
    if (document.querySelector(".telcoai-print-title")) options.renderer = "svg";
    if (spec.usermeta && spec.usermeta.renderer) options.renderer = spec.usermeta.renderer;
    if (darkMode()) {
      mergeInto(spec, { config: {
        axis: { labelColor: "#e6e6e6", titleColor: "#e6e6e6", gridColor: "#444444", domainColor: "#aaaaaa", tickColor: "#aaaaaa" },
        legend: { labelColor: "#e6e6e6", titleColor: "#e6e6e6", symbolStrokeColor: "#cccccc", symbolFillColor: "#cccccc" },
        title: { color: "#f0f0f0", subtitleColor: "#cccccc" },
        text: { fill: "#e6e6e6" },
        style: { "guide-label": { fill: "#e6e6e6" }, "guide-title": { fill: "#e6e6e6" } },
      } });
    }
    var target = el.querySelector(".telcoai-chart-canvas");
    if (!target) {
      target = document.createElement("div");
      target.className = "telcoai-chart-canvas";
      el.appendChild(target);
    }
    return vegaEmbed(target, spec, options).then(function (result) {
      var summary = target.querySelector("details > summary");
      if (summary) summary.setAttribute("aria-label", "Chart menu: save the image as SVG or PNG");
      el.dataset.renderedAt = String(Math.round(performance.now()));
      el.dataset.rendered = "true";
      el._view = result.view;
    }).catch(function (err) {
      el.dataset.rendered = "error";
      console.error("Chart " + el.id + " could not be drawn: " + err);
    });
  }

  function drawAll() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".telcoai-chart"));
    return Promise.all(charts.map(drawOne));
  }

  window.telcoaiCharts = { drawAll: drawAll };

  // Loaded with defer: the page is parsed by now, so this draws at once.
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      document.removeEventListener("readystatechange", once);
      drawAll();
    });
  } else {
    drawAll();
  }

  // Redraw with the other palette when the reader switches light/dark theme.
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      if (c.attributeName === "data-theme") {
        document.querySelectorAll(".telcoai-chart").forEach(function (el) {
          if (el._view) el._view.finalize();
          var canvas = el.querySelector(".telcoai-chart-canvas");
          if (canvas) canvas.innerHTML = "";
          drawOne(el);
        });
      }
    });
  }).observe(document.documentElement, { attributes: true });
})();

// Sortable data tables: a click on a column heading sorts by that column.
(function () {
  "use strict";
  function cellValue(td) {
    var sortKey = td.getAttribute("data-sort");
    return sortKey !== null ? parseFloat(sortKey) : td.textContent.trim().toLowerCase();
  }
  function sortBy(table, index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[index]), y = cellValue(b.cells[index]);
      if (typeof x === "number" && isNaN(x)) return 1;
      if (typeof y === "number" && isNaN(y)) return -1;
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function init() {
    document.querySelectorAll("table.telcoai-table").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, index) {
        var button = th.querySelector("button.telcoai-sort");
        if (button) button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
