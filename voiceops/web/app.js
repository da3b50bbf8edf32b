// The technician app: push to talk -> outbox (IndexedDB) -> upload to Blob -> wait for the reply ->
// play it -> report how it was listened to (the reward for the reply-style bandit).

import { ApiError, loadToken, request, saveToken, tokenClaims } from "/api.js";
import { describeChanges } from "/describe.js";
import * as outbox from "/queue.js";
import { Recorder } from "/recorder.js";

const TAP_MS = 350; // a press shorter than this toggles recording instead of holding it
const MIN_SECONDS = 0.4; // shorter clips are a slip of the thumb, not a command
const SETTLE_MS = 6000; // after a reply ends, how long a replay still counts before feedback is sent
const FEEDBACK_KEY = "voiceops.feedback";

const $ = (id) => document.getElementById(id);
const ui = {
  talk: $("talk"), talkLabel: $("talk-label"), status: $("status"), queue: $("queue"), net: $("net"),
  who: $("who"), signin: $("signin"), signinForm: $("signin-form"), token: $("token"),
  signout: $("signout"), signinError: $("signin-error"), reply: $("reply"), changes: $("changes"),
  replyText: $("reply-text"), transcript: $("transcript"), audio: $("reply-audio"), replay: $("replay"),
  skip: $("skip"), history: $("history"),
};

function say(text) {
  ui.status.textContent = text;
}

// ---- sign-in -------------------------------------------------------------------------------------

/** The signed-in technician per the dev token, or null (App Service sign-in has no token here). */
function currentTechnician() {
  const token = localStorage.getItem("voiceops.token") || "";
  const claims = token ? tokenClaims(token) : null;
  return (claims && claims.sub) || null;
}

function showIdentity() {
  const who = currentTechnician();
  ui.who.textContent = who ? `Signed in as ${who}` : "";
  ui.token.value = localStorage.getItem("voiceops.token") || "";
}

// a clip belongs to whoever recorded it: on a shared phone it must never upload under the next sign-in
const mine = (item) => !item.owner || item.owner === currentTechnician();

function askForSignIn(message) {
  ui.signin.hidden = false;
  ui.signinError.textContent = message || "";
  ui.token.focus();
}

ui.signinForm.addEventListener("submit", (e) => {
  e.preventDefault();
  saveToken(ui.token.value);
  ui.signinError.textContent = "";
  ui.signin.hidden = true;
  showIdentity();
  showHistory();
  showQueue();
  pump();
});
ui.signout.addEventListener("click", () => {
  saveToken("");
  showIdentity();
  askForSignIn("");
});

// ---- push to talk --------------------------------------------------------------------------------

const recorder = new Recorder();
let ptt = "idle"; // idle | hold | toggle | finishing
let pressedAt = 0;

function setRecordingUi(on, label) {
  ui.talk.classList.toggle("recording", on);
  ui.talk.setAttribute("aria-pressed", String(on));
  ui.talkLabel.textContent = label;
}

function press() {
  if (ptt === "idle") {
    ptt = "hold";
    pressedAt = performance.now();
    interruptPlayback();
    setRecordingUi(true, "Listening… release to send");
    say("Recording");
    recorder.start().catch((err) => {
      ptt = "idle";
      setRecordingUi(false, "Hold to talk");
      say(`Microphone unavailable: ${err.message}`);
    });
  } else if (ptt === "toggle") {
    finish();
  }
}

function release() {
  if (ptt !== "hold") return;
  if (performance.now() - pressedAt < TAP_MS) {
    ptt = "toggle";
    setRecordingUi(true, "Recording… tap to send");
    say("Recording. Tap again to send");
  } else {
    finish();
  }
}

