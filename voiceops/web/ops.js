// The ops console: read-only views of one day (tickets, command log, failures, bandit) plus retry.

import { ApiError, loadToken, request, saveToken, tokenClaims } from "/api.js";
import { rewardChart, styleShareChart } from "/charts.js";
import { describeChanges } from "/describe.js";

const $ = (id) => document.getElementById(id);
const form = $("filters");
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const pill = (state) => h("span", { class: `pill ${state}` }, String(state).replace(/_/g, " "));
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "");
const dateTime = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: "short", timeStyle: "short" }) : "");

function fillRows(table, rows, render, emptyText) {
  const body = table.tBodies[0];
  const cols = table.tHead.rows[0].cells.length;
  body.replaceChildren(...(rows.length ? rows.map(render) : [h("tr", {}, h("td", { colspan: cols, class: "empty" }, emptyText))]));
}

function audio(url, label) {
  return url ? h("div", {}, h("div", { class: "hint" }, label), h("audio", { controls: true, preload: "none", src: url,
                                                                           "aria-label": label })) : null;
}

function filters() {
  const data = new FormData(form);
  const params = new URLSearchParams({ day: data.get("day"), tz: zone });
  if (data.get("technician")) params.set("technician", data.get("technician"));
  return params;
}

function say(text) {
  $("status").textContent = text;
}

// ---- sections ----------------------------------------------------------------------------------

function renderTickets(data) {
  $("ticket-counts").replaceChildren(...Object.entries(data.counts).map(([state, n]) =>
    h("li", {}, `${state.replace("_", " ")}: ${n}`)));
  fillRows($("tickets"), data.tickets, (t) => h("tr", { "data-ticket": t.id },
    h("td", {}, `#${t.id}`),
    h("td", {}, h("strong", {}, t.customer), h("div", { class: "hint" }, t.address), t.description || ""),
    h("td", {}, t.technician_name || t.technician_id || h("em", {}, "unassigned")),
    h("td", {}, pill(t.status), t.reschedule_note ? h("div", { class: "hint" }, `→ ${t.reschedule_note}`) : null),
    h("td", {}, t.scheduled_start ? `${time(t.scheduled_start)}–${time(t.scheduled_end)}` : ""),
    h("td", {}, t.hours_billed ? `${t.hours_billed} h` : ""),
    h("td", {}, [...t.parts_used, ...t.parts_ordered.map((p) => `${p} (ordered)`)].join(", ")),
    h("td", {}, dateTime(t.last_change_at || t.updated_at)),
  ), "No tickets on this day.");
}

function extraction(row) {
  const commands = (row.extraction && row.extraction.commands) || [];
  return h("details", {}, h("summary", {}, `${commands.length} command${commands.length === 1 ? "" : "s"}`
                                          + (row.extractor ? ` · ${row.extractor}` : "")),
           h("pre", {}, JSON.stringify(commands, null, 1)));
}

function renderCommands(data) {
  fillRows($("commands"), data.commands, (c) => h("tr", { "data-clip": c.clip_id },
    h("td", {}, time(c.created_at), h("div", { class: "hint" }, c.audio_seconds ? `${c.audio_seconds.toFixed(1)} s` : "")),
    h("td", {}, c.technician_name || c.technician_id),
    h("td", {}, c.transcript ? `“${c.transcript}”` : h("em", {}, "no transcript"), extraction(c)),
    h("td", {}, pill(c.status), h("div", {}, describeChanges(c.changes || [], c.reply_status).join("; ")),
      c.error ? h("div", { class: "error" }, `${c.error_code || ""} ${c.error}`) : null),
    h("td", {}, c.reply_text || "", c.style ? h("div", { class: "hint" },
      `style ${c.style}` + (c.reward !== null && c.reward !== undefined ? ` · reward ${c.reward.toFixed(2)} (${c.reward_source})` : "")) : null),
    h("td", {}, audio(c.clip_audio_url, "Clip"), audio(c.reply_audio_url, "Reply")),
  ), "No commands on this day.");
}

