// Load on `dramaloc serve` (bench/serve_bench.sh starts the server and passes its address):
//   1. baseline: one client reading an episode's lines, one request at a time;
//   2. CLIENTS clients at once, each with the series' event stream open, reading the lines
//      (then a pause of THINK_MS), EDITORS of them also saving their own line every 2 s;
//   3. a crowd: STREAMS (1000) event streams and SLOW (200) clients sending a request's header a
//      byte a second (reconnecting when cut off) while READERS (50) clients read the lines, for
//      CROWD_SECONDS (20): the readers' latency and errors, streams kept, server memory;
//   4. edit -> re-rendered: on the idle server, a line saved, timed until the event stream says
//      the episode's render is done (three times; the median).
// Readers revalidate with the ETag of their last answer, as the page's browser does (304 when
// nothing changed); the baseline reads the whole answer every time.
// Prints figures, one per line, as "name: value". Node.js 20, nothing from npm.
// Usage: node serve_load.mjs URL VIEWER_TOKEN EDITOR_TOKEN SERIES EPISODE LANGUAGE SERVER_PID
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const [url, viewer, editor, series, episode, language, pid] = process.argv.slice(2);
const CLIENTS = Number(process.env.CLIENTS || 100);
const EDITORS = Number(process.env.EDITORS || 10);
const SECONDS = Number(process.env.LOAD_SECONDS || 30);
const THINK_MS = Number(process.env.THINK_MS || 100);
const lines = `${url}/api/series/${series}/episodes/${episode}/languages/${language}/lines`;
const auth = (token) => ({ Authorization: `Bearer ${token}` });

const percentile = (values, p) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (v) => `${v.toFixed(1)} ms`;
const memory = () => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number((status.match(new RegExp(`${name}:\\s+(\\d+) kB`)) || [0, 0])[1]) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM'), threads: Number((status.match(/Threads:\s+(\d+)/) || [0, 0])[1]) };
};

