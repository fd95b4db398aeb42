// Geometry of every chart on the page, read from Vega's scenegraph: the span of
// its plot against its column, its visible text items with page-relative bounds,
// pairs of text items that overlap, text outside the drawing, the number of data
// marks and legend entries, and the contrast of text and symbols with the page.
() => {
  const probe = document.createElement("canvas").getContext("2d");
  function rgb(colour) {
    if (!colour || colour === "transparent" || colour === "none") return null;
    probe.fillStyle = "#010203";
    probe.fillStyle = String(colour);
    const value = probe.fillStyle;
    if (value === "#010203" && String(colour).toLowerCase() !== "#010203") return null;
    if (value.startsWith("#")) return [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16));
    const parts = value.match(/[\d.]+/g).map(Number);
    return parts[3] === 0 ? null : parts.slice(0, 3);
  }
  function luminance(c) {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  let background = null;
  for (let node = document.querySelector("." + window.telcoaiChartProtocol.chart); node && !background; node = node.parentElement) {
    background = rgb(getComputedStyle(node).backgroundColor);
  }
  background = background || rgb(getComputedStyle(document.body).backgroundColor) || [255, 255, 255];

  function visible(item) {
    return item.text !== undefined && item.text !== null && String(item.text).trim() !== "" &&
      item.opacity !== 0 && item.fillOpacity !== 0 && item.bounds && item.bounds.width() > 0;
  }
  function walk(mark, ox, oy, out, guide) {
    const role = mark.role || "";
    const inGuide = guide || /axis|legend|title/.test(role);
    if (role === "legend-symbol") out.legendEntries += (mark.items || []).length;
    (mark.items || []).forEach((item) => {
      if (mark.marktype === "group") {
        const x = ox + (item.x || 0), y = oy + (item.y || 0);
        if (role === "scope" && !inGuide && item.width) out.cells.push([x, x + item.width]);
        (item.items || []).forEach((child) => walk(child, x, y, out, inGuide));
      } else if (mark.marktype === "text") {
        if (visible(item)) {
          const b = item.bounds;
          out.texts.push({ text: String(Array.isArray(item.text) ? item.text.join(" ") : item.text), role: role,
            guide: inGuide, fill: item.fill, x1: ox + b.x1, y1: oy + b.y1, x2: ox + b.x2, y2: oy + b.y2 });
        }
      } else {
        if (!inGuide) out.marks += 1;
        if (mark.marktype === "rect" && !inGuide && item.bounds) {
          out.rects.push([ox + item.bounds.x1, oy + item.bounds.y1, ox + item.bounds.x2, oy + item.bounds.y2]);
        }
        if (mark.marktype === "symbol" && item.opacity !== 0) {
          out.symbols.push({ fill: item.fill, stroke: item.stroke, fillOpacity: item.fillOpacity, legend: inGuide });
        }
      }
    });
  }
  return [...document.querySelectorAll("." + window.telcoaiChartProtocol.chart)].map((el) => {
    const view = el._view;
    const column = el.getBoundingClientRect().width;
    const fig = el.closest("figure");
    const id = fig ? fig.id : el.id;
    if (!view) return { id: id, column: column, error: "not drawn" };
    const out = { texts: [], cells: [], rects: [], symbols: [], marks: 0, legendEntries: 0 };
    walk(view.scenegraph().root, 0, 0, out, false);
    const [ox, oy] = view.origin();
    const plot = out.cells.length
      ? Math.max(...out.cells.map((c) => c[1])) - Math.min(...out.cells.map((c) => c[0]))
      : view.width();
    const drawing = el.querySelector("." + window.telcoaiChartProtocol.canvas + " :is(canvas.marks, svg.marks)");
    const shown = drawing.getBoundingClientRect();
    const intrinsic = drawing.tagName.toLowerCase() === "canvas"
      ? parseFloat(drawing.style.width) || drawing.width / (window.devicePixelRatio || 1)
      : parseFloat(drawing.getAttribute("width"));
    const texts = out.texts.map((t) => Object.assign(t, { x1: t.x1 + ox, x2: t.x2 + ox, y1: t.y1 + oy, y2: t.y2 + oy }));
    const rects = out.rects.map((r) => [r[0] + ox, r[1] + oy, r[2] + ox, r[3] + oy]);
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i], b = texts[j];
        const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
        if (w > 1 && h > 1) overlaps.push(a.text + " / " + b.text);
      }
    }
    const outside = texts.filter((t) => t.x1 < -1 || t.x2 > intrinsic + 1).map((t) => t.text);
    // Text drawn on a data cell (a heat-map label) is judged against its cell, which chose its colour.
    const onCell = (t) => rects.some((r) => t.x1 >= r[0] - 1 && t.x2 <= r[2] + 1 && t.y1 >= r[1] - 1 && t.y2 <= r[3] + 1);
    const faint = texts.filter((t) => !onCell(t)).filter((t) => {
      const c = rgb(t.fill || "#000");
      return c && contrast(c, background) < 4.5;
    }).map((t) => t.text + " (" + t.fill + ")");
    const lostSymbols = out.symbols.filter((s) => {
      const colours = [s.fillOpacity === 0 ? null : rgb(s.fill), rgb(s.stroke)].filter(Boolean);
      return colours.length && Math.max(...colours.map((c) => contrast(c, background))) < 1.5;
    }).map((s) => (s.legend ? "legend " : "") + (s.fill || s.stroke));
    return { id: id, column: Math.round(column), plot: Math.round(plot), shownWidth: Math.round(shown.width),
      intrinsicWidth: Math.round(intrinsic), drawnWidth: Number(el.dataset[window.telcoaiChartProtocol.drawn_width]),
      overlaps: overlaps.slice(0, 8), overlapCount: overlaps.length, outside: outside,
      minTextHeight: texts.length ? Math.min(...texts.map((t) => t.y2 - t.y1)) : null,
      marks: out.marks, legendEntries: out.legendEntries, cells: out.cells.length,
      faintText: faint.slice(0, 8), faintSymbols: [...new Set(lostSymbols)].slice(0, 8) };
  });
}
