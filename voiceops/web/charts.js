// Two small inline-SVG charts for the ops console; nothing is fetched from anywhere.

const NS = "http://www.w3.org/2000/svg";
export const STYLE_COLOURS = { short: "#003d99", medium: "#e07b00", long: "#007a3d" };

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(label, width, height) {
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
  svg.append(el("title", {}, label));
  return svg;
}

function legend(styles) {
  const ul = document.createElement("ul");
  ul.className = "legend";
  for (const style of styles) {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = STYLE_COLOURS[style] || "#000";
    li.append(sw, style);
    ul.append(li);
  }
  return ul;
}

function yAxis(svg, { left, top, plotH, right, ticks, format }) {
  for (const t of ticks) {
    const y = top + plotH * (1 - t);
    svg.append(el("line", { x1: left, x2: right, y1: y, y2: y, stroke: "#bbb", "stroke-width": 1 }));
    svg.append(el("text", { x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 11 }, format(t)));
  }
}

/** Stacked 100% bars: the share of each style among decisions in each hour (0-23). */
export function styleShareChart(figure, rows, styles) {
  const width = 560, height = 260, left = 44, right = 8, top = 10, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const total = rows.reduce((n, r) => n + r.total, 0);
  const label = `Reply style share by hour of day over ${total} decisions`;
  const svg = frame(label, width, height);
  yAxis(svg, { left, top, plotH, right: width - right, ticks: [0, 0.25, 0.5, 0.75, 1],
               format: (t) => `${Math.round(t * 100)}%` });
  const slot = plotW / 24;
  for (const row of rows) {
    const x = left + row.hour * slot + 1;
    if (row.hour % 3 === 0) {
      svg.append(el("text", { x: x + slot / 2, y: height - bottom + 16, "text-anchor": "middle", "font-size": 11 },
                    String(row.hour).padStart(2, "0")));
    }
    if (!row.total) continue;
    let y = top + plotH;
    for (const style of styles) {
      const h = (row[style] / row.total) * plotH;
      if (!h) continue;
      y -= h;
      const bar = el("rect", { x, y, width: slot - 2, height: h, fill: STYLE_COLOURS[style], "data-style": style,
                               "data-hour": row.hour });
      bar.append(el("title", {}, `${String(row.hour).padStart(2, "0")}:00 ${style}: ${row[style]} of ${row.total}`));
      svg.append(bar);
    }
  }
  svg.append(el("text", { x: left + plotW / 2, y: height - 4, "text-anchor": "middle", "font-size": 12 },
                "hour of day (technician's local time)"));
  show(figure, svg, total ? legend(styles) : empty("No decisions in this window."));
}

/** Mean reward per time bucket (all styles, thick black) and per style (thin, coloured), 0..1. */
export function rewardChart(figure, points, styles, unit) {
  const width = 560, height = 260, left = 44, right = 12, top = 10, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const n = points.reduce((s, p) => s + p.n, 0);
  const label = `Mean reward per ${unit} over ${n} rewarded replies`;
  const svg = frame(label, width, height);
  yAxis(svg, { left, top, plotH, right: width - right, ticks: [0, 0.25, 0.5, 0.75, 1], format: (t) => t.toFixed(2) });
  const times = points.map((p) => Date.parse(p.bucket));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const span = t1 - t0 || 1;
  const xOf = (t) => (points.length === 1 ? left + plotW / 2 : left + ((t - t0) / span) * plotW);
  const yOf = (v) => top + plotH * (1 - v);
  const line = (values, attrs) => {
    const d = values.map(([t, v], i) => `${i ? "L" : "M"}${xOf(t).toFixed(1)},${yOf(v).toFixed(1)}`).join(" ");
    if (values.length) svg.append(el("path", { d, fill: "none", ...attrs }));
  };
  for (const style of styles) {
    const values = points.filter((p) => p.styles[style]).map((p) => [Date.parse(p.bucket), p.styles[style].mean]);
    line(values, { stroke: STYLE_COLOURS[style], "stroke-width": 2, "stroke-dasharray": "5 3", "data-style": style });
  }
  line(points.map((p, i) => [times[i], p.mean]), { stroke: "#000", "stroke-width": 3, "data-series": "all" });
  points.forEach((p, i) => {
    const dot = el("circle", { cx: xOf(times[i]), cy: yOf(p.mean), r: 3 + Math.min(5, Math.sqrt(p.n)), fill: "#000",
                               "data-series": "all" });
    dot.append(el("title", {}, `${p.bucket.replace("T", " ").slice(0, 16)}: mean ${p.mean.toFixed(2)} over ${p.n}`));
    svg.append(dot);
  });
  if (points.length) {
    // buckets are local wall-clock times without an offset: label them as written
    const fmt = (bucket) => (unit === "hour" ? bucket.slice(11, 16) : bucket.slice(5, 10));
    svg.append(el("text", { x: left, y: height - bottom + 16, "font-size": 11 }, fmt(points[0].bucket)));
    if (points.length > 1) {
      svg.append(el("text", { x: width - right, y: height - bottom + 16, "font-size": 11, "text-anchor": "end" },
                    fmt(points[points.length - 1].bucket)));
    }
  }
  const key = legend(styles);
  const all = document.createElement("li");
  all.innerHTML = '<span class="swatch" style="background:#000"></span>all styles';
  key.prepend(all);
  show(figure, svg, n ? key : empty("No rewards in this window."));
}

function empty(text) {
  const p = document.createElement("p");
  p.className = "empty";
  p.textContent = text;
  return p;
}

function show(figure, svg, after) {
  const caption = figure.querySelector("figcaption");
  figure.replaceChildren(caption, svg, after);
}
