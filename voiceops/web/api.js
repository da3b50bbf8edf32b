// Talking to the VoiceOps API: the dev token (localStorage or ?token=) and JSON requests.
// In Azure, App Service Authentication signs people in with a cookie, so no token is needed there.

const TOKEN_KEY = "voiceops.token";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The token from ?token= (then stored and removed from the address bar) or from localStorage. */
export function loadToken() {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    localStorage.setItem(TOKEN_KEY, fromUrl.trim());
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  return localStorage.getItem(TOKEN_KEY) || "";
}

export function saveToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token.trim());
  else localStorage.removeItem(TOKEN_KEY);
}

/** The {sub, roles} a dev token names, without verifying it (the server does that). */
export function tokenClaims(token) {
  try {
    const body = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(body + "=".repeat((4 - (body.length % 4)) % 4)));
  } catch {
    return null;
  }
}

/** fetch() a JSON endpoint; resolves {status, data, headers}; rejects ApiError on 4xx/5xx except `accept`. */
export async function request(path, { method = "GET", body, accept = [], keepalive = false } = {}) {
  const headers = { Accept: "application/json" };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, keepalive, cache: "no-store", credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  if ((response.headers.get("content-type") || "").includes("json")) data = await response.json();
  if (!response.ok && !accept.includes(response.status)) {
    const err = (data && data.error) || {};
    throw new ApiError(response.status, err.code || "http_" + response.status, err.message || response.statusText);
  }
  return { status: response.status, data, headers: response.headers };
}
