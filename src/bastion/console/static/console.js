// Bastion console: the live tail (server-sent events, pausable) and confirmations before actions.
// Loaded from /console/static/ under a CSP without inline script; no framework, no build step.
"use strict";

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : String(text);
  row.appendChild(td);
  return td;
}

function when(ts) {
  return new Date(ts * 1000).toISOString().replace("T", " ").slice(0, 19);
}

function startLive(table) {
  const body = table.querySelector("tbody");
  const state = document.getElementById("live-state");
  const toggle = document.querySelector("[data-live-toggle]");
  let paused = false;
  let held = 0;
  const source = new EventSource(table.dataset.liveSource);
  source.onopen = () => { state.textContent = paused ? "paused" : "live"; };
  source.onerror = () => { state.textContent = "reconnecting…"; };
  source.onmessage = (message) => {
    if (paused) { held += 1; state.textContent = "paused (" + held + " not shown)"; return; }
    const item = JSON.parse(message.data);
    const row = document.createElement("tr");
    row.className = item.kind === "alert" ? "alert" : item.decision;
    cell(row, when(item.ts));
    if (item.kind === "alert") {
      cell(row, "ALERT");
      cell(row, "");
      cell(row, "");
      cell(row, "");
      cell(row, item.detector + " (" + item.mode + ")");
      cell(row, "");
      cell(row, item.summary);
    } else {
      const what = cell(row, "");
      const link = document.createElement("a");
      link.href = item.link;
      link.textContent = item.decision;
      what.appendChild(link);
      cell(row, item.status);
      cell(row, item.client);
      cell(row, item.subject);
      cell(row, item.request);
      cell(row, item.rule);
      cell(row, item.reason);
    }
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > 500) { body.deleteRow(body.rows.length - 1); }
  };
  toggle.addEventListener("click", () => {
    paused = !paused;
    held = 0;
    toggle.textContent = paused ? "Resume" : "Pause";
    state.textContent = paused ? "paused" : "live";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-live-source]");
  if (live) { startLive(live); }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  }
});
