// What the browser and API tests of the review station stand on: a series that has run, with
// tokens, served by `dramaloc serve` on a free port of 127.0.0.1 (startStation); Debian's
// Chromium driven by playwright-core (launchBrowser); and the folder screenshots go to
// (artifactsDir).
import { execFile, spawn } from 'node:child_process';
import { constants as fsConstants, mkdirSync } from 'node:fs';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

import { chromium } from 'playwright-core';

// The three lines of the episode's script, as tests/integration/serve_test.cpp has them.
const SCRIPT_SRT =
  '1\n00:00:00,500 --> 00:00:02,000\nGood morning.\n\n' +
  '2\n00:00:02,800 --> 00:00:04,600\nWhere is the station?\n\n' +
  '3\n00:00:05,200 --> 00:00:07,000\nThe house is big.\n';

// The dramaloc binary the tests run: DRAMALOC_BIN (CTest sets it to the one just built).
export async function dramalocBin() {
  const bin = process.env.DRAMALOC_BIN;
  if (!bin) throw new Error('DRAMALOC_BIN is not set: give the dramaloc binary (ctest sets it)');
  try {
    await access(bin, fsConstants.X_OK);
  } catch {
    throw new Error(`DRAMALOC_BIN=${bin} is not an executable file`);
  }
  return bin;
}

// Runs `bin args…` to the end; its stdout, or an Error naming the command, its exit and stderr.
function run(bin, args) {
  const command = [bin, ...args].join(' ');
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        // error.code: the exit status, or why it could not start (ENOENT, …)
        const how = typeof error.code === 'number' ? `exit ${error.code}` : error.signal ? `signal ${error.signal}` : error.code;
        reject(new Error(`${command} failed (${how}): ${String(stderr).trim() || error.message}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

// Starts `dramaloc serve` and waits for its "dramaloc: serving N series on http://HOST:PORT/…"
// line on stderr (what follows the port has changed as the server grew: only the origin is
// read); the child and its URL (http://127.0.0.1:PORT, no trailing slash).
function startServe(bin, args, timeoutMs = 30000) {
  const command = [bin, ...args].join(' ');
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // The server logs to stderr for as long as it runs: keep reading it (a full pipe would stop
  // the server), keeping the end of it for error messages.
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-64 * 1024);
  });
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${command} ${why}: ${log.trim() || '(no output)'}`));
    };
    const timer = setTimeout(() => fail(`did not say where it serves within ${timeoutMs / 1000} s`), timeoutMs);
    const onData = () => {
      const m = log.match(/dramaloc: serving \d+ series on (http:\/\/[^\s/]+:\d+)\//);
      if (!m) return;
      clearTimeout(timer);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      resolve({ child, url: m[1], log: () => log });
    };
    const onExit = (code, signal) => fail(`exited (${code !== null ? `exit ${code}` : `signal ${signal}`}) before serving`);
    const onError = (e) => fail(`could not start (${e.message})`);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

// Stops a child: SIGINT (what Ctrl-C sends; the server stops cleanly), SIGKILL after graceMs.
function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

// A model server's translations, for languages the embedded translator (apertium) lacks:
// an OpenAI-compatible /v1/chat/completions on 127.0.0.1 answering dramaloc's requests
// (docs/engines.md) from `table` (language -> source line -> translation). A double for an
// external service's protocol, as tests/support/fake_openai_server.cpp is for the C++ tests.
async function startTranslator(table) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      try {
        const request = JSON.parse(body);
        const system = request.messages[0].content;
        const to = (system.match(/ to [^(]*\(([A-Za-z-]+)\) for subtitles/) || [])[1] || '?';
        const user = JSON.parse(request.messages[1].content);
        const lines = user.translate.map((l) => ({ id: l.id, text: (table[to] || {})[l.text] || `[${to}] ${l.text}` }));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify({ lines }) } }] }));
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `the test translator cannot read this: ${e.message}` } }));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((resolve) => server.close(resolve)) };
}


// One request to `base` (the station's URL, or a proxy's in front of it), the body sent as
// JSON unless it is a string: {status, json, headers}; json is null when the answer is not JSON.
export async function request(base, method, apiPath, { token, body, type } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = type || 'application/json';
  const response = await fetch(base + apiPath, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: json stays null
  }
  return { status: response.status, json, headers: response.headers };
}