async function timed(method, target, token, body, headers = {}) {
  const start = performance.now();
  const response = await fetch(target, {
    method,
    headers: { ...auth(token), ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - start, json: text.startsWith('{') ? JSON.parse(text) : null,
           etag: response.headers.get('etag') };
}

// A reader as a page is: it keeps its last answer and asks again with its ETag.
function reader() {
  let last = null;
  let etag = null;
  return async () => {
    const r = await timed('GET', lines, viewer, undefined, etag ? { 'If-None-Match': etag } : {});
    if (r.status === 200) {
      last = r.json;
      etag = r.etag;
    }
    return { ...r, json: r.status === 304 ? last : r.json };
  };
}

// The series' event stream: calls on(name, data) per event until the signal aborts.
async function stream(token, signal, on) {
  const response = await fetch(`${url}/api/series/${series}/events`, { headers: auth(token), signal });
  if (response.status !== 200) throw new Error(`events: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = (block.match(/^event: (.*)$/m) || [])[1];
        const data = (block.match(/^data: (.*)$/m) || [])[1];
        if (name) on(name, data ? JSON.parse(data) : null);
      }
    }
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

// 1. Baseline.
const first = await timed('GET', lines, viewer);
if (first.status !== 200) throw new Error(`GET lines: HTTP ${first.status}`);
const ids = first.json.lines.map((l) => l.id);
const baseline = [];
for (let i = 0; i < 200; i++) baseline.push((await timed('GET', lines, viewer)).ms);
console.log(`lines in the episode: ${ids.length}`);
console.log(`baseline GET lines, 1 client: p50 ${ms(percentile(baseline, 50))}, p99 ${ms(percentile(baseline, 99))}`);
const idle = memory();
console.log(`server memory idle: ${idle.rss.toFixed(0)} MB (threads ${idle.threads})`);

// 2. Load.
const reads = [];
const writes = [];
const statuses = new Map();
let events = 0;
let streamErrors = 0;
const count = (status) => statuses.set(status, (statuses.get(status) || 0) + 1);
const stop = AbortSignal.timeout(SECONDS * 1000 + 2000);
const deadline = performance.now() + SECONDS * 1000;
let busiest = idle;
const watch = setInterval(() => {
  const m = memory();
  if (m.rss > busiest.rss) busiest = m;
}, 250);
const clients = [];
for (let c = 0; c < CLIENTS; c++) {
  clients.push(stream(viewer, stop, () => { events++; }).catch(() => { streamErrors++; }));
  const isEditor = c < EDITORS;
  clients.push((async () => {
    const read = reader();
    await sleep(Math.random() * THINK_MS);
    let nextEdit = performance.now() + Math.random() * 2000;
    let n = 0;
    while (performance.now() < deadline) {
      try {
        const r = await read();
        count(r.status);
        reads.push(r.ms);
        if (isEditor && performance.now() >= nextEdit) {
          const id = ids[c % ids.length];
          const line = r.json.lines.find((l) => l.id === id);
          const w = await timed('PUT', `${lines}/${id}`, editor, { text: `${line.machine} (${c}.${n++})`, revision: line.revision });
          count(w.status);
          writes.push(w.ms);
          nextEdit = performance.now() + 2000;
        }
      } catch (e) {
        count(`error: ${e.cause?.code || e.message}`);
      }
      await sleep(THINK_MS);
    }
  })());
}
await Promise.all(clients);
clearInterval(watch);
const ok = (s) => (s >= 200 && s < 300) || s === 304;
const errors = [...statuses].filter(([s]) => !ok(s)).reduce((sum, [, n]) => sum + n, 0);
console.log(`load: ${CLIENTS} clients (each an event stream open, reading lines every ${THINK_MS} ms with their ETag), ${EDITORS} of them saving a line every 2 s, ${SECONDS} s`);
console.log(`  GET lines: ${reads.length} (${(reads.length / SECONDS).toFixed(0)}/s), p50 ${ms(percentile(reads, 50))}, p99 ${ms(percentile(reads, 99))} (target <= 100 ms; ${(percentile(reads, 99) / percentile(baseline, 99)).toFixed(1)}x the baseline p99)`);
console.log(`  PUT line:  ${writes.length}, p50 ${ms(percentile(writes, 50))}, p99 ${ms(percentile(writes, 99))}`);
console.log(`  answers: ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
console.log(`  errors: ${errors} (target: none); event streams broken: ${streamErrors}; events received: ${events}`);
console.log(`  server memory under load: ${busiest.rss.toFixed(0)} MB (threads ${busiest.threads}); peak ${memory().peak.toFixed(0)} MB`);

// 3. A crowd: many idle event streams and slow clients while some read.
{
  const STREAMS = Number(process.env.STREAMS || 1000);
  const SLOW = Number(process.env.SLOW || 200);
  const READERS = Number(process.env.READERS || 50);
  const CROWD = Number(process.env.CROWD_SECONDS || 20);
  const { hostname, port } = new URL(url);
  const crowdReads = [];
  const crowdStatuses = new Map();
  let streamsOpen = 0;
  let streamsLost = 0;
  let slowCut = 0;
  let ending = false;
  const sockets = [];
  for (let i = 0; i < STREAMS; i++) {
    const socket = net.connect(Number(port), hostname);
    socket.on('connect', () => {
      socket.write(`GET /api/series/${series}/events HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${viewer}\r\n\r\n`);
    });
    let counted = false;
    socket.on('data', (d) => { if (!counted && d.toString().startsWith('HTTP/1.1 200')) { counted = true; streamsOpen++; } });
    socket.on('error', () => {});
    socket.on('close', () => { if (counted && !ending) streamsLost++; });
    sockets.push(socket);
    if (i % 100 === 99) await sleep(20);
  }
  // Slow clients: a request's header a byte a second, again when cut off.
  const header = `GET /api/series/${series}/episodes HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${viewer}\r\n\r\n`;
  const slowOne = () => {
    if (ending) return;
    const socket = net.connect(Number(port), hostname);
    let at = 0;
    const tick = setInterval(() => { if (at < header.length) socket.write(header[at++]); }, 1000);
    socket.on('error', () => {});
    socket.on('close', () => { clearInterval(tick); if (!ending) { slowCut++; slowOne(); } });
    sockets.push(socket);
  };
  for (let i = 0; i < SLOW; i++) slowOne();
  await sleep(1000);
  const before = memory();
  let crowdPeak = before;
  const crowdWatch = setInterval(() => { const m = memory(); if (m.rss > crowdPeak.rss) crowdPeak = m; }, 250);
  const crowdDeadline = performance.now() + CROWD * 1000;
  const readers = [];
  for (let c = 0; c < READERS; c++) {
    readers.push((async () => {
      const read = reader();
      await sleep(Math.random() * THINK_MS);
      while (performance.now() < crowdDeadline) {
        try {
          const r = await read();
          crowdStatuses.set(r.status, (crowdStatuses.get(r.status) || 0) + 1);
          crowdReads.push(r.ms);
        } catch (e) {
          const k = `error: ${e.cause?.code || e.message}`;
          crowdStatuses.set(k, (crowdStatuses.get(k) || 0) + 1);
        }
        await sleep(THINK_MS);
      }
    })());
  }
  await Promise.all(readers);
  clearInterval(crowdWatch);
  const crowdErrors = [...crowdStatuses].filter(([s]) => !ok(s)).reduce((sum, [, n]) => sum + n, 0);
  console.log(`crowd: ${STREAMS} event streams and ${SLOW} slow clients (a byte a second) while ${READERS} clients read the lines every ${THINK_MS} ms, ${CROWD} s`);
  console.log(`  GET lines: ${crowdReads.length}, p50 ${ms(percentile(crowdReads, 50))}, p99 ${ms(percentile(crowdReads, 99))} (target <= 100 ms)`);
  console.log(`  answers: ${[...crowdStatuses].map(([s, n]) => `${s}: ${n}`).join(', ')}; errors: ${crowdErrors} (target: none)`);
  console.log(`  event streams open: ${streamsOpen} of ${STREAMS}, lost: ${streamsLost}; slow clients cut off by the header deadline: ${slowCut}`);
  console.log(`  server memory: ${before.rss.toFixed(0)} MB with the crowd connected, peak ${crowdPeak.rss.toFixed(0)} MB (target <= 300 MB), threads ${crowdPeak.threads}`);
  ending = true;
  for (const socket of sockets) socket.destroy();
  await sleep(500);
}

// 4. Edit -> re-rendered, on the idle server (the load's renders finished first).
const settle = async () => {
  for (;;) {
    const r = await timed('GET', lines, viewer);
    if (r.json.render !== 'queued' && r.json.render !== 'rendering' && !r.json.lines.some((l) => l.stale)) return r.json;
    await sleep(250);
  }
};
const renders = [];
for (let i = 0; i < 3; i++) {
  const now = await settle();
  const line = now.lines[Math.floor(now.lines.length / 2)];
  const controller = new AbortController();
  let started = 0;
  const done = new Promise((resolve, reject) => {
    stream(viewer, controller.signal, (name, data) => {
      if (name === 'ready' && !started) {
        started = performance.now();
        timed('PUT', `${lines}/${line.id}`, editor, { text: `${line.machine} (render ${i})`, revision: line.revision })
          .then((w) => { if (w.status !== 200) reject(new Error(`PUT: HTTP ${w.status}`)); });
      }
      if (name === 'render' && data.episode === episode && started && (data.render === 'done' || data.render.startsWith('failed'))) {
        if (data.render !== 'done') reject(new Error(`render ${data.render}`));
        resolve(performance.now() - started);
      }
    }).catch(reject);
  });
  renders.push(await done);
  controller.abort();
}
console.log(`edit -> re-rendered episode available: ${renders.map((v) => (v / 1000).toFixed(2)).join(' s, ')} s; median ${(percentile(renders, 50) / 1000).toFixed(2)} s`);
console.log(`RENDER_MEDIAN_S=${(percentile(renders, 50) / 1000).toFixed(3)}`);
