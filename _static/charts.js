// Draws the charts on the page with the site's own copy of Vega (no CDN). A chart drawn in advance (SVG in the
// page) is drawn live when the reader reaches for it; any other chart when it comes near the screen. Vega
// itself is fetched only then, so a reader who never reaches for a chart never downloads or runs it.
// Each chart is an element holding its Vega spec (compiled from Vega-Lite at build time) as JSON. The names of
// that protocol come from the page (window.telcoaiChartProtocol, written by the build from telcoai.kernel.chartpage).
(function () {
  "use strict";
  // Canvas draws fastest; the PDF edition and charts that ask for it (usermeta.renderer) use SVG.
  // The figure's own links offer the image as SVG and PNG, so Vega's menu is not shown.
  var EMBED_OPTIONS = { renderer: "canvas", actions: false };
  // How close to the screen (px) a chart is drawn: near enough to be ready when scrolled to.
  var NEAR_SCREEN = 300;
  // Vega and vega-embed, next to this script in _static (loaded in order, once).
  var here = document.currentScript ? document.currentScript.src : location.href;
  var VEGA = ["vendor/vega/vega.min.js", "vendor/vega/vega-embed.min.js"].map(function (p) { return new URL(p, here).href; });
  var vegaLoading = null;
  function loadVega() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!vegaLoading) {
      // Both files download at once and run in order (async = false keeps the order of insertion).
      vegaLoading = Promise.all(VEGA.map(function (src) {
        return new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = src;
          script.async = false;
          script.onload = resolve;
          script.onerror = function () { reject(new Error("could not load " + src)); };
          document.head.appendChild(script);
        });
      }));
    }
    return vegaLoading;
  }
  var P = window.telcoaiChartProtocol;
  // Text colours of the light theme and what they become in the dark theme.
  var DARK_TEXT = { "black": "#e6e6e6", "#000": "#e6e6e6", "#000000": "#e6e6e6", "#222222": "#e6e6e6",
                    "#333333": "#e6e6e6", "#4a4a4a": "#cccccc", "#6b6b6b": "#b0b0b0", "#888888": "#aaaaaa",
                    "#bbbbbb": "#777777", "#dddddd": "#444444", "white": "#1e1e1e", "#ffffff": "#1e1e1e",
                    "#eeeeee": "#3a3a3a" };

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

  // Fixed colours of marks (text, rules, points) and of colour scales, for the dark theme.
  // A colour chosen by a condition (text on a heat-map cell) is kept: it contrasts with its cell.
  function darken(node) {
    if (Array.isArray(node)) {
      node.forEach(darken);
    } else if (node && typeof node === "object") {
      Object.keys(node).forEach(function (key) {
        var value = node[key];
        if ((key === "fill" || key === "stroke") && value && typeof value === "object" && !Array.isArray(value) &&
            typeof value.value === "string" && DARK_TEXT[value.value.toLowerCase()]) {
          value.value = DARK_TEXT[value.value.toLowerCase()];
        } else if (key === "range" && Array.isArray(value)) {
          node[key] = value.map(function (c) { return typeof c === "string" && c.toLowerCase() === "#000000" ? "#f0f0f0" : c; });
        } else if (key === "fill" || key === "stroke") {
          if (Array.isArray(value)) return;
        } else {
          darken(value);
        }
      });
    }
  }

  function setSignal(spec, name, value) {
    (spec.signals || []).forEach(function (s) { if (s.name === name) s.value = value; });
  }

  // Small multiples carry one compiled layout per column count (widest first):
  // use as many panels per row as fit the text column at their smallest width,
  // and widen the panels to fill it.
  function pickLayout(payload, width) {
    if (!payload[P.variants]) return payload;
    var variants = payload[P.variants];
    var meta = (variants[0][1].usermeta || {}).panels || { min_width: 150, gutter: 60 };
    for (var i = 0; i < variants.length; i++) {
      var n = variants[i][0];
      var panel = Math.floor((width - 8) / n - meta.gutter);
      if (panel >= meta.min_width || i === variants.length - 1) {
        var spec = variants[i][1];
        setSignal(spec, "child_width", Math.max(panel, 80));
        spec[P.panels] = n;
        return spec;
      }
    }
  }

  function money(digits) {
    return function (v) {
      return "€" + Number(v).toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    };
  }
  var READOUTS = {
    pct: function (v) { return Math.round(v * 100) + "%"; },
    pct1: function (v) { return (v * 100).toFixed(1) + "%"; },
    eur0: money(0), eur2: money(2), eur3: money(3),
    years: function (v) { return v + (Number(v) === 1 ? " year" : " years"); },
  };

  // Slider readouts in the reader's units (%, €, years) rather than Vega's raw values.
  function formatReadouts(target, formats) {
    Object.keys(formats || {}).forEach(function (name) {
      var input = target.querySelector(".vega-bindings input[name='" + name + "']");
      var readout = input && input.nextElementSibling;
      var format = READOUTS[formats[name]];
      if (!readout || !format) return;
      readout.className = "vega-bind-value";
      var show = function () { readout.textContent = format(Number(input.value)); };
      input.addEventListener("input", show);
      input.addEventListener("change", show);
      show();
    });
  }

  // The panel width at which small multiples fill the column exactly, from a first drawing.
  function fittedPanel(result, n, width) {
    var drawn = result.view.container().querySelector("canvas, svg");
    var actual = drawn ? drawn.getBoundingClientRect().width : width;
    var child = result.view.signal("child_width");
    return Math.max(80, Math.floor(child + (width - actual) / n));
  }

  // A chart that cannot be drawn says so on the element and in the console (drawLoaded's errors end here too).
  function drawOne(el) {
    return loadVega().then(function () { return drawLoaded(el); }).catch(function (err) {
      el.dataset[P.rendered] = "error";
      console.error("Chart " + el.id + " could not be drawn: " + err);
    });
  }

  function drawLoaded(el) {
    var holder = el.querySelector("script." + P.spec);
    if (!holder) return Promise.resolve();
    var width = el.clientWidth;
    var spec = pickLayout(JSON.parse(holder.textContent), width);
    var options = Object.assign({}, EMBED_OPTIONS);
    if (document.querySelector(".telcoai-print-title")) options.renderer = "svg";
    if (spec.usermeta && spec.usermeta.renderer) options.renderer = spec.usermeta.renderer;
    // The title and subtitle are shown above the chart, as text that wraps.
    delete spec.title;
    setSignal(spec, P.column, width);
    if (darkMode()) {
      ["marks", "scales", "legends", "axes"].forEach(function (key) { darken(spec[key] || []); });
      mergeInto(spec, { config: {
        axis: { labelColor: "#e6e6e6", titleColor: "#e6e6e6", gridColor: "#444444", domainColor: "#aaaaaa", tickColor: "#aaaaaa" },
        legend: { labelColor: "#e6e6e6", titleColor: "#e6e6e6", symbolStrokeColor: "#cccccc", symbolFillColor: "#cccccc" },
        title: { color: "#f0f0f0", subtitleColor: "#cccccc" },
        text: { fill: "#e6e6e6" },
        style: { "guide-label": { fill: "#e6e6e6" }, "guide-title": { fill: "#e6e6e6" }, "group-title": { fill: "#f0f0f0" } },
      } });
    }
    var target = el.querySelector("." + P.canvas);
    if (!target) {
      target = document.createElement("div");
      target.className = P.canvas;
      el.appendChild(target);
    }
    if (el._view) el._view.finalize();
    el._drawnWidth = width;
    el._drawnDark = darkMode();
    return vegaEmbed(target, spec, options).then(function (result) {
      if (!spec[P.panels]) return result;
      var fitted = fittedPanel(result, spec[P.panels], width);
      if (Math.abs(fitted - result.view.signal("child_width")) < 1) return result;
      // Lay the same view out again at the fitted panel width: far cheaper than drawing it anew.
      return result.view.signal("child_width", fitted).resize().runAsync().then(function () { return result; });
    }).then(function (result) {
      formatReadouts(target, spec.usermeta && spec.usermeta.readouts);
      el.dataset[P.rendered_at] = String(Math.round(performance.now()));
      el.dataset[P.rendered] = "true";
      el.dataset[P.drawn_width] = String(width);
      el._view = result.view;
    });
  }

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll("." + P.chart));
  }

  // Charts near the screen are drawn at once, the others as the reader scrolls towards them;
  // printing, and anything that asks for it (drawAll), draws every chart.
  var nearby = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        nearby.unobserve(entry.target);
        if (!entry.target._drawing) entry.target._drawing = drawOne(entry.target);
      }
    });
  }, { rootMargin: NEAR_SCREEN + "px 0px" }) : null;

  function drawAll() {
    return Promise.all(charts().map(function (el) {
      if (nearby) nearby.unobserve(el);
      if (!el._drawing) el._drawing = drawOne(el);
      return el._drawing;
    }));
  }

  // Redraw a chart at its new width after a resize or a rotation (not on every frame of a drag).
  var pending = new Map();
  var resized = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var el = entry.target;
      if (el._drawnWidth === undefined || Math.abs(el.clientWidth - el._drawnWidth) < 2) return;
      clearTimeout(pending.get(el));
      pending.set(el, setTimeout(function () {
        pending.delete(el);
        if (Math.abs(el.clientWidth - el._drawnWidth) >= 2) drawOne(el);
      }, 150));
    });
  });

  window.telcoaiCharts = { drawAll: drawAll, nearScreen: NEAR_SCREEN };

  // A chart drawn in advance stays as it is until the reader reaches for it (pointer, touch, focus):
  // then it is drawn live, with its tooltips. In the dark theme it is drawn live when near the screen.
  function drawnInAdvance(el) {
    return !!el.querySelector("." + P.static);
  }
  var REACH = ["pointerenter", "touchstart", "focusin"];
  function whenReached(el) {
    var reach = function () {
      REACH.forEach(function (type) { el.removeEventListener(type, reach); });
      if (!el._drawing) el._drawing = drawOne(el);
    };
    REACH.forEach(function (type) { el.addEventListener(type, reach, { passive: true }); });
  }

  function start() {
    if (!nearby || document.querySelector(".telcoai-print-title")) drawAll();
    else charts().forEach(function (el) {
      if (drawnInAdvance(el)) {
        el.dataset[P.rendered] = "static";
        el.dataset[P.rendered_at] = String(Math.round(performance.now()));
        whenReached(el);
        if (darkMode()) nearby.observe(el);
      } else {
        nearby.observe(el);
      }
    });
    charts().forEach(function (el) { resized.observe(el); });
    window.addEventListener("beforeprint", drawAll);
  }

  // Loaded with defer: the page is parsed by now, so this draws at once.
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      document.removeEventListener("readystatechange", once);
      start();
    });
  } else {
    start();
  }

  // Redraw with the other palette when the reader switches light/dark theme
  // (the theme's script sets the attribute again on load, to the same value: no redraw then).
  new MutationObserver(function () {
    charts().forEach(function (el) {
      if (el._drawnDark !== undefined && el._drawnDark !== darkMode()) drawOne(el);
      else if (el._drawnDark === undefined && darkMode() && nearby) nearby.observe(el);
    });
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
})();

