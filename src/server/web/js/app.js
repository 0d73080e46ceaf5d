// The review page: pick an episode × language, watch it with the dub and the lines, edit a
// line against the language's rules, re-dub it, resolve content review findings, approve or
// reject; find any line in any language; see where every version stands on the production
// board. Address: #/SERIES/EPISODE/LANG[/LINE], #search=WORDS, #board/SERIES[?mine=1&late=1&blocked=1].
import { api, ApiError, events, languagePath, seriesPath, signIn, signOut } from './api.js';
import { boardSummary, boardTable } from './board.js';
import { Player } from './player.js';
import { check, describe } from './rules.js';

const $ = (id) => document.getElementById(id);
const state = {
  series: null, episode: null, language: null,
  data: null,          // GET …/lines
  current: -1,         // the line under the playhead (index)
  selected: -1,        // the line the keyboard acts on (index)
  editing: -1,         // the line being edited (index)
  redubbing: new Set(),  // line ids re-dubbed, waiting for their render
  stream: null,
  boardStream: null,   // the board's series' events, while the board is shown
  boardAsked: 0,       // boards asked for so far: only the last one asked is shown
  landed: false,       // the page opened once already (the first view: my assignments, if any)
  seriesList: null,    // GET /api/series: titles and language names, read once
  characterNames: {},  // series -> character id -> name, from the last lines read of the series
};
const player = new Player($('video'), $('dub'));

function say(text, kind = '') {
  $('status').textContent = text;
  $('status').title = text;  // the bar may cut it short
  $('status').className = kind;
}

// A language as people read it: its English name as the API gives it ("es" -> "Spanish"),
// else its code.
function languageName(names, code) {
  return (names && names[code]) || code;
}

// The series' list (title, languages and their names), read once: it changes only when the
// server is started again.
async function seriesList() {
  if (!state.seriesList) state.seriesList = (await api('GET', '/api/series')).series;
  return state.seriesList;
}

// A character as people know them: the cast's name, else the id ("C1") when it has none.
function speakerName(names, id) {
  return (names && names[id]) || id || '';
}

function namesOf(characters) {
  return Object.fromEntries((characters || []).filter((c) => c.name).map((c) => [c.id, c.name]));
}

function clock(seconds) {
  const m = Math.floor(seconds / 60);
  return `${m}:${(seconds - m * 60).toFixed(1).padStart(4, '0')}`;
}

// ---- where we are -------------------------------------------------------------------------

function route() {
  let parts = [];
  try {
    parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  } catch (e) {
    parts = [];  // a malformed address: the list of episodes
  }
  return { series: parts[0] || null, episode: parts[1] || null, language: parts[2] || null, line: Number(parts[3]) || null };
}

async function start() {
  const where = route();
  state.boardAsked += 1;  // a board still being read is no longer what the page shows
  try {
    if ($('sign-out').hidden) {  // who the cookie says, once
      const { session } = await api('GET', '/api/session');
      if (!session) return showLogin('');
      showSession(session);
    }
    if (!location.hash.startsWith('#board/') && state.boardStream) {
      state.boardStream.close();
      state.boardStream = null;
    }
    const first = !state.landed;
    state.landed = true;
    if (location.hash.startsWith('#search=')) {
      await showSearch(decodeURIComponent(location.hash.slice(8)));
    } else if (location.hash.startsWith('#board/')) {
      $('search').value = '';  // away from the results, as below
      await showBoard();
    } else if (first && !location.hash.replace(/^#\/?/, '') && await openMyAssignments()) {
      return;  // the address changed: start() runs again
    } else {
      // Away from the results, the box no longer says what the page shows: empty it.
      $('search').value = '';
      if (where.series && where.episode && where.language) await openEpisode(where.series, where.episode, where.language, where.line);
      else await showEpisodes(where.series);
    }
    settleFocus();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showLogin(e.message);
    say(e.message, 'error');
  }
}

const VIEWS = ['login', 'pick', 'review', 'search-results', 'board-view'];

function showOnly(id) {
  for (const section of VIEWS) $(section).hidden = section !== id;
}

// After a change of view the keyboard goes on from the new view's heading: the link that was
// followed is hidden now, and the focus would fall back to the top of the page. Focus that is
// still on something visible (the search box) stays.
function settleFocus() {
  const active = document.activeElement;
  if (active && active !== document.body && active.checkVisibility()) return;
  const view = VIEWS.find((id) => !$(id).hidden);
  if (view) $(view).querySelector('h1').focus();
}

// The breadcrumb in the bar: each step [text, address]; the last one is this view.
function setWhere(...steps) {
  const nav = $('where');
  nav.textContent = '';
  if (!steps.length) return;
  const list = document.createElement('ol');
  steps.forEach(([text, href], i) => {
    const item = document.createElement('li');
    item.title = text;  // a long title is cut short on a narrow screen
    if (href) {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      item.append(a);
    } else {
      item.textContent = text;
    }
    if (i === steps.length - 1) item.setAttribute('aria-current', 'page');
    list.append(item);
  });
  nav.append(list);
}

function setTitle(...parts) {
  document.title = [...parts, 'dramaloc review'].join(' · ');
}

function showLogin(error) {
  showOnly('login');
  showSession(null);
  setWhere();
  setTitle('Sign in');
  $('login-error').textContent = error;
  $('token').focus();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const session = await signIn($('token').value.trim());
    $('token').value = '';
    showSession(session);
    start();
  } catch (error) {
    showLogin(error.message);
  }
});

