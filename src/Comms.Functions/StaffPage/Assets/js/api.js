// Calls the app's own API with the signed-in library's key. The key lives in sessionStorage: it survives a
// reload but not the tab, and is never written to a cookie, so no other site can send it for us.
const storageKey = 'comms.staff.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
    this.errors = problem?.errors ?? {};
  }
}

export function session() {
  const raw = sessionStorage.getItem(storageKey);
  return raw ? JSON.parse(raw) : null;
}

export function saveSession(libraryId, libraryKey) {
  sessionStorage.setItem(storageKey, JSON.stringify({ libraryId, libraryKey }));
}

export function clearSession() {
  sessionStorage.removeItem(storageKey);
}

/** The library's own routes: "" is the library, "templates" its templates. */
export function libraryPath(rest = '') {
  const id = encodeURIComponent(session().libraryId);
  return `/api/libraries/${id}${rest ? '/' + rest : ''}`;
}

export async function api(method, path, body, signal) {
  const headers = { Accept: 'application/json' };
  const current = session();
  if (current) headers['X-Library-Key'] = current.libraryKey;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
  });
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = { detail: text.slice(0, 200) }; }
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}