// Data tables: a click on a column heading sorts by that column (numbers by
// value, gaps last in either direction); "Show all" reveals the rows beyond the first ones.
(function () {
  "use strict";
  function cellValue(td) {
    if (td.classList.contains("telcoai-gap")) return null;
    var sortKey = td.getAttribute("data-sort");
    return sortKey !== null ? parseFloat(sortKey) : td.textContent.trim().toLowerCase();
  }
  function sortBy(table, index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var shown = rows.filter(function (r) { return !r.hidden; }).length;
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[index]), y = cellValue(b.cells[index]);
      var xGap = x === null || (typeof x === "number" && isNaN(x)), yGap = y === null || (typeof y === "number" && isNaN(y));
      if (xGap || yGap) return xGap === yGap ? 0 : xGap ? 1 : -1;
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    // The first rows stay the ones on view, in the new order.
    rows.forEach(function (r, i) { r.hidden = i >= shown; body.appendChild(r); });
  }
  function showAll(button) {
    var figure = button.closest("figure");
    figure.querySelectorAll("tr.telcoai-more").forEach(function (r) { r.hidden = false; });
    var status = figure.querySelector(".telcoai-table-count");
    status.textContent = "All " + figure.dataset.rows + " rows shown.";
  }
  function init() {
    document.querySelectorAll("table.telcoai-table").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, index) {
        var button = th.querySelector("button.telcoai-sort");
        if (button) button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
    document.querySelectorAll("button.telcoai-show-all").forEach(function (button) {
      button.addEventListener("click", function () { showAll(button); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