async function finish() {
  ptt = "finishing";
  setRecordingUi(false, "Hold to talk");
  try {
    const clip = await recorder.stop();
    if (!clip.blob.size || clip.seconds < MIN_SECONDS) {
      say("Too short: nothing was sent");
      return;
    }
    await outbox.put({
      clip_id: newClipId(), blob: clip.blob, type: clip.type, seconds: clip.seconds,
      recorded_at: new Date().toISOString(), created: Date.now(), state: "queued", attempts: 0,
      owner: currentTechnician(),
    });
    say(navigator.onLine ? "Sending" : "Saved. It will be sent when you are back online");
    pump();
  } catch (err) {
    say(`Recording failed: ${err.message}`);
  } finally {
    ptt = "idle";
  }
}

function cancel() {
  if (ptt === "idle") return;
  ptt = "idle";
  recorder.cancel();
  setRecordingUi(false, "Hold to talk");
  say("Cancelled");
}

function newClipId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

ui.talk.addEventListener("pointerdown", (e) => {
  if (e.button !== 0) return;
  e.preventDefault();
  ui.talk.setPointerCapture(e.pointerId);
  press();
});
ui.talk.addEventListener("pointerup", release);
ui.talk.addEventListener("pointercancel", release);
ui.talk.addEventListener("contextmenu", (e) => e.preventDefault()); // long press must not open a menu
ui.talk.addEventListener("keydown", (e) => {
  if (e.key === " " || e.key === "Enter") {
    e.preventDefault();
    if (!e.repeat) press();
  } else if (e.key === "Escape") {
    cancel();
  }
});
ui.talk.addEventListener("keyup", (e) => {
  if (e.key === " " || e.key === "Enter") {
    e.preventDefault();
    release();
  }
});

// ---- outbox: upload, then wait for the reply --------------------------------------------------

let pumping = false;
let pumpAgain = false;
let retryTimer = null;
let backoffMs = 0;
const watching = new Set();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isNetworkError = (err) => err instanceof TypeError; // fetch rejects with TypeError when offline

async function showQueue() {
  const items = (await outbox.all()).filter(mine);
  const waiting = items.filter((i) => i.state === "queued").length;
  const pending = items.filter((i) => i.state === "uploaded").length;
  const parts = [];
  if (waiting) parts.push(`${waiting} clip${waiting > 1 ? "s" : ""} waiting to upload`);
  if (pending) parts.push(`${pending} waiting for a reply`);
  ui.queue.textContent = parts.join(" · ");
  document.body.dataset.queued = String(waiting);
}

/** Upload every queued clip, oldest first; on a network failure try again with backoff. */
async function pump() {
  if (pumping) { pumpAgain = true; return; }
  pumping = true;
  clearTimeout(retryTimer);
  try {
    do {
      pumpAgain = false;
      for (const item of await outbox.all()) {
        if (!mine(item)) continue;
        if (item.state === "queued") {
          if (!navigator.onLine) break; // the online event starts the next round
          await upload(item);
        }
        if (item.state === "uploaded") watchReply(item);
      }
    } while (pumpAgain);
    backoffMs = 0;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      askForSignIn(`Sign in again: ${err.message}`);
    } else {
      backoffMs = Math.min(30000, backoffMs ? backoffMs * 2 : 2000);
      say(`Could not send (${err.message}); trying again in ${Math.round(backoffMs / 1000)} s`);
      retryTimer = setTimeout(pump, backoffMs);
    }
  } finally {
    pumping = false;
    showQueue();
  }
}

