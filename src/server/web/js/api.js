// The review station's JSON API (docs/api.md): requests with the bearer token, problems
// (RFC 9457) turned into an ApiError that carries the whole body (a 409's current text).

const TOKEN_KEY = 'dramaloc.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function token() {
  return localStorage.getItem(TOKEN_KEY) || '';
}

// Kept for the page's requests, and as a cookie for its <video> and <audio> elements (which
// send no headers); the server accepts the cookie for reading only.
export function setToken(value) {
  localStorage.setItem(TOKEN_KEY, value);
  document.cookie = `dramaloc_token=${encodeURIComponent(value)}; path=/api; SameSite=Strict`;
}

export function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
  document.cookie = 'dramaloc_token=; path=/api; SameSite=Strict; max-age=0';
}

export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { title: 'Server unreachable', detail: 'the server did not answer; is dramaloc serve running?' });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = { title: 'Bad answer', detail: text.slice(0, 200) };
  }
  if (!response.ok) throw new ApiError(response.status, data || { title: `HTTP ${response.status}` });
  return data;
}

export const seriesPath = (series) => `/api/series/${encodeURIComponent(series)}`;
export const languagePath = (series, episode, language) =>
  `${seriesPath(series)}/episodes/${encodeURIComponent(episode)}/languages/${encodeURIComponent(language)}`;

// The series' events (render states, lines changed by others), reconnecting by itself.
export function events(series, on) {
  const source = new EventSource(`${seriesPath(series)}/events`);
  for (const name of ['render', 'line', 'review', 'episode', 'ready'])
    source.addEventListener(name, (e) => on(name, JSON.parse(e.data || '{}')));
  return source;
}
