// eventwire desk: the interactive views (time charts, network, map), drawn with the vendored
// libraries in /static/vendor (uPlot, Cytoscape.js, Leaflet + markercluster). No inline script:
// every page that needs a view names its data URL in a data-* attribute.
"use strict";

const QUAD_COLOURS = {
  verbal_cooperation: "#4e9a06",
  material_cooperation: "#1b5e20",
  verbal_conflict: "#f57c00",
  material_conflict: "#c62828",
};
// Filters the views take from the page's URL (the date window is from/to).
const VIEW_PARAMS = ["from", "to", "type", "country", "actor", "period", "min_events", "hide_generic", "ego", "role", "dyad"];

function make(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

// The view's data URL with the page's filters (the URL's query) added.
function viewUrl(base, extra) {
  const url = new URL(base, window.location.origin);
  const page = new URLSearchParams(window.location.search);
  for (const name of VIEW_PARAMS) {
    if (page.get(name) && !url.searchParams.has(name)) url.searchParams.set(name, page.get(name));
  }
  for (const [k, v] of Object.entries(extra || {})) url.searchParams.set(k, v);
  return url.pathname + url.search;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error ? data.error.message : String(response.status));
  return data;
}

// The date window form shows the window a view used (the dense range when none was asked).
function showWindow(window_) {
  if (!window_) return;
  document.querySelectorAll("form.window").forEach((form) => {
    for (const name of ["from", "to"]) {
      const input = form.querySelector('input[name="' + name + '"]');
      if (input && !input.value && window_[name]) input.value = window_[name].slice(0, 10);
    }
  });
}

function initWindowForms() {
  document.querySelectorAll("form.window button[data-months]").forEach((button) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const form = button.closest("form");
      const to = form.querySelector('input[name="to"]');
      const from = form.querySelector('input[name="from"]');
      const months = Number(button.dataset.months);
      if (months === 0) {
        from.value = "1900-01-01";
        to.value = new Date().toISOString().slice(0, 10);
      } else {
        const end = to.value ? new Date(to.value + "T00:00:00Z") : new Date();
        const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - months + 1, 1));
        to.value = end.toISOString().slice(0, 10);
        from.value = start.toISOString().slice(0, 10);
      }
      form.submit();
    });
  });
}

// ---- time charts (uPlot) -------------------------------------------------------------------

function seconds(day) {
  return Date.parse(day + "T00:00:00Z") / 1000;
}

// The first second after the period that starts on ``day`` (a day, an ISO week, a month).
function periodEnd(day, period) {
  const start = new Date(day + "T00:00:00Z");
  if (period === "month") return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) / 1000;
  return seconds(day) + (period === "week" ? 7 : 1) * 86400;
}