async function upload(item) {
  say("Sending");
  item.attempts += 1;
  await outbox.put(item);
  let grant;
  try {
    ({ data: grant } = await request("/api/clips/upload-url", {
      method: "POST", body: { content_type: item.type, clip_id: item.clip_id, recorded_at: item.recorded_at },
    }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) { // the id is taken by someone else: re-key the clip
      await outbox.remove(item.clip_id);
      item.clip_id = newClipId();
      await outbox.put(item);
      return upload(item);
    }
    throw err;
  }
  const headers = { ...grant.headers };
  if (grant.metadata_header) headers[grant.metadata_header] = item.recorded_at;
  const put = await fetch(new URL(grant.upload_url, location.href), {
    method: grant.method || "PUT", headers, body: item.blob,
  });
  // the URL may only create the blob: a refusal after an earlier attempt means that attempt landed
  const alreadyThere = item.attempts > 1 && (put.status === 403 || put.status === 409);
  if (!put.ok && !alreadyThere) throw new ApiError(put.status, "upload_failed", `upload refused (${put.status})`);
  item.state = "uploaded";
  item.blob = null; // the bytes live in Blob storage now
  await outbox.put(item);
  say("Sent. Waiting for the reply");
}

/** Poll GET /api/replies/{clip_id} until the reply is ready, then show and play it. */
async function watchReply(item) {
  if (watching.has(item.clip_id)) return;
  watching.add(item.clip_id);
  try {
    for (;;) {
      let res;
      try {
        res = await request(`/api/replies/${encodeURIComponent(item.clip_id)}`, { accept: [404] });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) askForSignIn(`Sign in again: ${err.message}`);
        else if (!isNetworkError(err) && err.status < 500) { say(`No reply: ${err.message}`); return; }
        await sleep(4000);
        continue;
      }
      if (res.status === 404) {
        await sleep(1000 * Math.max(1, Number(res.headers.get("retry-after")) || 2));
        continue;
      }
      await outbox.remove(item.clip_id);
      showQueue();
      present(res.data);
      return;
    }
  } finally {
    watching.delete(item.clip_id);
  }
}

// ---- replies and playback feedback ---------------------------------------------------------------

let current = null; // the Playback being listened to
const waitingReplies = [];

class Playback {
  constructor(reply) {
    this.reply = reply;
    this.fraction = 0;
    this.replayed = false;
    this.skipped = false;
    this.sent = false;
    this.timer = null;
  }

  /** Record the reward signal once: how much was heard, replayed, skipped. */
  send() {
    if (this.sent || !this.reply.decision_id) return;
    this.sent = true;
    clearTimeout(this.timer);
    queueFeedback({
      clip_id: this.reply.clip_id, listened_fraction: Math.round(this.fraction * 1000) / 1000,
      replayed: this.replayed, skipped: this.skipped,
    });
    ui.reply.dataset.feedback = "sent";
  }
}

function queueFeedback(body) {
  const pending = JSON.parse(localStorage.getItem(FEEDBACK_KEY) || "[]");
  pending.push(body);
  localStorage.setItem(FEEDBACK_KEY, JSON.stringify(pending));
  flushFeedback();
}

let flushing = null;

/** Send queued feedback in order; a network failure leaves it for the next try. */
function flushFeedback() {
  if (!flushing) flushing = sendFeedback().finally(() => { flushing = null; });
  return flushing;
}

async function sendFeedback() {
  const read = () => JSON.parse(localStorage.getItem(FEEDBACK_KEY) || "[]");
  for (let pending = read(); pending.length; pending = read()) {
    try {
      await request("/api/feedback", { method: "POST", body: pending[0], keepalive: true });
    } catch (err) {
      // a refused one (no decision, not yours) is dropped; a network or server failure waits
      if (isNetworkError(err) || (err instanceof ApiError && err.status >= 500)) return;
    }
    localStorage.setItem(FEEDBACK_KEY, JSON.stringify(read().slice(1)));
  }
}

function present(reply) {
  if (current && !current.sent && !ui.audio.paused) {
    waitingReplies.push(reply); // do not talk over the reply being played
    return;
  }
  show(reply);
}

function show(reply) {
  if (current) {
    current.send();
    addToHistory(current.reply);
  }
  current = new Playback(reply);
  ui.reply.hidden = false;
  ui.reply.dataset.clipId = reply.clip_id;
  ui.reply.dataset.status = reply.status;
  ui.reply.dataset.feedback = "";
  ui.reply.classList.toggle("failed", reply.status === "failed");
  ui.changes.replaceChildren(...describeChanges(reply.changes, reply.status).map((line) => {
    const li = document.createElement("span");
    li.className = "change";
    li.textContent = line;
    return li;
  }));
  ui.replyText.textContent = reply.reply_text || "";
  ui.transcript.textContent = reply.transcript || "(nothing recognised)";
  say(reply.status === "failed" ? "Reply: it did not work" : "Reply ready");
  if (reply.audio_url) {
    ui.audio.src = new URL(reply.audio_url, location.href).href;
    ui.audio.play().catch(() => say("Reply ready: press Replay to hear it"));
  }
}