function renderFailed(data) {
  fillRows($("failed"), data.failed, (c) => h("tr", { "data-clip": c.clip_id },
    h("td", {}, dateTime(c.dead_lettered_at || c.created_at)),
    h("td", {}, c.technician_name || c.technician_id),
    h("td", {}, pill(c.failure), h("div", {}, c.reason)),
    h("td", {}, c.transcript ? `“${c.transcript}”` : h("em", {}, "none"), audio(c.clip_audio_url, "Clip")),
    h("td", {}, String(c.attempts)),
    h("td", {}, h("button", { class: "btn", type: "button", "data-retry": c.clip_id,
                              onclick: (e) => retry(c.clip_id, e.currentTarget) }, "Retry")),
  ), "Nothing failed on this day.");
}

function renderBandit(data) {
  const t = data.totals;
  const pct = (x) => `${Math.round(100 * x)}%`;
  $("bandit-totals").replaceChildren(
    h("li", {}, `decisions: ${t.decisions}`), h("li", {}, `rewarded: ${t.rewarded}`),
    h("li", {}, `mean reward: ${t.mean_reward === null ? "–" : t.mean_reward.toFixed(2)}`),
    h("li", {}, `explored: ${pct(t.explored_share)}`),
    h("li", {}, `from feedback ${t.from_feedback} · default ${t.from_default} · repeat ${t.from_repeat}`),
  );
  styleShareChart($("share-chart"), data.share_by_hour, data.styles);
  rewardChart($("reward-chart"), data.reward_over_time, data.styles, data.unit);
}

async function retry(clipId, button) {
  button.disabled = true;
  say(`Retrying ${clipId}…`);
  try {
    const { data } = await request(`/api/ops/retry/${encodeURIComponent(clipId)}`, { method: "POST" });
    await refresh();
    say(`Retried ${clipId}: ${data.status} — ${data.reply_text || ""}`);
  } catch (err) {
    say(`Retry of ${clipId} failed: ${err.message}`);
    button.disabled = false;
  }
}

// ---- loading -----------------------------------------------------------------------------------

async function loadTechnicians() {
  const { data } = await request("/api/ops/technicians");
  const select = $("f-technician");
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "" }, "Everyone"),
                         ...data.technicians.map((t) => h("option", { value: t.id }, `${t.name} (${t.id})`)));
  select.value = chosen;
}

async function refresh() {
  const params = filters();
  const days = new FormData(form).get("days");
  history.replaceState(null, "", `?${params}&days=${days}`);
  say("Loading…");
  try {
    const [tickets, commands, failed, bandit] = await Promise.all([
      request(`/api/ops/tickets?${params}`), request(`/api/ops/commands?${params}`),
      request(`/api/ops/failed?${params}`), request(`/api/ops/bandit?${params}&days=${days}`),
    ]);
    renderTickets(tickets.data);
    renderCommands(commands.data);
    renderFailed(failed.data);
    renderBandit(bandit.data);
    say(`Updated ${new Date().toLocaleTimeString()} · ${params.get("day")} (${zone})`);
    document.body.dataset.loaded = String(Date.now());
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      $("signin").hidden = false;
      $("signin-error").textContent = err.message;
      say("Sign in with an ops token to see the console.");
    } else {
      say(`Could not load: ${err.message}`);
    }
  }
}

async function start() {
  const query = new URLSearchParams(location.search);
  $("f-day").value = query.get("day") || localDay();
  if (query.get("days")) $("f-days").value = query.get("days");
  const token = loadToken();
  const claims = token ? tokenClaims(token) : null;
  $("who").textContent = claims ? `${claims.sub} (${(claims.roles || []).join(", ") || "no roles"})` : "";
  $("token").value = token;
  try {
    await loadTechnicians();
  } catch { /* refresh() reports it */ }
  if (query.get("technician")) $("f-technician").value = query.get("technician");
  await refresh();
}

form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
form.addEventListener("change", (e) => { if (e.target.id !== "f-auto") refresh(); });
// auto-refresh never pulls the page from under someone listening to a clip or reading an extraction
setInterval(() => {
  const busy = [...document.querySelectorAll("audio")].some((a) => !a.paused) || document.querySelector("details[open]");
  if ($("f-auto").checked && !document.hidden && !busy) refresh();
}, 30000);
$("signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  saveToken($("token").value);
  $("signin").hidden = true;
  start();
});
addEventListener("offline", () => { $("net").textContent = "Offline"; });
addEventListener("online", () => { $("net").textContent = ""; refresh(); });
start();
