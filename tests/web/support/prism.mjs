// A judge we did not write: Stoplight Prism's validating proxy (tests/prism, pinned by its
// package-lock.json, installed by scripts/install-deps.sh; never downloaded here) in front of a
// running station. Every request sent to its URL is checked against docs/openapi.yaml,
// forwarded to the station, and the station's answer checked in turn; what breaks the file is
// named in the answer's sl-violations header (violations below).
//
// Prism runs without --errors on purpose: with it, Prism answers a request that breaks the
// file itself (422, or 401 when no credentials come) instead of forwarding it, so the station's
// own refusals - part of the contract - would never be judged. Without it every request is
// forwarded and every answer passes through as the station sent it; the header still names
// each violation of the request and of the answer, and the test fails on them.
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PRISM = path.join(root, 'tests', 'prism', 'node_modules', '.bin', 'prism');
const OPENAPI = path.join(root, 'docs', 'openapi.yaml');

// Starts `prism proxy DOCUMENT UPSTREAM` on a free port of 127.0.0.1 and waits for its
// "Prism is listening on http://127.0.0.1:PORT" line.
//
// Returns { url, stop, log, command }:
//   url      http://127.0.0.1:PORT (no trailing slash): send the requests here
//   stop()   stops Prism
//   log()    the end of Prism's output (each request, what it forwarded, the violations)
//   command  the command line it runs with, for messages
export async function startPrism({ upstream, document = OPENAPI, timeoutMs = 30000 }) {
  try {
    await access(PRISM, fsConstants.X_OK);
  } catch {
    throw new Error(`Stoplight Prism is not installed: run ./scripts/install-deps.sh (no executable ${PRISM})`);
  }
  // --port 0: the system picks a free port, which Prism prints. --no-cors: the answers carry
  // the station's headers only (Prism would add Access-Control-* ones and answer preflight
  // OPTIONS itself).
  const args = ['proxy', document, upstream, '--host', '127.0.0.1', '--port', '0', '--no-cors', '--errors=false'];
  const command = [PRISM, ...args].join(' ');
  const child = spawn(PRISM, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Plain text, no colour codes, in the log.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  // Prism logs for as long as it runs: keep reading (a full pipe would stop it), keeping the end.
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk).slice(-256 * 1024);
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = await new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (why) => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`${command} ${why}: ${log.trim() || '(no output)'}`));
    };
    const timer = setTimeout(() => fail(`did not say where it listens within ${timeoutMs / 1000} s`), timeoutMs);
    const onData = () => {
      const m = log.match(/Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (!m) return;
      done();
      resolve(m[1]);
    };
    const onExit = (code, signal) => fail(`exited (${code !== null ? `exit ${code}` : `signal ${signal}`}) before listening`);
    const onError = (e) => fail(`could not start (${e.message})`);
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });

  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  return { url, stop, log: () => log, command };
}

// The violations Prism found in a request and its answer, from the answer's sl-violations
// header: [{location: ['request'|'response', …], severity, code, message}], [] when none.
// A header Prism had to cut ("Too many violations! …") is an error naming what it holds.
export function violations(headers) {
  const value = headers.get('sl-violations');
  if (value === null) return [];
  try {
    const list = JSON.parse(value);
    if (Array.isArray(list)) return list;
  } catch {
    // not a list: said below
  }
  throw new Error(`Prism's sl-violations header is not a list of violations: ${value}`);
}

// One violation as a line: "response.body.lines.0.id (Error, type): Response body property …".
export const describeViolation = (v) => `${(v.location || []).join('.')} (${v.severity}, ${v.code}): ${v.message}`;
