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

// Stale-while-revalidate for the shell: answer from the cache at once, refresh it in the background.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname === "/index.html" ? "/" : url.pathname;
  if (!SHELL.includes(path)) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(path);
      const fresh = fetch(request)
        .then((response) => {
          if (response.ok) cache.put(path, response.clone());
          return response;
        })
        .catch(() => cached);
      if (cached) {
        event.waitUntil(fresh);
        return cached;
      }
      return fresh;
    }),
  );
});
