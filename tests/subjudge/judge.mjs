// Subtitle judges for the delivery tests: every file named on the command line is parsed by a
// parser dramaloc did not write, and what it finds is printed as one JSON line per file:
//   {"file": ..., "parser": "imsc"|"webvtt-parser", "cues": N, "text_cues": N, "errors": [...], "warnings": [...]}
// .ttml/.xml: npm imsc (W3C's IMSC reference implementation); errors and fatal errors it
//   reports, a missing IMSC 1.1 Text profile designator, and a document with no timed text
//   are errors. Every time event's ISD is generated, so timing and style resolution run too.
// .vtt: npm webvtt-parser (the W3C WebVTT validator's parser) in "subtitles" mode.
// Exit status: 0 when no file has an error, 1 otherwise, 2 for a usage error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// imsc's main module also loads its HTML renderer, which needs a browser; the parser and the
// ISD generator are what the judge uses.
const imsc = {
  fromXML: require("imsc/src/main/js/doc.js").fromXML,
  generateISD: require("imsc/src/main/js/isd.js").generateISD,
};
const { WebVTTParser } = require("webvtt-parser");

const IMSC11_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1.1/text";

function judgeTtml(text) {
  const errors = [];
  const warnings = [];
  const handler = {
    info: () => {},
    warn: (m) => warnings.push(String(m)),
    error: (m) => { errors.push(String(m)); return false; },
    fatal: (m) => { errors.push(String(m)); return true; },
  };
  let doc = null;
  try {
    doc = imsc.fromXML(text, handler);
  } catch (e) {
    errors.push(`imsc: ${e.message ?? e}`);
  }
  if (!/ttp:contentProfiles="[^"]*http:\/\/www\.w3\.org\/ns\/ttml\/profile\/imsc1\.1\/text/.test(text))
    errors.push(`no ttp:contentProfiles naming ${IMSC11_TEXT}`);
  let cues = 0;
  let textCues = 0;
  if (doc) {
    const events = doc.getMediaTimeEvents();
    for (const t of events) {
      const isd = imsc.generateISD(doc, t, handler);
      const shown = JSON.stringify(isd.contents ?? []).match(/"text":"[^"]+"/g) ?? [];
      ++cues;
      if (shown.length > 0) ++textCues;
    }
    if (textCues === 0) errors.push("no time at which any text is shown");
  }
  return { parser: "imsc", cues, text_cues: textCues, errors, warnings };
}

function judgeVtt(text) {
  const parsed = new WebVTTParser().parse(text, "subtitles");
  const errors = parsed.errors.map((e) => `line ${e.line}, column ${e.col}: ${e.message}`);
  const textCues = parsed.cues.filter((c) => c.text.trim() !== "").length;
  if (parsed.cues.length === 0) errors.push("no cues");
  return { parser: "webvtt-parser", cues: parsed.cues.length, text_cues: textCues, errors, warnings: [] };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node judge.mjs FILE.ttml|FILE.vtt ...");
  process.exit(2);
}
let failed = false;
for (const file of files) {
  let result;
  try {
    const text = readFileSync(file, "utf8");
    if (/\.(ttml|xml)$/i.test(file)) result = judgeTtml(text);
    else if (/\.vtt$/i.test(file)) result = judgeVtt(text);
    else result = { parser: "none", cues: 0, text_cues: 0, errors: ["not a .ttml or .vtt file"], warnings: [] };
  } catch (e) {
    result = { parser: "none", cues: 0, text_cues: 0, errors: [String(e.message ?? e)], warnings: [] };
  }
  if (result.errors.length > 0) failed = true;
  console.log(JSON.stringify({ file, ...result }));
}
process.exit(failed ? 1 : 0);
