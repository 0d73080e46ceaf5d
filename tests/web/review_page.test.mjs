// The review page in Debian's Chromium, against `dramaloc serve` on loopback: a linguist opens
// an episode, plays it with the dub, seeks by clicking a line, edits a line and sees the
// reading-speed warning, saves, re-dubs a line and hears it in place, approves; a second
// linguist saving the same line gets the conflict shown, with their text kept; Arabic reads
// right to left and Thai is counted in characters a reader sees. Screenshots go to the
// artifacts folder (artifactsDir()).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { artifactsDir, dramalocBin, launchBrowser, startStation } from './support/station.mjs';

// What the test model server answers (Spanish, Arabic, Thai).
const TRANSLATIONS = {
  es: { 'Good morning.': 'Buenos días.', 'Where is the station?': '¿Dónde está la estación?', 'The house is big.': 'La casa es grande.' },
  ar: { 'Good morning.': 'صباح الخير.', 'Where is the station?': 'أين المحطة؟', 'The house is big.': 'البيت كبير.' },
  th: { 'Good morning.': 'สวัสดีตอนเช้า', 'Where is the station?': 'สถานีรถไฟอยู่ที่ไหน', 'The house is big.': 'บ้านหลังใหญ่' },
};

// A Thai market pack: "station" may not air (a block); nothing else in ep1 hits it.
const POLICY = '[pack]\nname = "th-market"\nversion = "2026.12"\nlanguages = ["th"]\n\n' +
  '[[term]]\ntext = "สถานี"\nseverity = "block"\ncategory = "test"\n';

let station;
let browser;
const shots = artifactsDir();

before(async () => {
  station = await startStation({ bin: await dramalocBin(), languages: ['es', 'ar', 'th'], translations: TRANSLATIONS, policy: POLICY });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (station) await station.stop();
});