function showSession(session) {
  $('who').textContent = session ? `${session.name} (${session.role})` : '';
  $('who').title = $('who').textContent;
  $('sign-out').hidden = !session;
  $('search-form').hidden = !session;  // nothing to search before signing in
}

$('sign-out').addEventListener('click', async () => {
  try {
    await signOut();
  } catch (e) {
    // signed out either way: the cookie is gone or was never there
  }
  showSession(null);
  showLogin('');
});

// ---- the list of episodes -----------------------------------------------------------------

async function showEpisodes(only) {
  showOnly('pick');
  const { series } = await api('GET', '/api/series');
  state.seriesList = series;
  const shown = series.filter((s) => !only || s.id === only);
  const named = only && shown.length ? [shown[0].title || shown[0].id] : [];  // one series' episodes
  setWhere(...(named.length ? [named] : []));
  setTitle(...named, 'Episodes');
  const table = $('episode-table');
  table.textContent = '';
  for (const s of shown) {
    const { episodes } = await api('GET', `${seriesPath(s.id)}/episodes`);
    table.append(...seriesTable(s, episodes));
  }
}

// One series: its title, its languages by name, and a table of its episodes (a row each, a
// column per language) with a header row and each row headed by its episode.
function seriesTable(s, episodes) {
  const name = (code) => languageName(s.language_names, code);
  const h = document.createElement('h2');
  h.id = `series-${s.id}`;
  h.textContent = s.title || s.id;
  const about = document.createElement('p');
  about.className = 'about';
  about.textContent = `From ${name(s.source_language)} into ${s.languages.map(name).join(', ')}`;
  const boardLink = document.createElement('p');
  boardLink.className = 'board-link';
  const board = document.createElement('a');
  board.href = `#board/${encodeURIComponent(s.id)}`;
  board.textContent = 'Board';
  board.setAttribute('aria-label', `Board of ${s.title || s.id}`);
  boardLink.append(board, ': where every episode stands, who holds it, what is late');
  const table = document.createElement('table');
  table.setAttribute('aria-labelledby', h.id);
  const header = table.createTHead().insertRow();
  for (const text of ['Episode', ...s.languages.map(name)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    header.append(th);
  }
  const body = table.createTBody();
  for (const ep of episodes) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = ep.id;
    row.append(th);
    for (const language of s.languages) {
      const cell = row.insertCell();
      const l = ep.languages[language] || {};
      if (!l.published) { cell.append(span('not-run', 'not run yet')); continue; }
      const a = document.createElement('a');
      a.href = `#/${encodeURIComponent(s.id)}/${encodeURIComponent(ep.id)}/${encodeURIComponent(language)}`;
      a.textContent = 'Review';
      // Read out of the table (a list of links), it still says which episode and language.
      a.setAttribute('aria-label', `Review ${ep.id} in ${name(language)}`);
      cell.append(a);
      if (l.lines !== undefined) cell.append(span('count', `${l.lines} line${l.lines === 1 ? '' : 's'}`));
      if (l.stale) cell.append(span('note', 'edited, not rendered'));
    }
  }
  return [h, about, boardLink, table];
}

// ---- the production board -----------------------------------------------------------------

// #board/SERIES?mine=1&late=1&blocked=1 as the series and its filters.
function boardRoute() {
  const [path, query = ''] = location.hash.slice('#board/'.length).split('?');
  let series = '';
  try {
    series = decodeURIComponent(path);
  } catch (e) {
    series = '';
  }
  const params = new URLSearchParams(query);
  return { series, mine: params.get('mine') === '1', late: params.get('late') === '1', blocked: params.get('blocked') === '1' };
}

