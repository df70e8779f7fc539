// eventwire desk: the little JavaScript the pages need (no library, no inline script).
"use strict";

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

// Article view: clicking a trigger shows its coded event (the card is the URL's :target).
function selectEvent(pk) {
  document.querySelectorAll(".trigger.selected").forEach((n) => n.classList.remove("selected"));
  document.querySelectorAll('.trigger[data-ev="' + pk + '"]').forEach((n) => n.classList.add("selected"));
}

function initArticle() {
  document.querySelectorAll(".trigger[data-ev]").forEach((node) => {
    node.addEventListener("click", () => selectEvent(node.dataset.ev));
  });
  const hash = window.location.hash.match(/^#ev-(\d+)$/);
  const text = document.getElementById("article-text");
  // A long article is shown in parts: an event in another part is fetched by its number.
  if (hash && text && text.dataset.parts && !document.getElementById("ev-" + hash[1])
      && !new URLSearchParams(window.location.search).has("event")) {
    window.location.replace("?event=" + hash[1] + "#ev-" + hash[1]);
    return;
  }
  if (hash) selectEvent(hash[1]);
}

// Network explorer: clicking an edge lists its evidence sentences with links to the articles.
async function showEdge(source, target) {
  const wrap = document.querySelector(".network-wrap");
  const list = document.getElementById("edge-evidence");
  if (!wrap || !list) return;
  const params = new URLSearchParams(wrap.dataset.filters || "");
  params.set("source", source);
  params.set("target", target);
  list.replaceChildren(el("li", "Loading…"));
  const response = await fetch("/api/network/edge?" + params.toString());
  const data = await response.json();
  if (!response.ok) {
    list.replaceChildren(el("li", data.error ? data.error.message : "failed"));
    return;
  }
  list.replaceChildren(...data.items.map(evidenceItem));
  if (!data.items.length) list.replaceChildren(el("li", "No events."));
}

function evidenceItem(event) {
  const item = el("li", null, { class: "evidence-item" });
  const names = (side) => (event.actors[side] || []).map((a) => a.name).join(", ");
  item.append(el("span", event.type, { class: "cat", "data-cat": event.type }), " ");
  item.append(el("strong", names("source") + " → " + names("target")), " ");
  item.append(el("small", (event.date && event.date.value) || "undated"));
  item.append(el("q", event.evidence.text, { class: "evidence" }), " ");
  const link = el("a", event.article.title || event.article.id, {
    href: "/articles/" + encodeURIComponent(event.article.id) + "#ev-" + event.pk,
    class: "evidence-link",
  });
  item.append(link);
  return item;
}

function initNetwork() {
  document.querySelectorAll("line.edge, a.edge-link").forEach((node) => {
    const open = (e) => {
      e.preventDefault();
      document.querySelectorAll("line.edge.selected").forEach((n) => n.classList.remove("selected"));
      if (node.tagName.toLowerCase() === "line") node.classList.add("selected");
      showEdge(node.dataset.source, node.dataset.target);
    };
    node.addEventListener("click", open);
    node.addEventListener("keydown", (e) => { if (e.key === "Enter") open(e); });
  });
}

// Corrections: send the form as JSON with the analyst's token as a Bearer header.
function correctionBody(form) {
  const data = Object.fromEntries(new FormData(form).entries());
  const body = { author: data.author || "", reason: data.reason || "" };
  const endpoint = form.dataset.endpoint;
  if (endpoint.endsWith("/events")) {
    const changes = {};
    for (const name of ["type", "date"]) if (data[name]) changes[name] = data[name];
    for (const name of ["source", "target"]) {
      if (data[name]) changes[name] = data[name].split(";").map((s) => s.trim()).filter(Boolean);
    }
    return { ...body, key: form.dataset.key, changes };
  }
  if (endpoint.endsWith("/merge")) return { ...body, actor: form.dataset.actor, into: data.into };
  const articles = (data.articles || "").split(/[;,\s]+/).filter(Boolean);
  return { ...body, actor: form.dataset.actor, articles, name: data.name };
}

async function submitCorrection(event) {
  event.preventDefault();
  const form = event.target;
  const output = form.querySelector(".result");
  const token = form.querySelector('input[name="token"]').value || sessionStorage.getItem("ewToken") || "";
  const response = await fetch(form.dataset.endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
    body: JSON.stringify(correctionBody(form)),
  });
  const data = await response.json();
  if (response.ok) {
    if (token) sessionStorage.setItem("ewToken", token);
    output.textContent = "Saved (correction " + data.id + ").";
    output.className = "result ok";
    window.setTimeout(() => window.location.reload(), 400);
  } else {
    output.textContent = "Refused: " + (data.error ? data.error.message : response.status);
    output.className = "result refused";
  }
}

function initCorrections() {
  const saved = sessionStorage.getItem("ewToken");
  document.querySelectorAll("form.correction-form").forEach((form) => {
    if (saved) form.querySelector('input[name="token"]').value = saved;
    form.addEventListener("submit", submitCorrection);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  initArticle();
  initNetwork();
  initCorrections();
});
