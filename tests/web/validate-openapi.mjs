// Checks an OpenAPI 3.1 document (docs/openapi.yaml): node validate-openapi.mjs PATH
//
// Prints one line per problem and exits 1, or "openapi: PATH valid (N paths)" and exits 0.
// Three checks, because no one library does all of them:
//   1. the YAML itself (syntax, duplicate keys), with the `yaml` package;
//   2. every local $ref points at something, and every Schema Object is a valid JSON Schema
//      2020-12 schema (OpenAPI 3.1's default dialect), with Ajv; @readme/openapi-parser checks
//      the document's structure against the OpenAPI 3.1 schema, but that schema accepts any
//      object as a Schema Object (`type: strng` passes), and it stops at the first broken $ref;
//   3. the document against the OpenAPI 3.1 schema and the rules the schema cannot express
//      (path parameters declared and required, unique operationIds, …): @readme/openapi-parser.
import { readFile } from 'node:fs/promises';
import process from 'node:process';

import { validate as validateOpenApi } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import { LineCounter, parseDocument, isMap, isSeq } from 'yaml';

const OAS_BASE_DIALECT = 'https://spec.openapis.org/oas/3.1/dialect/base';
const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// "/a/b~1c" -> ['a', 'b/c'] (RFC 6901), for pointers with or without the leading '#'.
function pointerToPath(pointer) {
  const p = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (p === '') return [];
  return p.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

// ['paths', '/api/x', 'get'] -> "#/paths/~1api~1x/get"
function pathToPointer(path) {
  return '#' + path.map((s) => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

// Every Schema Object of an OpenAPI 3.1 document, where the specification puts them, as
// [path, schema]. Reference Objects are skipped (the $ref check covers them); schemas nested
// inside a schema are checked by the meta-schema with their parent.
function schemaLocations(api) {
  const found = [];
  const content = (c, path) => {
    if (!isObject(c)) return;
    for (const [type, media] of Object.entries(c)) {
      if (!isObject(media)) continue;
      if ('schema' in media) found.push([[...path, type, 'schema'], media.schema]);
      if (isObject(media.encoding)) {
        for (const [name, enc] of Object.entries(media.encoding)) {
          if (isObject(enc)) headers(enc.headers, [...path, type, 'encoding', name, 'headers']);
        }
      }
    }
  };
  // A Parameter or Header Object: a schema, or a content map.
  const parameter = (p, path) => {
    if (!isObject(p) || '$ref' in p) return;
    if ('schema' in p) found.push([[...path, 'schema'], p.schema]);
    content(p.content, [...path, 'content']);
  };
  const headers = (h, path) => {
    if (isObject(h)) for (const [name, header] of Object.entries(h)) parameter(header, [...path, name]);
  };
  const parameters = (list, path) => {
    if (Array.isArray(list)) list.forEach((p, i) => parameter(p, [...path, i]));
  };
  const response = (r, path) => {
    if (!isObject(r) || '$ref' in r) return;
    headers(r.headers, [...path, 'headers']);
    content(r.content, [...path, 'content']);
  };
  const requestBody = (b, path) => {
    if (isObject(b) && !('$ref' in b)) content(b.content, [...path, 'content']);
  };
  const callbacks = (c, path) => {
    if (!isObject(c)) return;
    for (const [name, cb] of Object.entries(c)) {
      if (isObject(cb) && !('$ref' in cb)) {
        for (const [expr, item] of Object.entries(cb)) pathItem(item, [...path, name, expr]);
      }
    }
  };
  const operation = (op, path) => {
    if (!isObject(op)) return;
    parameters(op.parameters, [...path, 'parameters']);
    requestBody(op.requestBody, [...path, 'requestBody']);
    if (isObject(op.responses)) {
      for (const [code, r] of Object.entries(op.responses)) response(r, [...path, 'responses', code]);
    }
    callbacks(op.callbacks, [...path, 'callbacks']);
  };
  // A Path Item may have a $ref beside its own fields in 3.1: both are looked at.
  const pathItem = (item, path) => {
    if (!isObject(item)) return;
    parameters(item.parameters, [...path, 'parameters']);
    for (const m of METHODS) if (m in item) operation(item[m], [...path, m]);
  };
  for (const top of ['paths', 'webhooks']) {
    if (isObject(api[top])) for (const [name, item] of Object.entries(api[top])) pathItem(item, [top, name]);
  }
  const c = isObject(api.components) ? api.components : {};
  if (isObject(c.schemas)) for (const [name, s] of Object.entries(c.schemas)) found.push([['components', 'schemas', name], s]);
  if (isObject(c.parameters)) for (const [name, p] of Object.entries(c.parameters)) parameter(p, ['components', 'parameters', name]);
  headers(c.headers, ['components', 'headers']);
  if (isObject(c.responses)) for (const [name, r] of Object.entries(c.responses)) response(r, ['components', 'responses', name]);
  if (isObject(c.requestBodies)) for (const [name, b] of Object.entries(c.requestBodies)) requestBody(b, ['components', 'requestBodies', name]);
  callbacks(c.callbacks, ['components', 'callbacks']);
  if (isObject(c.pathItems)) for (const [name, item] of Object.entries(c.pathItems)) pathItem(item, ['components', 'pathItems', name]);
  return found;
}

// Every "$ref": "#/…" in the document whose target does not exist, as [path, ref]. (A $ref
// inside a schema with its own $id would be relative to that $id; this document has none.)
function brokenLocalRefs(api) {
  const broken = [];
  const resolves = (ref) => {
    let node = api;
    for (const key of pointerToPath(ref)) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
      node = node[key];
    }
    return true;
  };
  const walk = (node, path) => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, [...path, i]));
    } else if (isObject(node)) {
      for (const [key, v] of Object.entries(node)) {
        if (key === '$ref' && typeof v === 'string' && v.startsWith('#') && !resolves(v)) broken.push([[...path, key], v]);
        else walk(v, [...path, key]);
      }
    }
  };
  walk(api, []);
  return broken;
}