function boardHash(series, filters) {
  const on = ['mine', 'late', 'blocked'].filter((f) => filters[f]).map((f) => `${f}=1`);
  return `#board/${encodeURIComponent(series)}${on.length ? `?${on.join('&')}` : ''}`;
}

async function showBoard() {
  const where = boardRoute();
  const asked = ++state.boardAsked;  // a later address or view (a filter clicked, a cell followed) wins
  const current = () => asked === state.boardAsked && location.hash.startsWith('#board/');
  const list = await seriesList();
  if (!current()) return;
  const s = list.find((x) => x.id === where.series);
  if (!s) throw new ApiError(404, { detail: `no series ${where.series} on this server` });
  const query = ['mine', 'late', 'blocked'].filter((f) => where[f]).map((f) => `${f}=1`).join('&');
  const board = await api('GET', `${seriesPath(s.id)}/board${query ? `?${query}` : ''}`);
  if (!current()) return;
  showOnly('board-view');
  const title = where.mine ? 'My assignments' : 'Board';
  setWhere([s.title || s.id, `#${encodeURIComponent(s.id)}`], [title]);
  setTitle(s.title || s.id, title);
  $('board-title').textContent = `${title}: ${s.title || s.id}`;
  $('board-summary').textContent = boardSummary(board);
  for (const f of ['mine', 'late', 'blocked']) $(`filter-${f}`).checked = where[f];
  const table = $('board-table');
  table.textContent = '';
  if (!board.versions.length) {
    const narrowed = where.late || where.blocked;
    table.append(span('note', where.mine && !narrowed ? `Nothing is assigned to ${board.you} here.` : 'No version matches these filters.'));
  } else {
    table.append(boardTable(board, (code) => languageName(s.language_names, code), s.id));
  }
  // Approvals, edits and renders change the board: read it again when one happens.
  if (!state.boardStream || state.boardStream.series !== s.id) {
    if (state.boardStream) state.boardStream.close();
    let pending = null;  // news comes in bursts (a stream opens with every render state): one read each
    state.boardStream = events(s.id, (name) => {
      if (!['review', 'render', 'line', 'episode', 'finding'].includes(name) || pending) return;
      pending = setTimeout(() => {
        pending = null;
        if (location.hash.startsWith('#board/')) showBoard().catch((e) => say(e.message, 'error'));
      }, 250);
    });
    state.boardStream.series = s.id;
  }
}

$('board-filters').addEventListener('change', () => {
  const filters = Object.fromEntries(['mine', 'late', 'blocked'].map((f) => [f, $(`filter-${f}`).checked]));
  location.hash = boardHash(boardRoute().series, filters);
});

// The page's first view for someone with assignments: theirs, in the first series that has
// any. Whether it went there.
async function openMyAssignments() {
  for (const s of await seriesList()) {
    let board;
    try {
      board = await api('GET', `${seriesPath(s.id)}/board?mine=1`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) throw e;
      continue;  // a series whose board cannot be read: the others still can, and the list is shown
    }
    if (board.versions.length) {
      location.replace(boardHash(s.id, { mine: true }));
      return true;
    }
  }
  return false;
}

// ---- one episode in one language ----------------------------------------------------------

async function openEpisode(series, episode, language, lineId = null) {
  showOnly('review');
  const changed = series !== state.series || !state.stream;
  const same = series === state.series && episode === state.episode && language === state.language && state.data;
  Object.assign(state, { series, episode, language, current: -1, selected: -1, editing: -1 });
  if (!same) {
    setWhere();  // until the lines say what the series is called
    await reload();
  } else {
    renderHeading();
    renderLines();
  }
  if (changed) {
    if (state.stream) state.stream.close();
    state.readyOnce = false;
    state.stream = events(series, onEvent);
    state.stream.addEventListener('error', () => {
      if (state.stream.readyState === EventSource.CLOSED) say('Lost the server\'s events: reload the page', 'error');
    });
  }
  // Opened at a line (a search hit): that line selected, the picture there.
  const index = lineId ? state.data.lines.findIndex((l) => l.id === lineId) : -1;
  if (index >= 0) {
    select(index);
    player.seek(state.data.lines[index].start_ms / 1000);
  } else {
    player.seek(0);
  }
}

// ---- the library --------------------------------------------------------------------------

