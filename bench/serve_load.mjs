// Load on `dramaloc serve` (bench/serve_bench.sh starts the server and passes its address):
//   1. baseline: one client reading an episode's lines, one request at a time;
//   2. CLIENTS clients at once, each with the series' event stream open, reading the lines
//      (then a pause of THINK_MS), EDITORS of them also saving their own line every 2 s;
//   3. edit -> re-rendered: on the idle server, a line saved, timed until the event stream says
//      the episode's render is done (three times; the median).
// Prints figures, one per line, as "name: value". Node.js 20, nothing from npm.
// Usage: node serve_load.mjs URL VIEWER_TOKEN EDITOR_TOKEN SERIES EPISODE LANGUAGE SERVER_PID
import { readFileSync } from 'node:fs';
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

async function timed(method, target, token, body) {
  const start = performance.now();
  const response = await fetch(target, {
    method,
    headers: { ...auth(token), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - start, json: text.startsWith('{') ? JSON.parse(text) : null };
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
    await sleep(Math.random() * THINK_MS);
    let nextEdit = performance.now() + Math.random() * 2000;
    let n = 0;
    while (performance.now() < deadline) {
      try {
        const r = await timed('GET', lines, viewer);
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
const errors = [...statuses].filter(([s]) => !(s >= 200 && s < 300)).reduce((sum, [, n]) => sum + n, 0);
console.log(`load: ${CLIENTS} clients (each an event stream open, reading lines every ${THINK_MS} ms), ${EDITORS} of them saving a line every 2 s, ${SECONDS} s`);
console.log(`  GET lines: ${reads.length} (${(reads.length / SECONDS).toFixed(0)}/s), p50 ${ms(percentile(reads, 50))}, p99 ${ms(percentile(reads, 99))} (${(percentile(reads, 99) / percentile(baseline, 99)).toFixed(1)}x the baseline p99)`);
console.log(`  PUT line:  ${writes.length}, p50 ${ms(percentile(writes, 50))}, p99 ${ms(percentile(writes, 99))}`);
console.log(`  answers: ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
console.log(`  errors: ${errors} (target: none); event streams broken: ${streamErrors}; events received: ${events}`);
console.log(`  server memory under load: ${busiest.rss.toFixed(0)} MB (threads ${busiest.threads}); peak ${memory().peak.toFixed(0)} MB`);

// 3. Edit -> re-rendered, on the idle server (the load's renders finished first).
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