// Vertical marks on the time axis (alert firings), drawn after the series.
function markPlugin(marks) {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = "#b00020";
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
          for (const mark of marks) {
            const x = Math.round(u.valToPos(seconds(mark.date), "x", true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
}

function drawSeries(box, data) {
  box.replaceChildren();
  box.dataset.period = data.period || "";
  box.dataset.buckets = String(data.buckets.length);
  if (!data.buckets.length || !Object.keys(data.counts).length) {
    box.append(make("p", "No dated events in this window.", { class: "empty" }));
    return null;
  }
  const xs = data.buckets.map(seconds);
  // Stacked bars: each category is drawn at the running total of the categories before it and
  // the tallest is drawn first, so each bar shows its own slice; the legend shows raw counts.
  const kinds = Object.keys(data.counts);
  const running = new Array(xs.length).fill(0);
  const stacked = kinds.map((kind) => data.counts[kind].map((n, i) => (running[i] += n)));
  const columns = [xs];
  const series = [{}];
  const bars = uPlot.paths.bars({ size: [0.8, 40], align: 1 });
  for (let k = kinds.length - 1; k >= 0; k--) {
    const kind = kinds[k];
    columns.push(stacked[k]);
    series.push({
      label: kind,
      stroke: data.colours[kind],
      fill: data.colours[kind],
      paths: bars,
      points: { show: false },
      value: (u, v, si, i) => (i === null || i === undefined ? "--" : String(data.counts[kind][i])),
    });
  }
  const axes = [{}, { label: "events" }];
  if (data.intensity && box.dataset.intensity !== "no") {
    columns.push(data.intensity);
    series.push({ label: "intensity (−10 conflict … +10 cooperation)", stroke: "#000", width: 2, scale: "i", spanGaps: false });
    axes.push({ scale: "i", side: 1, grid: { show: false }, label: "intensity" });
  }
  const opts = {
    width: Math.max(320, box.clientWidth || 900),
    height: Number(box.dataset.height || 280),
    // The axis runs to the end of the last period: its bar is drawn whole, not cut off.
    scales: { x: { time: true, range: () => [xs[0], periodEnd(data.buckets[data.buckets.length - 1], data.period)] }, i: { range: [-10, 10] } },
    series,
    axes,
    plugins: box.dataset.marks === "alerts" ? [markPlugin(data.alerts || [])] : [],
  };
  const plot = new uPlot(opts, columns, box);
  box.classList.add("drawn");
  return plot;
}

async function initTimeCharts() {
  for (const box of document.querySelectorAll(".time-chart[data-src]")) {
    try {
      const data = await getJson(viewUrl(box.dataset.src));
      showWindow(data.window);
      drawSeries(box, data);
      const fallback = box.parentElement.querySelector(".fallback");
      if (fallback && box.classList.contains("drawn")) fallback.hidden = true;
      fillTable(document.getElementById(box.dataset.table || ""), data);
      const alerts = document.getElementById(box.dataset.alerts || "");
      if (alerts) {
        alerts.replaceChildren(
          ...(data.alerts || []).map((a) => make("li", a.date + " " + a.rule + ": " + a.message, { class: "alert-mark", "data-date": a.date })),
        );
      }
    } catch (err) {
      box.replaceChildren(make("p", "Chart unavailable: " + err.message, { class: "error" }));
    }
  }
}

// The chart's numbers as a table under it: one row per period.
function fillTable(table, data) {
  if (!table) return;
  const kinds = Object.keys(data.counts);
  const head = make("tr");
  for (const name of ["period", ...kinds, "total", ...(data.intensity ? ["intensity"] : [])]) head.append(make("th", name));
  const rows = data.buckets.map((bucket, i) => {
    const row = make("tr");
    const values = kinds.map((k) => data.counts[k][i]);
    row.append(make("td", bucket));
    for (const v of values) row.append(make("td", String(v)));
    row.append(make("td", String(values.reduce((a, b) => a + b, 0))));
    if (data.intensity) row.append(make("td", data.intensity[i] === null ? "" : String(data.intensity[i])));
    return row;
  });
  const thead = make("thead");
  thead.append(head);
  const tbody = make("tbody");
  tbody.append(...rows);
  table.replaceChildren(thead, tbody);
}

// ---- network (Cytoscape.js) ----------------------------------------------------------------

// How many of the most central nodes always show their label; the rest on hover.
const LABELLED = 25;

function graphElements(data) {
  const ranked = [...data.nodes].sort((a, b) => b.weight - a.weight);
  const labelled = new Set(ranked.slice(0, LABELLED).map((n) => n.key));
  const nodes = data.nodes.map((n) => ({
    data: { id: n.key, name: n.name, weight: n.weight, generic: n.generic },
    classes: labelled.has(n.key) ? "labelled" : "",
  }));
  const edges = data.edges.map((e, i) => ({
    data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight, quad: e.quad || "", types: Object.keys(e.types).join(", ") },
  }));
  return [...nodes, ...edges];
}

function graphStyle(maxWeight) {
  return [
    { selector: "node", style: { width: "mapData(weight, 1, " + maxWeight + ", 8, 48)", height: "mapData(weight, 1, " + maxWeight + ", 8, 48)", "background-color": "#2b5d8a", label: "", "font-size": 11, "text-valign": "top", "min-zoomed-font-size": 6 } },
    { selector: "node.labelled, node.hover, node:selected", style: { label: "data(name)", "text-background-color": "#fff", "text-background-opacity": 0.75, "text-background-padding": 1, "z-index": 10 } },
    { selector: "node[?generic]", style: { "background-color": "#8a8a8a" } },
    { selector: "edge", style: { width: "mapData(weight, 1, 20, 1, 8)", "line-color": "#999", "target-arrow-color": "#999", "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.7 } },
    ...Object.entries(QUAD_COLOURS).map(([quad, colour]) => ({ selector: 'edge[quad = "' + quad + '"]', style: { "line-color": colour, "target-arrow-color": colour } })),
    { selector: "edge:selected", style: { opacity: 1, width: 8 } },
  ];
}

async function initGraph() {
  const box = document.getElementById("graph");
  if (!box || !box.dataset.src) return;
  let data;
  try {
    data = await getJson(viewUrl(box.dataset.src));
  } catch (err) {
    box.replaceChildren(make("p", "Network unavailable: " + err.message, { class: "error" }));
    return;
  }
  showWindow(data.window);
  const count = document.getElementById("graph-count");
  if (count) count.textContent = data.nodes.length + " actors, " + data.edges.length + " edges (of " + data.total_edges + " pairs)";
  const maxWeight = Math.max(2, ...data.nodes.map((n) => n.weight));
  const cy = cytoscape({
    container: box,
    elements: graphElements(data),
    style: graphStyle(maxWeight),
    layout: { name: "cose", animate: false, randomize: true, numIter: data.nodes.length > 200 ? 400 : 1000, nodeRepulsion: () => 8000, idealEdgeLength: () => 60 },
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 6,
  });
  cy.on("mouseover", "node", (e) => e.target.addClass("hover"));
  cy.on("mouseout", "node", (e) => e.target.removeClass("hover"));
  cy.on("tap", "node", (e) => {
    window.location.href = "/actors/" + encodeURIComponent(e.target.id());
  });
  cy.on("tap", "edge", (e) => {
    const edge = e.target;
    document.querySelectorAll(".network-wrap").forEach((wrap) => {
      const params = new URLSearchParams(wrap.dataset.filters || "");
      if (data.window && data.window.from && !params.get("since")) params.set("since", data.window.from);
      if (data.window && data.window.to && !params.get("until")) params.set("until", data.window.to);
      wrap.dataset.filters = params.toString();
    });
    showEdge(edge.data("source"), edge.data("target"));
  });
  box.dataset.ready = "yes";
  window.deskGraph = cy;
}

// ---- map (Leaflet + markercluster) ---------------------------------------------------------

function shade(count, max) {
  if (!count) return "#f2f2f2";
  const t = Math.log(1 + count) / Math.log(1 + max);
  const light = Math.round(92 - t * 55);
  return "hsl(210, 55%, " + light + "%)";
}

function listEvents(points) {
  const list = document.getElementById("map-events");
  if (!list) return;
  list.replaceChildren(
    ...points.slice(0, 200).map((p) => {
      const item = make("li", null, { class: "evidence-item" });
      item.append(make("span", p.type, { class: "cat", "data-cat": p.type }), " ");
      item.append(make("strong", p.place || ""), " ", make("small", p.date || "undated"));
      item.append(make("q", p.evidence, { class: "evidence" }), " ");
      item.append(make("a", "article", { href: "/articles/" + encodeURIComponent(p.article_id) + "#ev-" + p.pk }));
      return item;
    }),
  );
  if (points.length > 200) list.append(make("li", "… and " + (points.length - 200) + " more", { class: "hint" }));
}

async function initMap() {
  const box = document.getElementById("map");
  if (!box || !box.dataset.src) return;
  let data, world;
  try {
    [data, world] = await Promise.all([getJson(viewUrl(box.dataset.src)), getJson(box.dataset.boundaries)]);
  } catch (err) {
    box.replaceChildren(make("p", "Map unavailable: " + err.message, { class: "error" }));
    return;
  }
  showWindow(data.window);
  const map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: false }).setView([20, 10], 2);
  const max = Math.max(1, ...Object.values(data.countries));
  const shaded = () => document.getElementById("map-shade") && document.getElementById("map-shade").checked;
  const base = L.geoJSON(world, {
    style: (f) => ({ color: "#9aa5b1", weight: 0.6, fillOpacity: 1, fillColor: shaded() ? shade(data.countries[f.id] || 0, max) : "#f2f2f2" }),
    onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name + (data.countries[f.id] ? ": " + data.countries[f.id] + " events" : "")),
  }).addTo(map);
  const toggle = document.getElementById("map-shade");
  if (toggle) toggle.addEventListener("change", () => base.resetStyle());
  const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  for (const p of data.points) {
    const marker = L.circleMarker([p.lat, p.lon], { radius: 6, color: "#1f2d3a", weight: 1, fillColor: "#e08a00", fillOpacity: 0.9 });
    marker.point = p;
    marker.on("click", () => listEvents(data.points.filter((q) => q.lat === p.lat && q.lon === p.lon)));
    clusters.addLayer(marker);
  }
  clusters.on("clusterclick", (e) => listEvents(e.layer.getAllChildMarkers().map((m) => m.point)));
  map.addLayer(clusters);
  if (data.points.length) map.fitBounds(clusters.getBounds(), { maxZoom: 6, padding: [20, 20] });
  box.dataset.ready = "yes";
  window.deskMap = { map, clusters };
}

document.addEventListener("DOMContentLoaded", () => {
  initWindowForms();
  if (window.uPlot) initTimeCharts();
  if (window.cytoscape) initGraph();
  if (window.L) initMap();
});