// `text` with the [start, end) code point ranges marked (<mark>), as DOM nodes.
function marked(text, matches) {
  const chars = Array.from(text);
  const out = [];
  let at = 0;
  for (const [start, end] of matches) {
    if (start < at) continue;
    out.push(document.createTextNode(chars.slice(at, start).join('')));
    const m = document.createElement('mark');
    m.textContent = chars.slice(start, end).join('');
    out.push(m);
    at = end;
  }
  out.push(document.createTextNode(chars.slice(at).join('')));
  return out;
}

// The names of a series' characters for search hits: the cast and the characters the series
// has learnt are the series' own, so the lines of any one of its episodes carry them all.
// Read once per series (and again with every reload of an episode's lines).
async function characterNamesOf(series, episode, language) {
  if (!state.characterNames[series]) {
    try {
      const { characters } = await api('GET', `${languagePath(series, episode, language)}/lines`);
      state.characterNames[series] = namesOf(characters);
    } catch (e) {
      state.characterNames[series] = {};  // the ids, then
    }
  }
  return state.characterNames[series];
}

async function showSearch(words) {
  showOnly('search-results');
  const seriesOf = Object.fromEntries((await seriesList()).map((s) => [s.id, s]));
  $('search').value = words;
  setWhere(['Search']);
  setTitle(`“${words}”`, 'Search');
  const list = $('hits');
  list.textContent = '';
  $('search-summary').textContent = 'Searching…';
  const { hits } = await api('GET', `/api/search?q=${encodeURIComponent(words)}&limit=100`);
  $('search-summary').textContent = hits.length
    ? `${hits.length}${hits.length === 100 ? '+' : ''} line${hits.length === 1 ? '' : 's'} with “${words}”` : `No line has “${words}”.`;
  for (const h of hits) {
    const s = seriesOf[h.series] || { title: h.series, languages: [], language_names: {} };
    // A source-language hit opens the episode in its first target language, at that line.
    const language = h.is_source ? s.languages[0] || h.lang : h.lang;
    const names = await characterNamesOf(h.series, h.episode, language);
    list.append(hitItem(h, s, language, names));
  }
}

// One line found: where it is (the series' title, the episode, the language's name, the
// line), when, who says it, its state; its text with the words marked, and its source.
function hitItem(h, s, language, names) {
  const li = document.createElement('li');
  const where = document.createElement('div');
  where.className = 'where';
  const a = document.createElement('a');
  a.href = `#/${encodeURIComponent(h.series)}/${encodeURIComponent(h.episode)}/${encodeURIComponent(language)}/${h.line}`;
  a.textContent = `${s.title || h.series} › ${h.episode} › ${languageName(s.language_names, h.lang)} › line ${h.line}`;
  where.append(a, span('time', `${clock(h.start)} – ${clock(h.end)}`), span('speaker', speakerName(names, h.character)));
  if (h.edited) where.append(span('badge', 'edited'));
  if (h.approved) where.append(span('badge', 'approved'));
  for (const rule of h.qc) where.append(span('qc', rule));
  const text = span('text', '');
  text.dir = 'auto';
  text.lang = h.lang;
  text.append(...marked(h.text, h.matches));
  li.append(where, text);
  if (!h.is_source) {
    const source = span('source', h.source);
    source.dir = 'auto';
    li.append(source);
  }
  return li;
}

$('search-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const words = $('search').value.trim();
  if (!words) return;
  const hash = `#search=${encodeURIComponent(words)}`;
  if (location.hash === hash) await showSearch(words);
  else location.hash = hash;
});

// The lines as the server has them now; the player follows the files (new after a render).
async function reload() {
  const data = await api('GET', `${languagePath(state.series, state.episode, state.language)}/lines`);
  state.data = data;
  state.characterNames[data.series] = namesOf(data.characters);
  const tracks = $('audio-track');
  const wanted = tracks.value || 'dub';
  tracks.textContent = '';
  if (data.media.dub) tracks.add(new Option(`${languageName(data.language_names, data.language)} dub`, 'dub'));
  tracks.add(new Option(`Original (${languageName(data.language_names, data.source_language)})`, 'original'));
  tracks.value = data.media.dub ? wanted : 'original';
  player.load(data.media.video, tracks.value === 'dub' ? data.media.dub : null);
  renderHeading();
  renderLines();
  renderReview();
  renderEngines();
  renderStatus();
}

