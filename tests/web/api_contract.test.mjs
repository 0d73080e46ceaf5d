// The server answers as docs/openapi.yaml says: every route is called, and every answer's
// status must be one the file documents for that route, with a body that validates against
// the schema documented for that status (JSON Schema 2020-12, as OpenAPI 3.1 has it).
// Two judges say so: the requests go through Stoplight Prism's validating proxy
// (support/prism.mjs), a tool we did not write, which checks each request and answer against
// the file; and each answer is checked again here with Ajv.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';

import { describeViolation, startPrism, violations } from './support/prism.mjs';
import { dramalocBin, request, startStation } from './support/station.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
let station;
let prism;
let doc;
let ajv;
const called = new Set();

before(async () => {
  doc = parse(await readFile(path.join(here, '..', '..', 'docs', 'openapi.yaml'), 'utf8'));
  ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  ajv.addSchema(doc, 'openapi');
  // A pack that warns of a word of line 3 in Spanish: findings to resolve, none blocking.
  station = await startStation({
    bin: await dramalocBin(),
    policy: '[pack]\nname = "es-market"\nversion = "1"\nlanguages = ["es"]\n\n[[term]]\ntext = "casa"\nseverity = "warn"\n',
  });
  prism = await startPrism({ upstream: station.url });
});

after(async () => {
  if (prism) await prism.stop();
  if (station) await station.stop();
});

const pointer = (...parts) => parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

// The documented route a concrete path is an instance of.
function routeOf(method, concrete) {
  for (const template of Object.keys(doc.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(concrete) && doc.paths[template][method.toLowerCase()]) return template;
  }
  return null;
}