// the last replies survive a reload, per technician, as the few words shown (no audio, no ids)
const HISTORY_SIZE = 10;
const historyKey = () => `voiceops.history.${currentTechnician() || "signed-in"}`;

function addToHistory(reply) {
  const entries = JSON.parse(localStorage.getItem(historyKey()) || "[]");
  entries.unshift({
    at: reply.created_at || new Date().toISOString(), transcript: reply.transcript || "",
    what: describeChanges(reply.changes, reply.status).join("; "),
  });
  localStorage.setItem(historyKey(), JSON.stringify(entries.slice(0, HISTORY_SIZE)));
  showHistory();
}

function showHistory() {
  const entries = JSON.parse(localStorage.getItem(historyKey()) || "[]");
  ui.history.replaceChildren(...entries.map((entry) => {
    const li = document.createElement("li");
    const what = document.createElement("strong");
    what.textContent = entry.what;
    const said = document.createElement("span");
    const when = new Date(entry.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    said.textContent = ` ${when} · “${entry.transcript}”`;
    li.append(what, said);
    return li;
  }));
}

ui.audio.addEventListener("timeupdate", () => {
  if (current && Number.isFinite(ui.audio.duration) && ui.audio.duration > 0) {
    current.fraction = Math.max(current.fraction, ui.audio.currentTime / ui.audio.duration);
  }
});
ui.audio.addEventListener("playing", () => { ui.reply.dataset.playback = "playing"; });
ui.audio.addEventListener("ended", () => {
  ui.reply.dataset.playback = "ended";
  if (!current) return;
  current.fraction = 1;
  clearTimeout(current.timer);
  if (waitingReplies.length) {
    current.send();
    show(waitingReplies.shift());
  } else {
    const playback = current;
    playback.timer = setTimeout(() => playback.send(), SETTLE_MS);
  }
});
ui.replay.addEventListener("click", () => {
  if (!current || !ui.audio.src) return;
  if (!current.sent) {
    // pressing Replay after a refused autoplay is the first listen, not a replay
    if (current.fraction > 0) current.replayed = true;
    clearTimeout(current.timer);
  }
  ui.audio.currentTime = 0;
  ui.audio.play();
});
ui.skip.addEventListener("click", () => {
  if (!current) return;
  ui.audio.pause();
  if (!current.sent) {
    current.skipped = current.fraction < 1;
    current.send();
  }
  if (waitingReplies.length) show(waitingReplies.shift());
});

/** A new recording cuts the reply short: that counts as skipping what was left of it. */
function interruptPlayback() {
  if (!current || current.sent) return;
  if (!ui.audio.paused) {
    ui.audio.pause();
    current.skipped = current.fraction < 1;
  }
  current.send();
}

addEventListener("pagehide", () => { if (current) current.send(); });

// ---- connection ------------------------------------------------------------------------------

function showNetwork() {
  const online = navigator.onLine;
  ui.net.textContent = online ? "" : "Offline";
  document.body.classList.toggle("offline", !online);
}

addEventListener("online", () => { showNetwork(); say("Back online"); pump(); flushFeedback(); });
addEventListener("offline", () => { showNetwork(); say("Offline: clips are kept and sent later"); });
// a missed online event (or a server that was down) must not strand clips
setInterval(() => { if (navigator.onLine) pump(); }, 30000);

// ---- start -----------------------------------------------------------------------------------

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => { /* the app works without it */ });
}
if (!loadToken()) askForSignIn("");
showIdentity();
showHistory();
showNetwork();
showQueue();
pump();
flushFeedback();
document.body.dataset.ready = "true";