// Where the episode view is, by names people know: the series' title, the episode, the
// language's name; in the breadcrumb, the view's heading and the window's title.
function renderHeading() {
  const d = state.data;
  const title = d.series_title || d.series;
  const language = languageName(d.language_names, d.language);
  setWhere([title, `#/${encodeURIComponent(d.series)}`], [d.episode], [language]);
  setTitle(`${d.episode} · ${language}`, title);
  $('review-title').textContent = `${d.episode} · ${language}`;
  $('review-about').textContent =
    `from ${languageName(d.language_names, d.source_language)} · ${d.lines.length} line${d.lines.length === 1 ? '' : 's'}`;
}

// Which engines made this episode (its manifest), so a reviewer knows which model translated it.
function renderEngines() {
  const list = $('engines');
  list.textContent = '';
  for (const e of state.data.engines || []) {
    const dt = document.createElement('dt');
    dt.textContent = e.stage;
    const dd = document.createElement('dd');
    dd.textContent = e.identity;
    list.append(dt, dd);
  }
}

$('audio-track').addEventListener('change', () => {
  const d = state.data;
  player.load(d.media.video, $('audio-track').value === 'dub' ? d.media.dub : null);
});

function renderStatus() {
  const d = state.data;
  const stale = d.lines.filter((l) => l.stale).length;
  if (d.render === 'queued' || d.render === 'rendering') say(`Rendering the edits (${d.render})…`, 'busy');
  else if (d.render && d.render.startsWith('failed')) say(`The render failed: ${d.render.slice(8)}`, 'error');
  else if (stale) say(`${stale} edited line(s) not rendered yet`, 'busy');
  else say('Up to date', 'ok');
}

function lineItem(line, index) {
  const d = state.data;
  const li = document.createElement('li');
  li.dataset.index = index;
  li.dataset.id = line.id;
  li.className = 'line';
  if (index === state.current) li.classList.add('current');
  if (index === state.selected) {
    li.classList.add('selected');
    li.setAttribute('aria-current', 'true');
  }
  // The lines are one stop of the Tab key (the selected line, else the first); ↑ ↓ go from
  // line to line, Enter edits.
  li.tabIndex = index === Math.max(state.selected, 0) ? 0 : -1;
  if (line.stale) li.classList.add('stale');

  const head = document.createElement('div');
  head.className = 'head';
  const speaker = span('speaker', speakerName(state.characterNames[d.series], line.speaker));
  if (speaker.textContent !== line.speaker) speaker.title = line.speaker;  // the id the API and the files use
  head.append(span('time', `${clock(line.start_ms / 1000)} – ${clock(line.end_ms / 1000)}`), speaker);
  if (line.revision > 0) head.append(span('revision', `rev ${line.revision}`));
  if (line.stale) head.append(span('badge', state.redubbing.has(line.id) ? 're-dubbing…' : 'not rendered'));
  for (const flag of line.qc) {
    const f = span(`qc ${flag.severity}`, flag.rule);
    f.title = flag.message;
    head.append(f);
  }
  li.append(head);
  for (const f of line.findings) li.append(findingItem(f));
  const source = span('source', line.source);
  source.dir = 'auto';
  source.lang = d.source_language;
  li.append(source);

  if (index === state.editing) {
    li.append(editorFor(line));
  } else {
    const text = span('text', line.text);
    text.dir = 'auto';
    text.lang = d.language;
    li.append(text);
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    buttons.append(button('Edit', () => edit(index)), button('Play line', () => playLine(index)), button('Re-dub', () => redub(index)));
    li.append(buttons);
  }
  li.addEventListener('click', (e) => {
    if (e.target.closest('button, textarea, input, select, a')) return;
    goTo(index);
  });
  return li;
}

// The line selected, and the picture at its start.
function goTo(index) {
  select(index);
  player.seek(state.data.lines[index].start_ms / 1000);
}

// A content review finding: what hit and why; unresolved, a reason and Accept / Override.
function findingItem(f) {
  const box = document.createElement('div');
  box.className = `finding ${f.severity}${f.resolution ? ' resolved' : ''}`;
  box.dataset.finding = f.id;
  box.append(span('severity', f.severity), span('category', f.category ? `${f.category}: ` : ''), span('why', f.reason));
  if (f.resolution) {
    box.append(document.createElement('br'),
      span('resolution', `${f.resolution.decision} by ${f.resolution.who}: ${f.resolution.reason} (pack ${f.pack} ${f.resolution.pack_version})`));
    return box;
  }
  const reason = document.createElement('input');
  reason.placeholder = 'Reason (required)';
  reason.setAttribute('aria-label', 'Reason for the decision');
  const error = span('error', '');
  const decide = (decision) => async () => {
    if (!reason.value.trim()) {
      error.textContent = ' Give a reason first.';
      reason.focus();
      return;
    }
    try {
      await api('POST', `${languagePath(state.series, state.episode, state.language)}/findings/${encodeURIComponent(f.id)}`,
        { decision, reason: reason.value.trim() });
      await reload();
    } catch (e) {
      error.textContent = ` ${e.message}`;
    }
  };
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(reason, button('Accept', decide('accepted')), button('Override', decide('overridden')), error);
  box.append(buttons);
  box.title = `${f.pack} ${f.pack_version} · ${f.rule}${f.suggestion ? ` · suggested: ${f.suggestion}` : ''}`;
  return box;
}

