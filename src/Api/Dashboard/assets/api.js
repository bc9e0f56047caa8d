// Calls the API as the signed-in browser: the session cookie goes with every request, and a change carries the
// header the API asks of cookie-authenticated changes. A 401 sends the page to sign-in, then back.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  // Signing in or out changes who the page acts as, so what it may do is read again.
  if (path.startsWith("/api/session") && method !== "GET") session = null;
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-Duraflow-Request"] = "1";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401 && !path.startsWith("/api/session")) {
    location.assign(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, json);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export const get = (path) => api(path);
export const post = (path, body = {}) => api(path, { method: "POST", body });

// What the signed-in caller may do (the session's permissions: read, operate, administer), read once per sign-in.
// The page leaves out the controls of what it may not do; the API refuses them anyway.
let session = null;
export async function may(permission) {
  session ??= api("/api/session").catch(() => null);
  return Boolean((await session)?.permissions?.includes(permission));
}
