// The production board's table: episodes down, languages across, each version's state in
// words (a link to review it), who holds it, and whether it is late or blocked. Built from
// GET /api/series/{series}/board (docs/api.md); the view around it is app.js's.

// What each state is called on the page (the API's names, for people).
export const STATE_WORDS = {
  waiting: 'waiting', rendering: 'rendering', failed: 'failed', 'to-review': 'to review', 'in-review': 'in review',
  approved: 'approved', cleared: 'cleared', delivered: 'delivered',
};

function text(tag, words, className = '') {
  const e = document.createElement(tag);
  e.textContent = words;
  if (className) e.className = className;
  return e;
}

// The table of the versions the board shows (a filtered board leaves out rows with none).
export function boardTable(board, languageName, seriesId) {
  const byVersion = new Map(board.versions.map((v) => [`${v.episode}\u0000${v.language}`, v]));
  const table = document.createElement('table');
  table.className = 'board';
  table.setAttribute('aria-labelledby', 'board-title');
  const header = table.createTHead().insertRow();
  for (const words of ['Episode', ...board.languages.map(languageName)]) {
    const th = text('th', words);
    th.scope = 'col';
    header.append(th);
  }
  const body = table.createTBody();
  for (const episode of board.episodes) {
    const versions = board.languages.map((l) => byVersion.get(`${episode}\u0000${l}`));
    if (!versions.some(Boolean)) continue;
    const row = body.insertRow();
    row.dataset.episode = episode;
    const th = text('th', episode);
    th.scope = 'row';
    row.append(th);
    versions.forEach((v, i) => {
      const cell = row.insertCell();
      if (!v) return;
      cell.dataset.language = board.languages[i];
      cell.dataset.state = v.state;
      cell.className = `state-${v.state}`;
      const words = STATE_WORDS[v.state] || v.state;
      if (v.state === 'waiting' || v.state === 'rendering') {
        cell.append(text('span', words, 'state'));
      } else {
        const a = text('a', words, 'state');
        a.href = `#/${encodeURIComponent(seriesId)}/${encodeURIComponent(episode)}/${encodeURIComponent(v.language)}`;
        a.setAttribute('aria-label', `${episode} in ${languageName(v.language)}: ${words}`);
        cell.append(a);
      }
      if (v.who) cell.append(text('span', v.state === 'in-review' ? `by ${v.who}` : v.who, 'who'));
      if (v.delivered_to) cell.append(text('span', v.delivered_to.join(', '), 'note'));
      if (v.late) cell.append(text('span', `late (due ${v.assignment.due})`, 'flag late'));
      if (v.blocked) cell.append(text('span', 'blocked', 'flag blocked'));
      if (v.why) cell.title = v.why;
      if (v.assignment) cell.append(text('span', `assigned to ${v.assignment.linguist}`, 'assignee'));
    });
  }
  return table;
}

// The series' figures in a sentence.
export function boardSummary(board) {
  const counts = Object.entries(board.counts).map(([state, n]) => `${n} ${STATE_WORDS[state] || state}`).join(', ');
  const pace = `${board.approvals_per_day} approvals a day over the last 7 days`;
  const finish = board.remaining === 0 ? 'all cleared' : board.finish ? `finish about ${board.finish}` : 'no finish in sight yet';
  return `${counts}. ${board.late} late, ${board.blocked} blocked; ${board.remaining} to go at ${pace}: ${finish}.`;
}