function span(className, text) {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

function button(label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', action);
  return b;
}

function renderLines() {
  const list = $('lines');
  // A redraw (someone else's edit, a render done) keeps the keyboard on the same line and button.
  const active = list.contains(document.activeElement) ? document.activeElement : null;
  const was = active && { index: active.closest('#lines > li').dataset.index, label: active.matches('button') ? active.textContent : null };
  list.textContent = '';
  state.data.lines.forEach((line, i) => list.append(lineItem(line, i)));
  list.dir = 'ltr';
  if (state.editing >= 0) {
    list.querySelector('textarea')?.focus();
  } else if (was) {
    const li = list.children[was.index];
    const same = li && [...li.querySelectorAll('button')].find((b) => b.textContent === was.label);
    (same || li)?.focus();
  }
}

// The line the keyboard acts on. When the keyboard is on a line, it moves with the selection,
// so the focus ring and the selected line stay together.
function select(index) {
  state.selected = index;
  const onLine = document.activeElement?.matches('#lines > li');
  for (const li of $('lines').children) {
    const selected = Number(li.dataset.index) === index;
    li.classList.toggle('selected', selected);
    li.tabIndex = selected ? 0 : -1;
    if (selected) li.setAttribute('aria-current', 'true');
    else li.removeAttribute('aria-current');
  }
  const li = $('lines').children[index];
  li?.scrollIntoView({ block: 'nearest' });
  if (onLine && state.editing < 0) li?.focus();
}

// Back from the editor, the keyboard is on the line it edited (the editor is gone), unless
// the person has gone on to something else meanwhile.
function focusLine(index) {
  if (!document.activeElement || document.activeElement === document.body) $('lines').children[index]?.focus();
}

function playLine(index) {
  const line = state.data.lines[index];
  if (line) player.playRange(line.start_ms, line.end_ms);
}

// The line under the playhead: highlighted, and shown over the picture as it now reads.
player.onTime((seconds, playing) => {
  $('clock').textContent = clock(seconds);
  $('play').textContent = playing ? 'Pause' : 'Play';
  if (!state.data) return;
  const ms = seconds * 1000;
  const index = state.data.lines.findIndex((l) => ms >= l.start_ms && ms < l.end_ms);
  if (index !== state.current) {
    state.current = index;
    for (const li of $('lines').children) li.classList.toggle('current', Number(li.dataset.index) === index);
    if (index >= 0 && playing) $('lines').children[index]?.scrollIntoView({ block: 'nearest' });
  }
  const line = state.data.lines[index];
  const caption = $('caption');
  caption.textContent = line ? line.text : '';
  caption.lang = state.data.language;
  caption.hidden = !line;
});
$('play').addEventListener('click', () => player.toggle());

// ---- editing ------------------------------------------------------------------------------

function editorFor(line) {
  const d = state.data;
  const box = document.createElement('div');
  box.className = 'editor';
  const area = document.createElement('textarea');
  area.value = line.text;
  area.dir = d.direction === 'rtl' ? 'rtl' : 'auto';
  area.lang = d.language;
  area.rows = 2;
  area.setAttribute('aria-label', `Line ${line.id} text`);
  const feedback = span('feedback', '');
  const update = () => {
    const r = check(area.value, line.start_ms, line.end_ms, d.rules);
    feedback.textContent = describe(r, d.rules);
    feedback.classList.toggle('warn', r.cpsOver || r.linesOver || r.lengthOver);
    feedback.dataset.cps = r.cps.toFixed(1);
    feedback.dataset.cpsOver = r.cpsOver;
    feedback.dataset.chars = r.chars;
    feedback.dataset.lines = JSON.stringify(r.lines);
    $('caption').textContent = area.value;
  };
  area.addEventListener('input', update);
  const conflict = document.createElement('div');
  conflict.className = 'conflict';
  conflict.hidden = true;
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(button('Save', () => save(false)), button('Cancel', cancelEdit));
  if (line.machine && line.text !== line.machine) buttons.append(button('Revert to machine', () => save(false, { revert: true })));
  // Who speaks it: given to another character, it is dubbed in their voice in every language.
  const who = document.createElement('select');
  who.className = 'who';
  who.setAttribute('aria-label', `Line ${line.id} speaker`);
  for (const c of d.characters) who.add(new Option(c.name ? `${c.name} (${c.id})` : c.id, c.id));
  who.value = line.speaker;
  buttons.append(who, button('Give to speaker', () => changeSpeaker(line, who.value)));
  box.append(area, feedback, conflict, buttons);
  if (line.machine && line.machine !== line.text) {
    const machine = span('machine', `machine: ${line.machine}`);
    machine.dir = 'auto';
    box.append(machine);
  }
  queueMicrotask(update);
  return box;
}

function edit(index) {
  state.editing = index;
  select(index);
  renderLines();
  const area = $('lines').querySelector('textarea');
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}

function cancelEdit() {
  const index = state.editing;
  state.editing = -1;
  renderLines();
  focusLine(index);
}

// Saves the line being edited against the revision it was opened at. A 409 shows the text
// someone else saved, and keeps this one, to take theirs or to save over it knowingly.
async function save(andNext, change) {
  const index = state.editing;
  const line = state.data.lines[index];
  const li = $('lines').children[index];
  const area = li.querySelector('textarea');
  const body = change ? { ...change } : { text: area.value.trim() };
  body.revision = Number(li.dataset.revision ?? line.revision);
  try {
    const result = await api('PUT', `${languagePath(state.series, state.episode, state.language)}/lines/${line.id}`, body);
    state.editing = -1;
    await reload();
    say(result.changed ? `Line ${line.id} saved: rendering` : `Line ${line.id} unchanged`, result.changed ? 'busy' : 'ok');
    if (andNext && index + 1 < state.data.lines.length) {
      edit(index + 1);
    } else {
      select(index);
      focusLine(index);
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.problem.current) return showConflict(li, e.problem.current, change);
    say(e.message, 'error');
  }
}

function showConflict(li, current, change) {
  const box = li.querySelector('.conflict');
  box.hidden = false;
  box.textContent = '';
  const theirs = span('theirs', current.text);
  theirs.dir = 'auto';
  box.append(span('title', `Someone saved this line meanwhile (revision ${current.revision}):`), theirs,
    button('Take theirs', () => { state.editing = -1; reload(); }),
    button('Save mine over it', () => { li.dataset.revision = current.revision; save(false, change); }));
  box.setAttribute('role', 'alert');
  say('Edit conflict: your text is kept in the editor', 'error');
}

async function changeSpeaker(line, speaker) {
  try {
    const result = await api('PUT', `${languagePath(state.series, state.episode, state.language)}/lines/${line.id}/speaker`,
      { speaker, revision: line.revision });
    state.editing = -1;
    await reload();
    say(result.changed ? `Line ${line.id} is ${speaker}'s now: rendering` : `Line ${line.id} was ${speaker}'s already`, result.changed ? 'busy' : 'ok');
  } catch (e) {
    say(e.message, 'error');
    if (e instanceof ApiError && e.status === 409) reload();
  }
}

async function redub(index) {
  const line = state.data.lines[index];
  try {
    await api('POST', `${languagePath(state.series, state.episode, state.language)}/lines/${line.id}/redub`, { revision: line.revision });
    state.redubbing.add(line.id);
    await reload();
    say(`Line ${line.id}: re-dubbing`, 'busy');
  } catch (e) {
    say(e.message, 'error');
    if (e instanceof ApiError && e.status === 409) reload();
  }
}

// ---- approval -----------------------------------------------------------------------------

function renderReview() {
  const d = state.data;
  const r = d.review;
  $('review-state').textContent = !r ? 'Not reviewed yet.'
    : `${r.decision === 'approved' ? 'Approved' : 'Rejected'} by ${r.who} at ${r.when}${r.comment ? `: “${r.comment}”` : ''}` +
      (r.stands ? '' : ' (withdrawn: edited since)');
  $('review-state').className = r && r.stands ? r.decision : '';
  const pending = d.lines.some((l) => l.stale) || d.render === 'queued' || d.render === 'rendering';
  const blocks = d.content_review.unresolved_blocks;
  $('approve').disabled = pending || blocks > 0;
  $('approve').title = pending ? 'Wait for the edits to be rendered' : blocks > 0 ? 'Resolve the block findings first' : '';
  $('review-blocked').textContent = blocks > 0
    ? `${blocks} block finding(s) of the content review: accept or override each with a reason, or edit the line, before approving.` : '';
}

async function review(decision) {
  const revisions = {};
  for (const l of state.data.lines) revisions[l.id] = l.revision;
  $('review-error').textContent = '';
  try {
    await api('POST', `${languagePath(state.series, state.episode, state.language)}/review`,
      { decision, comment: $('review-comment').value.trim(), revisions });
    $('review-comment').value = '';
    await reload();
  } catch (e) {
    $('review-error').textContent = e.message;
    if (e instanceof ApiError && e.status === 409) reload();
  }
}
$('approve').addEventListener('click', () => review('approved'));
$('reject').addEventListener('click', () => review('rejected'));

// ---- what happens elsewhere ---------------------------------------------------------------

async function onEvent(name, data) {
  if (name === 'ready') {
    // After a reconnect the server could not resume from (it restarted): read everything again.
    if (state.readyOnce && !data.resumed && state.data && state.editing < 0) await reload();
    state.readyOnce = true;
    return;
  }
  if (!state.data || data.episode !== state.episode) return;
  if (name === 'render') {
    // The stream opens with each episode's render state: the one the lines were read with is
    // no news, and reading them again would redraw the list under the person's hand.
    const news = state.data.render !== data.render;
    state.data.render = data.render;
    renderStatus();
    if (news && (data.render === 'done' || data.render.startsWith('failed'))) {
      const redubbed = [...state.redubbing];
      state.redubbing.clear();
      if (state.editing < 0) await reload();
      // A re-dubbed line is heard in place once it is rendered.
      const index = state.data.lines.findIndex((l) => redubbed.includes(l.id));
      if (data.render === 'done' && index >= 0) {
        const dub = $('dub');
        if (dub.readyState >= 3) playLine(index);
        else dub.addEventListener('canplay', () => playLine(index), { once: true });
      }
    }
  } else if ((name === 'line' && data.language === state.language) || name === 'review') {
    if (state.editing < 0) await reload();
  }
}

// ---- keyboard -----------------------------------------------------------------------------

document.addEventListener('keydown', (e) => {
  const inText = e.target.closest('textarea, input, select');
  if (e.target.closest('#lines textarea')) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); save(true); }
    else if (e.key === 'Enter') { e.preventDefault(); save(false); }  // a line is one line of text
    else if (e.key === 'Escape') { e.preventDefault(); cancelEdit(); }
    else if (e.altKey && e.key.toLowerCase() === 'p') { e.preventDefault(); playLine(state.editing); }
    return;
  }
  // Fields keep their keys; an open dialog keeps the keyboard.
  if (inText || e.ctrlKey || e.metaKey || e.altKey || $('help').open) return;
  if (e.key === '?') { e.preventDefault(); openHelp(); return; }  // on every view
  // Buttons and links keep Enter and Space; the other keys work from them too.
  if ($('review').hidden || ((e.key === 'Enter' || e.key === ' ') && e.target.closest('button, a'))) return;
  const lines = state.data ? state.data.lines : [];
  // The line the keyboard is on, else the selected one, else the one under the playhead.
  const onLine = e.target.matches('#lines > li') ? Number(e.target.dataset.index) : -1;
  const at = onLine >= 0 ? onLine : state.selected >= 0 ? state.selected : Math.max(state.current, 0);
  switch (e.key) {
    case ' ': e.preventDefault(); player.toggle(); break;
    case 'k': case 'K': player.pause(); break;
    case 'j': case 'J': player.seek(player.video.currentTime - 2); break;
    case 'l': case 'L':
      if (!player.video.paused) player.video.playbackRate = Math.min(player.video.playbackRate + 0.5, 2);
      else { player.video.playbackRate = 1; player.play(); }
      break;
    case 'p': case 'P': playLine(at); break;
    case 'ArrowDown': e.preventDefault(); if (at + 1 < lines.length) goTo(at + 1); break;
    case 'ArrowUp': e.preventDefault(); if (at > 0) goTo(at - 1); break;
    case 'Enter': e.preventDefault(); edit(at); break;
    default: break;
  }
});

function openHelp() {
  if (!$('help').open) $('help').showModal();
}
$('help-button').addEventListener('click', openHelp);

window.addEventListener('hashchange', start);
start();