// A signed-in page (the token pasted into the form, as a person does) at `hash`, once the
// page has shown `landing` (its first view: the list of episodes, or my assignments).
async function openPage(role, hash, landing = '#episode-table a') {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${station.url}/`);
  await page.fill('#token', station.tokens[role]);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector(landing);
  if (hash) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForSelector('#lines li.line');
    await page.waitForFunction(() => document.getElementById('video').readyState >= 2);
  }
  return { page, context, problems };
}

const line = (page, id) => page.locator(`#lines li.line[data-id="${id}"]`);
const videoTime = (page) => page.evaluate(() => document.getElementById('video').currentTime);
const apiLines = async (language) =>
  (await station.api('GET', `/api/series/drama/episodes/ep1/languages/${language}/lines`, { token: station.tokens.viewer })).json;

async function waitUpToDate(page) {
  await page.waitForFunction(() => document.getElementById('status').textContent === 'Up to date', null, { timeout: 120000 });
}

test('an episode opens from the list, plays with its dub, and a click on a line seeks to it', async () => {
  const { page, context, problems } = await openPage('viewer');
  await page.click('#episode-table a[href="#/drama/ep1/es"]');
  await page.waitForSelector('#lines li.line');
  await page.waitForFunction(() => document.getElementById('video').readyState >= 2);
  assert.equal(await page.locator('#lines li.line').count(), 3);
  assert.equal(await line(page, 2).locator('.source').textContent(), 'Where is the station?');
  assert.equal(await line(page, 2).locator('.text').textContent(), '¿Dónde está la estación?');
  // Which engines made the episode (its manifest): the model server that translated it.
  const engines = await page.locator('#engines').evaluate((dl) =>
    [...dl.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling.textContent}`));
  assert.ok(engines.some((e) => /^translate: openai at http:\/\/127\.0\.0\.1:\d+\/v1 \(model test\)$/.test(e)), engines.join('; '));
  assert.ok(engines.includes('tts: espeak (embedded)'), engines.join('; '));

  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('video').currentTime > 1.0, null, { timeout: 15000 });
  const playing = await page.evaluate(() => {
    const v = document.getElementById('video');
    const d = document.getElementById('dub');
    return { muted: v.muted, dubPaused: d.paused, drift: Math.abs(v.currentTime - d.currentTime), width: v.videoWidth };
  });
  assert.equal(playing.muted, true, 'the picture is muted while the dub plays');
  assert.equal(playing.dubPaused, false, 'the dub plays');
  assert.ok(playing.drift < 0.3, `the dub keeps to the picture (drift ${playing.drift} s)`);
  assert.ok(playing.width > 0, 'the picture decodes');

  await line(page, 3).locator('.source').click();
  const at = await videoTime(page);
  assert.ok(Math.abs(at - 5.2) < 0.35, `a click on line 3 (5.2 s) seeks there; the video is at ${at}`);
  await page.waitForFunction(() => document.querySelector('#lines li.line[data-id="3"]').classList.contains('current'));
  assert.equal(await page.locator('#caption').textContent(), 'La casa es grande.');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.getElementById('video').paused);
  await page.screenshot({ path: path.join(shots, 'review-playing.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('an edit shows its reading speed against the rules, saves, re-renders; a re-dub is heard in place; then approval', async () => {
  const { page, context, problems } = await openPage('editor', '#/drama/ep1/es');
  assert.equal(await page.locator('#approve').isDisabled(), false);

  // Line 1 is 1.5 s: 60 characters is 40 per second, over Spanish's 17.
  await line(page, 1).locator('.source').click();
  await page.keyboard.press('Enter');
  const area = line(page, 1).locator('textarea');
  await area.fill('Buenos días a todos los que viven en esta casa tan grande hoy');
  const feedback = line(page, 1).locator('.feedback');
  assert.equal(await feedback.getAttribute('data-cps-over'), 'true');
  assert.match(await feedback.textContent(), /^40\.\d CPS \(max 17\)/);
  assert.ok(await feedback.evaluate((e) => e.classList.contains('warn')));
  await page.screenshot({ path: path.join(shots, 'review-cps-warning.png') });
  await area.fill('Buenos días a todos.');
  assert.equal(await feedback.getAttribute('data-cps-over'), 'false', '20 characters in 1.5 s is 13.3 per second');

  // Ctrl+Enter saves and opens the next line.
  await area.press('Control+Enter');
  await line(page, 2).locator('textarea').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await line(page, 1).locator('.text').textContent(), 'Buenos días a todos.');
  let now = await apiLines('es');
  assert.equal(now.lines[0].text, 'Buenos días a todos.');
  assert.equal(now.lines[0].revision, 1);
  assert.equal(now.lines[0].history[0].who, 'ana-editor');
  await waitUpToDate(page);
  assert.equal(await line(page, 1).evaluate((e) => e.classList.contains('stale')), false, 'rendered');
  now = await apiLines('es');
  assert.equal(now.lines[0].stale, false);
  const vtt = await (await fetch(station.url + now.media.subtitles, { headers: { Authorization: `Bearer ${station.tokens.viewer}` } })).text();
  assert.match(vtt, /Buenos días a todos\./, 'the subtitles have the edit');

  // Re-dub line 2: when its render is done the page plays it in place, from 0.5 s before.
  const dubBefore = await page.evaluate(() => document.getElementById('dub').getAttribute('src'));
  await line(page, 2).locator('.source').click();
  await line(page, 2).getByRole('button', { name: 'Re-dub' }).click();
  await line(page, 2).locator('.badge', { hasText: 're-dubbing' }).waitFor();
  await waitUpToDate(page);
  // The picture plays, and the dub with it (it joins once the picture has data to play).
  await page.waitForFunction(() => !document.getElementById('video').paused && !document.getElementById('dub').paused, null, { timeout: 15000 });
  const heard = await page.evaluate(() => ({ at: document.getElementById('video').currentTime, dub: document.getElementById('dub').getAttribute('src') }));
  assert.ok(heard.at >= 2.2 && heard.at <= 5.2, `the re-dubbed line plays (2.3–5.1 s); the video is at ${heard.at}`);
  assert.notEqual(heard.dub, dubBefore, 'the new dub is loaded');
  await page.waitForFunction(() => document.getElementById('video').paused, null, { timeout: 10000 });
  const stopped = await videoTime(page);
  assert.ok(stopped >= 5.0 && stopped < 5.6, `it stops 0.5 s after the line (5.1 s); stopped at ${stopped}`);
  now = await apiLines('es');
  assert.equal(now.lines[1].history.at(-1).redub, true);

  // Approve, with a comment.
  await page.fill('#review-comment', 'Checked against the picture.');
  await page.click('#approve');
  await page.waitForFunction(() => /^Approved by ana-editor/.test(document.getElementById('review-state').textContent));
  now = await apiLines('es');
  assert.equal(now.review.decision, 'approved');
  assert.equal(now.review.stands, true);
  assert.equal(now.review.comment, 'Checked against the picture.');
  await page.screenshot({ path: path.join(shots, 'review-approved.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a second linguist saving the same line sees the conflict, and their text is not lost', async () => {
  const ana = await openPage('editor', '#/drama/ep1/es');
  const ben = await openPage('admin', '#/drama/ep1/es');
  for (const { page } of [ana, ben]) {
    await line(page, 3).getByRole('button', { name: 'Edit' }).click({ force: true });
    await line(page, 3).locator('textarea').waitFor();
  }
  await line(ana.page, 3).locator('textarea').fill('La casa es muy grande.');
  await line(ana.page, 3).getByRole('button', { name: 'Save' }).click();
  await ana.page.waitForFunction(() => document.querySelector('#lines li.line[data-id="3"] .text')?.textContent === 'La casa es muy grande.');

  await line(ben.page, 3).locator('textarea').fill('La casa es enorme.');
  await line(ben.page, 3).getByRole('button', { name: 'Save' }).click();
  const conflict = line(ben.page, 3).locator('.conflict');
  await conflict.waitFor({ state: 'visible' });
  assert.match(await conflict.textContent(), /La casa es muy grande\./, "Ana's text is shown");
  assert.equal(await line(ben.page, 3).locator('textarea').inputValue(), 'La casa es enorme.', "Ben's text is kept");
  await ben.page.screenshot({ path: path.join(shots, 'review-conflict.png') });
  let now = await apiLines('es');
  assert.equal(now.lines[2].text, 'La casa es muy grande.', 'nothing overwritten unseen');

  await conflict.getByRole('button', { name: 'Save mine over it' }).click();
  await ben.page.waitForFunction(() => document.querySelector('#lines li.line[data-id="3"] .text')?.textContent === 'La casa es enorme.');
  now = await apiLines('es');
  assert.equal(now.lines[2].text, 'La casa es enorme.');
  assert.deepEqual(now.lines[2].history.map((h) => h.who), ['ana-editor', 'ana-admin']);
  // Ana's page hears of it through the event stream.
  await ana.page.waitForFunction(() => document.querySelector('#lines li.line[data-id="3"] .text')?.textContent === 'La casa es enorme.');
  // Ben's browser logs the 409 it was answered; nothing else went wrong.
  assert.deepEqual([...ana.problems, ...ben.problems.filter((p) => !/status of 409/.test(p))], []);
  await ana.context.close();
  await ben.context.close();
  const last = await openPage('viewer', '#/drama/ep1/es');
  await waitUpToDate(last.page);
  await last.context.close();
});

test('a line given to another character is theirs after the render', async () => {
  const { page, context, problems } = await openPage('editor', '#/drama/ep1/es');
  await line(page, 2).getByRole('button', { name: 'Edit' }).click();
  await line(page, 2).getByRole('combobox', { name: 'Line 2 speaker' }).selectOption('ben');
  await line(page, 2).getByRole('button', { name: 'Give to speaker' }).click();
  await page.waitForFunction(() => document.querySelector('#lines li.line[data-id="2"] .speaker')?.textContent === 'Ben');
  await waitUpToDate(page);
  const now = await apiLines('es');
  assert.equal(now.lines[1].speaker, 'ben');
  assert.equal(now.lines[1].stale, false);
  assert.equal((await apiLines('ar')).lines[1].speaker, 'ben', 'in every language');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Arabic reads right to left in the list and the editor; Thai is counted in characters a reader sees', async () => {
  const { page, context, problems } = await openPage('editor', '#/drama/ep1/ar');
  assert.equal(await line(page, 2).locator('.text').textContent(), 'أين المحطة؟');
  assert.equal(await line(page, 2).locator('.text').evaluate((e) => getComputedStyle(e).direction), 'rtl');
  assert.equal(await line(page, 2).locator('.source').evaluate((e) => getComputedStyle(e).direction), 'ltr');
  await line(page, 2).getByRole('button', { name: 'Edit' }).click({ force: true });
  const area = line(page, 2).locator('textarea');
  assert.equal(await area.evaluate((e) => getComputedStyle(e).direction), 'rtl');
  assert.equal(await area.getAttribute('lang'), 'ar');
  // Arabic text with its diacritics: each letter and its marks is one character.
  await area.fill('أَيْنَ');
  assert.equal(await line(page, 2).locator('.feedback').getAttribute('data-chars'), '3');
  await page.screenshot({ path: path.join(shots, 'review-arabic.png') });
  await page.keyboard.press('Escape');

  await page.evaluate(() => { location.hash = '#/drama/ep1/th'; });
  await page.waitForFunction(() => document.querySelector('#lines li.line[data-id="2"] .text')?.textContent === 'สถานีรถไฟอยู่ที่ไหน');
  await line(page, 2).getByRole('button', { name: 'Edit' }).click({ force: true });
  const thai = line(page, 2).locator('textarea');
  // ที่นี่ is six code points (two consonants, each with a vowel and a tone mark): two characters.
  await thai.fill('ที่นี่');
  assert.equal(await line(page, 2).locator('.feedback').getAttribute('data-chars'), '2');
  // A long Thai line wraps at word boundaries (Thai has no spaces), not inside a word.
  const rules = (await apiLines('th')).rules;
  await thai.fill('สถานีรถไฟอยู่ที่ไหนครับ'.repeat(3));
  const wrapped = JSON.parse(await line(page, 2).locator('.feedback').getAttribute('data-lines'));
  assert.ok(wrapped.length >= 2, `wrapped into ${wrapped.length} lines`);
  for (const l of wrapped) assert.ok(!/^[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]/.test(l), `no line starts with a Thai mark: ${l}`);
  assert.ok(rules.max_chars_per_line > 0);
  await page.screenshot({ path: path.join(shots, 'review-thai.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a block finding stops approval on the page and through the API until a person resolves it with a reason', async () => {
  const { page, context, problems } = await openPage('editor', '#/drama/ep1/th');
  await waitUpToDate(page);
  const finding = line(page, 2).locator('.finding.block');
  await finding.waitFor();
  assert.match(await finding.textContent(), /สถานี/);
  assert.equal(await page.locator('#approve').isDisabled(), true);
  assert.match(await page.locator('#review-blocked').textContent(), /1 block finding/);
  // Through the API as well.
  const lines = await apiLines('th');
  const revisions = Object.fromEntries(lines.lines.map((l) => [l.id, l.revision]));
  const refused = await station.api('POST', '/api/series/drama/episodes/ep1/languages/th/review',
    { token: station.tokens.editor, body: { decision: 'approved', revisions } });
  assert.equal(refused.status, 409);
  assert.equal(refused.json.blocking_findings, 1);
  await page.screenshot({ path: path.join(shots, 'review-blocked.png') });
  // No decision without a reason; then overridden, with one.
  await finding.getByRole('button', { name: 'Override' }).click();
  assert.match(await finding.textContent(), /Give a reason first/);
  await finding.locator('input').fill('the station is a place name here');
  await finding.getByRole('button', { name: 'Override' }).click();
  await line(page, 2).locator('.finding.resolved').waitFor();
  assert.match(await line(page, 2).locator('.finding.resolved').textContent(), /overridden by ana-editor: the station is a place name here/);
  assert.equal(await page.locator('#approve').isDisabled(), false);
  await page.click('#approve');
  await page.waitForFunction(() => document.getElementById('review-state').textContent.startsWith('Approved'));
  assert.equal((await apiLines('th')).review.decision, 'approved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the search box finds a line in any language and opens the episode at it', async () => {
  const { page, context, problems } = await openPage('viewer');
  await page.fill('#search', 'สถานี');
  await page.press('#search', 'Enter');
  const hit = page.locator('#hits li', { hasText: 'Thai › line 2' });
  await hit.waitFor();
  assert.equal(await hit.locator('mark').first().textContent(), 'สถานี');
  // Spanish without its accent, and a one-word English source query.
  await page.fill('#search', 'estacion');
  await page.press('#search', 'Enter');
  await page.locator('#hits li', { hasText: 'Spanish › line 2' }).waitFor();
  await page.screenshot({ path: path.join(shots, 'search.png') });
  await page.locator('#hits li', { hasText: 'Spanish › line 2' }).locator('a').click();
  await page.waitForSelector('#lines li.line.selected[data-id="2"]');
  assert.equal(await page.evaluate(() => location.hash), '#/drama/ep1/es/2');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a linguist\'s page opens on their assignments, and the board shows an approval made through the API', async () => {
  const admin = { token: station.tokens.admin };
  const put = await station.api('PUT', '/api/series/drama/people/ana-editor', { ...admin, body: { languages: ['es', 'ar'] } });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  const made = await station.api('POST', '/api/series/drama/assignments',
    { ...admin, body: { language: 'es', first_episode: 'ep1', linguist: 'ana-editor', due: '2020-01-01' } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  try {
    // Rejected first (whatever earlier tests left), so that the approval is news.
    const revisions = Object.fromEntries((await apiLines('es')).lines.map((l) => [l.id, l.revision]));
    const review = (body) => station.api('POST', '/api/series/drama/episodes/ep1/languages/es/review', { token: station.tokens.editor, body });
    assert.equal((await review({ decision: 'rejected', comment: 'again, please', revisions })).status, 201);

    const { page, context, problems } = await openPage('editor', null, '#board-view:not([hidden]) table.board');
    assert.match(await page.locator('#board-title').textContent(), /^My assignments/);
    assert.equal(await page.evaluate(() => location.hash), '#board/drama?mine=1');
    const cell = page.locator('table.board tr[data-episode="ep1"] td[data-language="es"]');
    assert.equal(await cell.getAttribute('data-state'), 'in-review');
    assert.match(await cell.textContent(), /in review.*by ana-editor.*late \(due 2020-01-01\)/);
    // Only ana's: the other languages' cells of ep1 are empty.
    assert.equal(await page.locator('table.board tr[data-episode="ep1"] td[data-state]').count(), 1);
    await page.screenshot({ path: path.join(shots, 'board-mine.png') });

    // Approved through the API: the board changes by itself (the series' events), late no more.
    assert.equal((await review({ decision: 'approved', revisions })).status, 201);
    await page.waitForSelector('table.board tr[data-episode="ep1"] td[data-language="es"][data-state="cleared"]', { timeout: 30000 });
    assert.doesNotMatch(await cell.textContent(), /late/);
    assert.match(await page.locator('#board-summary').textContent(), /\d+ cleared/);
    await page.screenshot({ path: path.join(shots, 'board-cleared.png') });

    // The filters: late ones of mine (none now), then the whole board, every language.
    await page.check('#filter-late');
    await page.waitForFunction(() => location.hash === '#board/drama?mine=1&late=1');
    await page.waitForFunction(() => document.getElementById('board-table').textContent.includes('No version matches'));
    await page.uncheck('#filter-late');
    await page.uncheck('#filter-mine');
    await page.waitForFunction(() => location.hash === '#board/drama');
    await page.waitForFunction(() => document.querySelectorAll('table.board tr[data-episode="ep1"] td[data-state]').length === 3);
    assert.equal(await page.locator('#board-title').textContent(), 'Board: drama');
    // A cell opens the version for review.
    await page.click('table.board tr[data-episode="ep1"] td[data-language="es"] a');
    await page.waitForSelector('#lines li.line');
    assert.equal(await page.evaluate(() => location.hash), '#/drama/ep1/es');
    assert.deepEqual(problems, []);
    await context.close();
  } finally {  // the next tests' editor pages open on the list of episodes again
    assert.equal((await station.api('DELETE', `/api/series/drama/assignments/${made.json.id}`, admin)).status, 200);
  }
});
