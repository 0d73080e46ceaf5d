// The review station's JSON API (docs/api.md): requests with the page's session, problems
// (RFC 9457) turned into an ApiError that carries the whole body (a 409's current text).

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// The session is the token in an HttpOnly cookie the server sets (POST /api/session): no
// script of the page can read it, and it goes with every request of the page, its <video>,
// <audio> and event stream. Writes made with it carry the page's Origin, as browsers send it.
export async function signIn(token) {
  return (await api('POST', '/api/session', { token })).session;
}

export async function signOut() {
  await api('DELETE', '/api/session');
}

export async function api(method, path, body) {
  const headers = {};
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
  for (const name of ['render', 'line', 'review', 'finding', 'episode', 'ready'])
    source.addEventListener(name, (e) => on(name, JSON.parse(e.data || '{}')));
  return source;
}
