/**
 * Talking to the memo API (examples/memo/api/): one `call` that every request
 * goes through, and a function per operation the page uses.
 *
 * - The page is logged in with its session cookie, so every write carries the
 *   CSRF token the server put in `<meta name="csrf-token">`, in `X-CSRF-Token`;
 *   without it the API refuses the write (another site could send the cookie,
 *   but cannot read the token).
 * - URLs start from `<meta name="api-root">`, which holds the mount prefix when
 *   the app is served under one; the URLs the API hands back (the `Link`
 *   header, `linked_image`) already include it.
 * - An answer that is not 2xx becomes an `ApiError` carrying the API's own
 *   message, so callers can show it as it is.
 * - A 401 means the session ended (logged out in another tab, or expired).
 *   The page does not reload by itself, which would lose a note being
 *   written: main.js reloads only when nothing is unsaved, and otherwise
 *   the user logs in again in another tab; the next write then fetches the
 *   new session's CSRF token first.
 */

const root = document.querySelector('meta[name="api-root"]').content;
let csrfToken = document.querySelector('meta[name="csrf-token"]').content;
let csrfTokenStale = false; // a 401 ended the session the token belonged to
let loggedOut = () => {};
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** The log-in page, to log in again in another tab after a 401 (this page keeps what is unsaved). */
export const loginUrl = document.querySelector('meta[name="login-url"]').content;

/** Run `callback()` when an answer is 401: the user was logged out meanwhile. */
export function onLoggedOut(callback) {
  loggedOut = callback;
}

/** An answer with an error status (`status` 0: the server could not be reached). */
export class ApiError extends Error {
  constructor(status, message, fields = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields; // {field: "what is wrong"}, from the API's "errors"
  }
}

/**
 * Send one request; resolves to `{data, headers, url}` (`data` is the parsed
 * JSON, or null for 204), or rejects with `ApiError` (or the `AbortError` of
 * an aborted `signal`). `body` is sent as JSON, or as it is when it is
 * `FormData` (for images: the browser writes the multipart body).
 */
export async function call(method, url, { body, headers = {}, signal } = {}) {
  const init = { method, signal, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (!SAFE_METHODS.has(method)) {
    if (csrfTokenStale) await refreshCsrfToken();
    init.headers["X-CSRF-Token"] = csrfToken;
  }
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "The server cannot be reached. Check the connection and try again.");
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) {
    // Logged out meanwhile (in another tab, or the session expired). Reloading
    // would lose a note being written: main.js decides (`onLoggedOut`).
    csrfTokenStale = true;
    loggedOut();
    throw new ApiError(401, "You have been logged out. Log in again in another tab, then try again.");
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.message ?? `${response.status} ${response.statusText}`, data?.errors);
  }
  return { data, headers: response.headers, url: response.url };
}

/**
 * After a log-in elsewhere, the page's token belongs to the session that
 * ended: read the new session's token from a fresh copy of this page. (A
 * page that comes back without one, the log-in page, leaves the old token:
 * the write then answers 401 again.)
 */
async function refreshCsrfToken() {
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(await response.text())?.[1];
    if (token) [csrfToken, csrfTokenStale] = [token, false];
  } catch {
    // Unreachable: the write that follows says so.
  }
}

/**
 * The target of the link with relation `rel` in an RFC 8288 `Link` header,
 * resolved against `base`, or null: `</api/memos?page=2>; rel="next", ...`.
 */
export function linkTarget(header, rel, base = window.location.href) {
  if (!header) return null;
  // Links are separated by commas, but a URL may hold commas too: split only
  // before a "<" that opens the next link.
  for (const link of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (!match) continue;
    const relation = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(match[2]);
    const relations = (relation?.[1] ?? relation?.[2] ?? "").toLowerCase().split(/\s+/);
    if (relations.includes(rel)) return new URL(match[1], base).href;
  }
  return null;
}

/** A random key for `Idempotency-Key` (works outside secure contexts too, unlike randomUUID). */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// -- memos ------------------------------------------------------------------

/** The URL of the first page of memos matching `query` ({is_deleted, label, needle}). */
export function memosUrl(query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  return `${root}/memos?${params}`;
}

/** One page of memos: `{memos, next, total}`, `next` being the URL of the next page or null. */
export async function memoPage(url, signal) {
  const { data, headers, url: answered } = await call("GET", url, { signal });
  return {
    memos: data,
    next: linkTarget(headers.get("Link"), "next", answered),
    total: Number(headers.get("X-Total-Count") ?? data.length),
  };
}

/** A memo and its `ETag`, to send back in `If-Match` when changing it. */
export async function getMemo(id) {
  const { data, headers } = await call("GET", `${root}/memos/${id}`, { headers: { "Cache-Control": "no-cache" } });
  return { memo: data, etag: headers.get("ETag") };
}

/** Create a memo from a FormData; a retry with the same `key` never makes a second one. */
export async function createMemo(form, key) {
  const { data, headers } = await call("POST", `${root}/memos`, { body: form, headers: { "Idempotency-Key": key } });
  return { memo: data, etag: headers.get("ETag") };
}

/**
 * Change the fields in `changes` (an object, or FormData with an image).
 * With `etag`, a memo changed since then is not overwritten: ApiError 412.
 */
export async function updateMemo(id, changes, etag = null) {
  const headers = etag ? { "If-Match": etag } : {};
  const { data, headers: answer } = await call("PATCH", `${root}/memos/${id}`, { body: changes, headers });
  return { memo: data, etag: answer.get("ETag") };
}

/** Delete a memo for good. */
export async function deleteMemo(id) {
  await call("DELETE", `${root}/memos/${id}`);
}

/** Remove a memo's image, if the memo is still the version `etag` names. */
export async function deleteMemoImage(id, etag) {
  await call("DELETE", `${root}/memos/${id}/image`, { headers: etag ? { "If-Match": etag } : {} });
}

// -- labels -------------------------------------------------------------------

export async function listLabels() {
  return (await call("GET", `${root}/labels`)).data;
}

export async function createLabel(content) {
  return (await call("POST", `${root}/labels`, { body: { content } })).data;
}

export async function renameLabel(id, content) {
  return (await call("PUT", `${root}/labels/${id}`, { body: { content } })).data;
}

export async function deleteLabel(id) {
  await call("DELETE", `${root}/labels/${id}`);
}