// Calls the API through Prism and checks the answer against the file; returns it.
//
// Two judges: Prism (a tool we did not write) checks the request and the answer and names what
// breaks the file in the sl-violations header; then our own Ajv check of the status and body.
// The answer must break nothing. The request must break nothing either, but for a request
// made wrong on purpose to see the station refuse it: `breaks` lists what Prism must find
// wrong with it, each "LOCATION: CODE" ("request.body: required"), no more and no fewer.
// `direct`, a reason, sends the request to the station itself, past Prism (Ajv checks still).
async function call(method, apiPath, { role, body, type: sentType, expect, breaks = [], direct } = {}) {
  const token = role ? station.tokens[role] : undefined;
  const answer = await request(direct ? station.url : prism.url, method, apiPath, { token, body, type: sentType });
  const where = `${method} ${apiPath} -> ${answer.status}${direct ? ` (past Prism: ${direct})` : ''}`;
  if (!direct) {
    // An error of Prism's own (it could not forward, or read the answer) is not the station's.
    assert.ok(!String(answer.json?.type).startsWith('https://stoplight.io/prism/errors'), `${where}: Prism answered itself: ${JSON.stringify(answer.json)}\n${prism.log().slice(-4000)}`);
    const found = violations(answer.headers);
    const list = found.length ? `\n  ${found.map(describeViolation).join('\n  ')}` : ' none';
    const wrong = found.filter((v) => v.location?.[0] !== 'request' || !breaks.includes(`${v.location.join('.')}: ${v.code}`));
    assert.equal(wrong.length, 0, `${where}: Prism found violations of docs/openapi.yaml:${list}`);
    const seen = new Set(found.map((v) => `${v.location.join('.')}: ${v.code}`));
    const missed = breaks.filter((b) => !seen.has(b));
    assert.equal(missed.length, 0, `${where}: a request made wrong on purpose, but Prism did not find ${missed.join(', ')} (it found:${list})`);
  }
  if (expect !== undefined) assert.equal(answer.status, expect, `${where}: ${JSON.stringify(answer.json)}`);
  const template = routeOf(method, apiPath.split('?')[0]);
  assert.ok(template, `${method} ${apiPath} is not a documented route`);
  called.add(`${method} ${template}`);
  let response = doc.paths[template][method.toLowerCase()].responses[String(answer.status)];
  assert.ok(response, `${where}: status ${answer.status} is not documented for ${method} ${template}`);
  let responsePointer = pointer('paths', template, method.toLowerCase(), 'responses', answer.status);
  if (response.$ref) {
    responsePointer = response.$ref.slice(2);
    response = responsePointer.split('/').reduce((o, k) => o[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
  }
  const type = (answer.headers.get('content-type') || '').split(';')[0];
  if (response.content && type.endsWith('json')) {
    assert.ok(response.content[type], `${where}: ${type} is not documented (${Object.keys(response.content)})`);
    const validate = ajv.getSchema(`openapi#/${responsePointer}/${pointer('content', type, 'schema')}`);
    const ok = validate(answer.json);
    assert.ok(ok, `${where}: the body does not match the documented schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.json)}`);
  }
  return answer;
}

async function waitRendered(language = 'es') {
  for (let i = 0; i < 600; i++) {
    const { json } = await call('GET', `/api/series/drama/episodes/ep1/languages/${language}/lines`, { role: 'viewer', expect: 200 });
    if (json.render !== 'queued' && json.render !== 'rendering') return json;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the render did not end in 120 s');
}

test('every route answers as the OpenAPI file documents, successes and problems alike', async () => {
  const lines = '/api/series/drama/episodes/ep1/languages/es/lines';
  await call('GET', '/api/health', { expect: 200 });
  // Signing in and out; who is signed in.
  await call('GET', '/api/session', { expect: 200 });
  await call('GET', '/api/session', { role: 'viewer', expect: 200 });
  await call('POST', '/api/session', { body: { token: station.tokens.viewer }, expect: 200 });
  await call('POST', '/api/session', { body: { token: 'dlt_nope' }, expect: 401 });
  await call('POST', '/api/session', { body: { nothing: true }, expect: 400, breaks: ['request.body: required'] });
  await call('DELETE', '/api/session', { expect: 204 });
  // Input that is not what the route takes.
  await call('PUT', '/api/series/drama/episodes/ep1/languages/es/lines/1', { role: 'editor', body: '{"text": "x", "revision": 0}', type: 'text/plain', expect: 415, breaks: ['request: 415'] });
  await call('PUT', '/api/series/drama/episodes/ep1/languages/es/lines/1', { role: 'editor', body: { text: 'a\u2028b', revision: 0 }, expect: 400 });
  await call('GET', '/api/search?q=%00', { role: 'viewer', expect: 400 });
  await call('GET', '/api/series', { role: 'viewer', expect: 200 });
  await call('GET', '/api/series', { expect: 401, breaks: ['request: 401'] });
  await call('GET', '/api/series/drama/episodes', { role: 'viewer', expect: 200 });
  await call('GET', '/api/series/nope/episodes', { role: 'viewer', expect: 404 });
  const first = await call('GET', lines, { role: 'viewer', expect: 200 });
  await call('GET', '/api/series/drama/episodes/ep1/languages/fr/lines', { role: 'viewer', expect: 404 });

  await call('PUT', `${lines}/1`, { role: 'viewer', body: { text: 'Hola.', revision: 0 }, expect: 403 });
  // Past Prism: it parses a JSON body before it forwards it, and answers one that does not parse
  // itself (its own 400, in application/json): the station would never see this one.
  await call('PUT', `${lines}/1`, { role: 'editor', body: '{"text": ', expect: 400, direct: 'Prism answers malformed JSON itself' });
  await call('PUT', `${lines}/1`, { role: 'editor', body: { text: 'Buenos días a todos.', revision: 0 }, expect: 200 });
  await call('PUT', `${lines}/1`, { role: 'editor', body: { text: 'Hola.', revision: 0 }, expect: 409 });
  await call('PUT', `${lines}/9`, { role: 'editor', body: { text: 'Hola.', revision: 0 }, expect: 404 });
  const review = '/api/series/drama/episodes/ep1/languages/es/review';
  const revisions = () => Object.fromEntries(first.json.lines.map((l) => [l.id, l.id === 1 ? 1 : l.revision]));
  const early = await call('POST', review, { role: 'editor', body: { decision: 'approved', revisions: revisions() } });
  assert.ok([201, 409].includes(early.status), `approved while the edit may still render: 409 until it is, then 201 (${early.status})`);
  await waitRendered();
  await call('POST', `${lines}/2/redub`, { role: 'editor', body: { revision: 0 }, expect: 202 });
  await call('POST', `${lines}/2/redub`, { role: 'editor', body: { revision: 0 }, expect: 409 });
  const speakerOf1 = first.json.lines[0].speaker;
  await call('PUT', `${lines}/1/speaker`, { role: 'editor', body: { speaker: 'nobody', revision: 1 }, expect: 400 });
  const same = await call('PUT', `${lines}/1/speaker`, { role: 'editor', body: { speaker: speakerOf1, revision: 1 }, expect: 200 });
  assert.equal(same.json.changed, false, 'already theirs');
  const rendered = await waitRendered();
  const seen = Object.fromEntries(rendered.lines.map((l) => [l.id, l.revision]));
  await call('POST', review, { role: 'editor', body: { decision: 'maybe', revisions: seen }, expect: 400, breaks: ['request.body.decision: enum'] });
  await call('POST', review, { role: 'editor', body: { decision: 'approved', comment: 'ok', revisions: seen }, expect: 201 });

  // Through Prism a file's status, headers and type are judged, not its bytes: Prism reads a
  // body that is not JSON as UTF-8 text and sends that on (a WAV comes out about twice as long).
  await call('GET', rendered.media.dub, { role: 'viewer', expect: 200 });
  await call('GET', '/api/series/drama/episodes/ep1/files/manifest.json', { role: 'viewer', expect: 404 });
  await call('GET', '/api/series/drama/episodes/ep1/source', { role: 'viewer', expect: 200 });
  // Uploads as the file has them (application/octet-stream; the station reads no Content-Type:
  // FFmpeg says what the bytes are). Text bytes only, for the same reason: Prism would mangle a
  // real video's on its way to the station.
  await call('PUT', '/api/series/drama/episodes/ep9/source', { role: 'editor', body: 'x', type: 'application/octet-stream', expect: 403 });
  await call('PUT', '/api/series/drama/episodes/ep9/source', { role: 'admin', body: 'not a video at all', type: 'application/octet-stream', expect: 415 });
  await call('GET', '/api/series/nope/events', { role: 'viewer', expect: 404 });

  // The library: the edit above is found at once, with its place and a highlight.
  const found = await call('GET', '/api/search?q=' + encodeURIComponent('dias TODOS') + '&lang=es', { role: 'viewer', expect: 200 });
  assert.ok(found.json.hits.some((h) => h.episode === 'ep1' && h.line === 1 && h.edited && h.matches.length > 0), JSON.stringify(found.json));
  await call('GET', '/api/search?q=', { role: 'viewer', expect: 400 });
  await call('GET', '/api/search?q=&series=drama&offset=801', { role: 'viewer', expect: 400, breaks: ['request.query.offset: maximum'] });
  await call('GET', '/api/search?q=&series=drama', { role: 'viewer', expect: 200 });
  await call('GET', '/api/search?q=x&series=nope', { role: 'viewer', expect: 404 });
  await call('GET', '/api/search?q=x&limit=0', { role: 'viewer', expect: 400, breaks: ['request.query.limit: minimum'] });
  await call('GET', '/api/search?q=x', { expect: 401, breaks: ['request: 401'] });

  // Content review: the warning on line 3 resolved, with a reason.
  const { json: now } = await call('GET', lines, { role: 'viewer', expect: 200 });
  const warning = now.lines.flatMap((l) => l.findings).find((f) => f.severity === 'warn');
  assert.ok(warning, `a finding of the pack on line 3: ${JSON.stringify(now.lines.map((l) => l.text))}`);
  const findings = '/api/series/drama/episodes/ep1/languages/es/findings';
  await call('POST', `${findings}/${warning.id}`, { role: 'editor', body: { decision: 'accepted' }, expect: 400, breaks: ['request.body: required'] });
  await call('POST', `${findings}/nope`, { role: 'editor', body: { decision: 'accepted', reason: 'fine' }, expect: 404 });
  await call('POST', `${findings}/${warning.id}`, { role: 'viewer', body: { decision: 'accepted', reason: 'fine' }, expect: 403 });
  const resolved = await call('POST', `${findings}/${warning.id}`, { role: 'editor', body: { decision: 'accepted', reason: 'a train station' }, expect: 201 });
  assert.equal(resolved.json.finding.resolution.decision, 'accepted');

  // The production board: people and an assignment (admin), the board (viewer).
  await call('PUT', '/api/series/drama/people/ana-editor', { role: 'admin', body: { languages: ['es'] }, expect: 200 });
  await call('PUT', '/api/series/drama/people/bo', { role: 'editor', body: { languages: ['es'] }, expect: 403 });
  await call('PUT', '/api/series/drama/people/bo', { role: 'admin', body: { languages: [] }, expect: 400, breaks: ['request.body.languages: minItems'] });
  await call('PUT', '/api/series/drama/people/bo', { role: 'admin', body: { languages: ['es'] }, expect: 200 });
  const people = await call('GET', '/api/series/drama/people', { role: 'viewer', expect: 200 });
  assert.deepEqual(people.json.people.map((p) => p.name), ['ana-editor', 'bo']);
  const assignments = '/api/series/drama/assignments';
  await call('POST', assignments, { role: 'admin', body: { language: 'es', first_episode: 'ep1', linguist: 'nobody' }, expect: 400 });
  const made = await call('POST', assignments, { role: 'admin', body: { language: 'es', first_episode: 'ep1', linguist: 'ana-editor', reviewer: 'bo', due: '2020-01-01' }, expect: 201 });
  await call('GET', assignments, { role: 'viewer', expect: 200 });
  await call('PATCH', `${assignments}/${made.json.id}`, { role: 'admin', body: { due: null }, expect: 200 });
  await call('PATCH', `${assignments}/999999`, { role: 'admin', body: { due: null }, expect: 404 });
  const board = await call('GET', '/api/series/drama/board?mine=1', { role: 'editor', expect: 200 });
  assert.deepEqual(board.json.versions.map((v) => [v.episode, v.language, v.state]), [['ep1', 'es', 'cleared']]);
  await call('GET', '/api/series/drama/board?late=yes', { role: 'viewer', expect: 400, breaks: ['request.query.late: enum'] });
  await call('GET', '/api/series/nope/board', { role: 'viewer', expect: 404 });
  await call('DELETE', `${assignments}/${made.json.id}`, { role: 'admin', expect: 200 });
  await call('DELETE', '/api/series/drama/people/bo', { role: 'admin', expect: 200 });
  await call('DELETE', '/api/series/drama/people/bo', { role: 'admin', expect: 404 });

  // The event stream: its type and its first events, read from the start of the stream.
  // Straight from the station, past Prism: Prism reads an answer to its end before it checks
  // and forwards it, and this one does not end (nothing at all comes through it).
  const controller = new AbortController();
  const response = await fetch(`${station.url}/api/series/drama/events`, {
    headers: { Authorization: `Bearer ${station.tokens.viewer}` },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const reader = response.body.getReader();
  let text = '';
  while (!text.includes('event: ready')) {
    const { value, done } = await reader.read();
    assert.ok(!done, `the stream ended before ready: ${text}`);
    text += new TextDecoder().decode(value);
  }
  assert.match(text, /event: render\ndata: \{"episode":"ep1","render":"done"\}/);
  controller.abort();
  called.add('GET /api/series/{series}/events');

  // Every documented route was called.
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops).filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m)).map((m) => `${m.toUpperCase()} ${p}`));
  assert.deepEqual([...called].sort(), documented.sort());
});
