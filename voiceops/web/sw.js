// Service worker: keeps the technician app's shell available offline (so a clip can be recorded in
// a basement) and nothing else. API calls, blob uploads and reply audio always go to the network:
// a cached reply or upload URL would be wrong, and the page's own outbox handles being offline.

const CACHE = "voiceops-shell-v1";
const SHELL = [
  "/", "/styles.css", "/app.js", "/api.js", "/queue.js", "/recorder.js", "/describe.js",
  "/manifest.webmanifest", "/icon.svg", "/icon-maskable.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Network first, so a deployment reaches the phone on its next start; the cached copy answers when
// there is no network or it takes longer than NETWORK_WAIT_MS (a basement with one bar).
const NETWORK_WAIT_MS = 3000;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname === "/index.html" ? "/" : url.pathname;
  if (!SHELL.includes(path)) return;
  const network = fetch(request);
  event.waitUntil(network.then((response) => {
    if (!response.ok) return null;
    // cloned at once, before the page can start reading the body (this callback runs first)
    const copy = response.clone();
    return caches.open(CACHE).then((cache) => cache.put(path, copy));
  }).catch(() => { /* offline: the cached copy stays */ }));
  event.respondWith(shell(path, network));
});

async function shell(path, network) {
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch { /* offline: fall through to the cache */ }
  const cached = await caches.match(path, { cacheName: CACHE });
  return cached || network; // nothing cached yet: keep waiting for the network
}