// Ajv's errors for one schema, one per place: the first (most specific) message there, without
// the anyOf/oneOf summaries that only repeat it.
function schemaErrors(ajv, schema) {
  if (ajv.validateSchema(schema)) return [];
  const byPlace = new Map();
  for (const e of ajv.errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    if (byPlace.has(e.instancePath)) continue;
    let message = e.message;
    if (e.params?.allowedValues) message += ` (${e.params.allowedValues.join(', ')})`;
    byPlace.set(e.instancePath, message);
  }
  return [...byPlace].map(([place, message]) => [pointerToPath(place), message]);
}

// @readme/openapi-parser's messages carry a code frame over the document as JSON (its line
// numbers are not the YAML file's): keep the message, the frame's hint and the offending text.
function oneLine(message) {
  const lines = String(message).split('\n');
  const blank = lines.findIndex((l) => l.trim() === '');
  const head = (blank < 0 ? lines : lines.slice(0, blank)).map((l) => l.trim()).join(' ');
  const offending = lines.find((l) => /^\s*>\s*\d+\s*\|/.test(l));
  const hint = lines.find((l) => /^\s*\|\s*\^/.test(l));
  let out = head;
  if (hint) out += ': ' + hint.replace(/^\s*\|\s*\^+\s*/, '');
  if (offending) out += ` (at ${offending.replace(/^\s*>\s*\d+\s*\|\s*/, '').replace(/,$/, '')})`;
  return out;
}

async function main() {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error('usage: node validate-openapi.mjs PATH (an OpenAPI 3.1 document, YAML or JSON)');
    return 2;
  }
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    console.error(`openapi: cannot read ${file}: ${e.message}`);
    return 1;
  }

  // One line per problem, each once (a problem in a shared component is found at every use).
  const problems = new Set();
  const report = (line, message) => problems.add(`openapi: ${file}${line ? ':' + line : ''}: ${message}`);

  // 1. The YAML (JSON is YAML too).
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  for (const e of doc.errors) {
    const at = e.linePos?.[0];
    report(at && `${at.line}:${at.col}`, e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
  }
  if (doc.errors.length) return finish(problems);
  const api = doc.toJS();
  if (!isObject(api)) {
    report(null, 'not an OpenAPI document (the top level is not a mapping)');
    return finish(problems);
  }

  // The line of a path in the file: its own, else its nearest parent's that exists.
  const lineOf = (path) => {
    let node = doc.contents;
    let line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(p.key?.value ?? p.key) === String(key));
        node = pair?.value;
        if (pair?.key?.range) line = lineCounter.linePos(pair.key.range[0]).line;
      } else if (isSeq(node)) {
        node = node.items[Number(key)];
        if (node?.range) line = lineCounter.linePos(node.range[0]).line;
      } else {
        break;
      }
      if (node === undefined) break;
    }
    return line;
  };

  if (typeof api.openapi !== 'string' || !api.openapi.startsWith('3.1.')) {
    report(lineOf(['openapi']), `openapi is ${JSON.stringify(api.openapi ?? null)}; this check is for OpenAPI 3.1 (3.1.x)`);
    return finish(problems);
  }

  // 2. Local $refs, and every Schema Object against JSON Schema 2020-12. A document that
  // chose another dialect (jsonSchemaDialect, or $schema in a schema) is left to the parser.
  const broken = brokenLocalRefs(api);
  for (const [path, ref] of broken) report(lineOf(path), `${pathToPointer(path)}: "${ref}" points at nothing`);
  const dialect = api.jsonSchemaDialect ?? OAS_BASE_DIALECT;
  if (dialect === OAS_BASE_DIALECT || dialect === JSON_SCHEMA_2020_12) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    for (const [path, schema] of schemaLocations(api)) {
      if (isObject(schema) && '$schema' in schema && schema.$schema !== JSON_SCHEMA_2020_12 && schema.$schema !== OAS_BASE_DIALECT) continue;
      for (const [inner, message] of schemaErrors(ajv, schema)) {
        report(lineOf([...path, ...inner]), `${pathToPointer([...path, ...inner])}: ${message}`);
      }
    }
  }

  // 3. The document against the OpenAPI 3.1 schema and rules. Its first broken $ref stops it
  // (it cannot dereference the document), so that message is left out when 2 found it.
  try {
    const result = await validateOpenApi(file);
    if (!result.valid) {
      for (const e of result.errors) {
        if (broken.length && /^Missing \$ref pointer/.test(e.message)) continue;
        report(null, oneLine(e.message));
      }
      if (result.additionalErrors) report(null, `and ${result.additionalErrors} more errors`);
    }
    for (const w of result.warnings ?? []) console.error(`openapi: ${file}: warning: ${oneLine(w.message)}`);
  } catch (e) {
    report(null, oneLine(e.message));
  }

  if (problems.size) return finish(problems);
  const paths = isObject(api.paths) ? Object.keys(api.paths).length : 0;
  console.log(`openapi: ${file} valid (${paths} paths)`);
  return 0;
}

function finish(problems) {
  for (const p of problems) console.error(p);
  return problems.size ? 1 : 0;
}

process.exitCode = await main();
