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
 */

const root = document.querySelector('meta[name="api-root"]').content;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const SAFE_METHODS = new Set(["GET", "HEAD"]);

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
  if (!SAFE_METHODS.has(method)) init.headers["X-CSRF-Token"] = csrfToken;
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
    // Logged out meanwhile (in another tab, or the session expired): the page
    // reloads, and the server sends it to the login page.
    window.location.reload();
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.message ?? `${response.status} ${response.statusText}`, data?.errors);
  }
  return { data, headers: response.headers, url: response.url };
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