// A series of one generated episode (ep1: 8 s, seed 2, its three lines imported from an SRT)
// run from English into `languages`, three tokens (ana-viewer, ana-editor, ana-admin), and
// `dramaloc serve` over it, as Serve::SetUpTestSuite in tests/integration/serve_test.cpp.
//
// Returns { url, tokens: {viewer, editor, admin}, dir, api, stop, serverLog }:
//   url    http://127.0.0.1:PORT (the API is under /api/)
//   dir    the series' folder (drama.toml, episodes/, scripts/, out/)
//   api(method, path, {token, body, type}) -> {status, json, headers}: one request, body sent as
//          JSON; json is null when the answer is not JSON
//   stop() stops the server and removes dir (kept when DRAMALOC_KEEP_TEST_FILES is set)
//   serverLog() the end of the server's stderr (its log), for failure messages
//   translations  when given (language -> source line -> text), the series translates through
//          a test model server answering from it (any language), not apertium
//   policy  when given, the text of a content policy pack (policy/market.toml of the series)
//   title   when given, the series' title ([series] title; without it the API names the
//          series by its id)
export async function startStation({ bin, languages = ['es'], translations = null, policy = null, title = null }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dramaloc-web-'));
  const removeDir = async () => {
    if (!process.env.DRAMALOC_KEEP_TEST_FILES) await rm(dir, { recursive: true, force: true });
  };
  let server;
  let translator;
  try {
    if (translations) translator = await startTranslator(translations);
    const toml = path.join(dir, 'drama.toml');
    await mkdir(path.join(dir, 'episodes'));
    await mkdir(path.join(dir, 'scripts'));
    // sample_episode(path, 8, 2) in tests/support/sample_episode.hpp: 8 seconds, seed 2, the
    // rest as `sample make` has it by default.
    await run(bin, ['sample', 'make', path.join(dir, 'episodes', 'ep1.mp4'), '--seconds', '8', '--seed', '2', '-q']);
    await writeFile(path.join(dir, 'scripts', 'ep1.srt'), SCRIPT_SRT);
    if (policy) {
      await mkdir(path.join(dir, 'policy'));
      await writeFile(path.join(dir, 'policy', 'market.toml'), policy);
    }
    await writeFile(
      toml,
      '[series]\nfrom = "en"\n' +
        (title ? `title = ${JSON.stringify(title)}\n` : '') +
        `to = [${languages.map((l) => JSON.stringify(l)).join(', ')}]\n` +
        'episodes = ["episodes/ep*.mp4"]\nsource = "srt:scripts/{episode}.srt"\nout = "out"\n' +
        (policy ? 'policy = ["policy/*.toml"]\n' : '') +
        (translator ? `\n[engines.translate]\nbackend = "openai"\nurl = "${translator.url}"\nmodel = "test"\n` : '') +
        // a character of the series who does not speak in ep1 (a low voice; the sample's is high)
        '\n[cast.ben]\nname = "Ben"\npitch_hz = 90\nregister = "low"\n',
    );
    await run(bin, ['run', toml, '-q']);
    const tokens = {};
    for (const role of ['viewer', 'editor', 'admin']) {
      tokens[role] = (await run(bin, ['token', 'create', toml, '--role', role, '--label', `ana-${role}`])).trim();
      if (!tokens[role].startsWith('dlt_')) throw new Error(`dramaloc token create --role ${role} printed no token: ${tokens[role]}`);
    }
    server = await startServe(bin, ['serve', toml, '--listen', '127.0.0.1:0']);
    const { url } = server;

    const api = (method, apiPath, options) => request(url, method, apiPath, options);

    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await stopChild(server.child);
      if (translator) await translator.close();
      await removeDir();
    };
    return { url, tokens, dir, api, stop, serverLog: server.log };
  } catch (e) {
    if (server) await stopChild(server.child);
    if (translator) await translator.close();
    await removeDir();
    throw e;
  }
}

// Debian's Chromium (CHROMIUM overrides the path) under playwright-core, headless. Missing, it
// is an error, never a skipped test.
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  try {
    await access(executablePath, fsConstants.X_OK);
  } catch {
    throw new Error(`Chromium is not installed: run ./scripts/install-deps.sh (no executable ${executablePath})`);
  }
  return chromium.launch({
    executablePath,
    // --no-sandbox: the tests may run as root (in containers, CI), where Chromium's sandbox
    // refuses to start; the pages are the tests' own.
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'],
  });
}

// Where screenshots and other evidence go: DRAMALOC_TEST_ARTIFACTS (CTest sets it under the
// build folder), else a folder under the system's temporary folder. Created.
export function artifactsDir() {
  const dir = process.env.DRAMALOC_TEST_ARTIFACTS || path.join(os.tmpdir(), 'dramaloc-test-artifacts', 'web');
  mkdirSync(dir, { recursive: true });
  return dir;
}
