import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020 as Ajv2020Class, ValidateFunction } from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
import { DISTILLATION_EXTENSION_ID, DISTILLATION_EXTENSION_SCHEMA } from './extension.js';
import { parseStixTimestamp } from './ids.js';
import { patternError } from './pattern.js';
import { tlpLevelOfMarking } from './tlp.js';
import { objectVersion, type StixObject } from './types.js';

/**
 * ajv and its formats (~70 ms to load) are required when a validator is built, not when this
 * module is imported: everything that imports the STIX face (every scan, to write its bundle)
 * would otherwise pay for them. Both are CommonJS, so `require` keeps the builder synchronous.
 */
const requireCjs = createRequire(import.meta.url);
function loadAjv(): { Ajv2020: typeof Ajv2020Class; addFormats: typeof addFormatsModule.default } {
  const { Ajv2020 } = requireCjs('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class };
  // ajv-formats' module.exports is the plugin; under NodeNext its types see it as `.default`.
  const addFormats = requireCjs('ajv-formats') as typeof addFormatsModule.default;
  return { Ajv2020, addFormats };
}

const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

export interface ValidationIssue {
  /** Object id, or "bundle". */
  id: string;
  message: string;
}

export interface StixValidator {
  /** Official-schema and semantic checks over a whole bundle (references must resolve inside it). */
  validateBundle(bundle: unknown, opts?: { externalRefs?: ReadonlySet<string> }): ValidationIssue[];
  /** Checks one object on its own: schema, timestamps, pattern, our extension. */
  validateObject(obj: unknown): ValidationIssue[];
}

/**
 * Load-time overlay for two official patterns (core.json, cyber-observable-core.json) whose
 * nested quantifier `([a-z][a-z0-9]*)+` backtracks exponentially on long hyphenated keys such
 * as `extension-definition--<uuid>`: seconds per object. Each replacement denotes the same
 * language (one or more letter-led runs of [a-z0-9] is a letter followed by [a-z0-9]*);
 * `validate.test.ts` checks both forms agree. The files on disk are not touched.
 */
export const PATTERN_OVERLAY: Readonly<Record<string, string>> = {
  '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-?$': '^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$',
  '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-ext$': '^[a-z][a-z0-9]*(-[a-z0-9]+)*-ext$',
};

function overlay(node: unknown, key?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => overlay(n));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    // patternProperties keys are patterns too.
    for (const [k, v] of Object.entries(node))
      out[key === 'patternProperties' ? (PATTERN_OVERLAY[k] ?? k) : k] = overlay(v, k);
    return out;
  }
  if (key === 'pattern' && typeof node === 'string') return PATTERN_OVERLAY[node] ?? node;
  return node;
}

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJson(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Types the bundle schema only checks as "custom": validate them against their own schema too. */
const OWN_SCHEMA: Record<string, string> = {
  note: 'sdos/note.json',
  opinion: 'sdos/opinion.json',
  grouping: 'sdos/grouping.json',
  location: 'sdos/location.json',
  incident: 'sdos/incident.json',
  'extension-definition': 'common/extension-definition.json',
};

function ajvErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
    .join('; ');
}

/** The `*_ref` / `*_refs` values of an object, at any depth except inside extensions' keys. */
export function referencesOf(obj: unknown, out: string[] = []): string[] {
  if (Array.isArray(obj)) {
    for (const x of obj) referencesOf(x, out);
  } else if (obj !== null && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) {
      if (k.endsWith('_ref') && typeof v === 'string') {
        out.push(v);
      } else if (k.endsWith('_refs') && Array.isArray(v)) {
        for (const r of v) if (typeof r === 'string') out.push(r);
      } else if (typeof v === 'object') {
        referencesOf(v, out);
      }
    }
  }
  return out;
}

function semanticIssues(o: StixObject, validateExt: ValidateFunction): string[] {
  const issues: string[] = [];
  const ts = (name: string): number | null => {
    const v = o[name];
    if (typeof v !== 'string') return null;
    try {
      return parseStixTimestamp(v);
    } catch {
      issues.push(`${name} is not a timestamp`);
      return null;
    }
  };
  const order = (a: string, b: string, strict: boolean): void => {
    const x = ts(a);
    const y = ts(b);
    if (x !== null && y !== null && (strict ? y <= x : y < x))
      issues.push(`${b} must be ${strict ? 'after' : 'at or after'} ${a}`);
  };
  order('created', 'modified', false);
  order('first_seen', 'last_seen', false);
  order('first_observed', 'last_observed', false);
  order('valid_from', 'valid_until', true);
  if (o.type === 'indicator' && o['pattern_type'] === 'stix' && typeof o['pattern'] === 'string') {
    const err = patternError(o['pattern']);
    if (err !== null) issues.push(`pattern does not parse: ${err}`);
  }
  const exts = o['extensions'];
  if (exts !== null && typeof exts === 'object') {
    const ours = (exts as Record<string, unknown>)[DISTILLATION_EXTENSION_ID];
    if (ours !== undefined && !validateExt(ours))
      issues.push(`distillation extension: ${ajvErrors(validateExt)}`);
  }
  return issues;
}

/**
 * Builds a validator from the official OASIS STIX 2.1 JSON schemas, loaded offline from
 * `schemaDir` (the `schemas/` folder of oasis-open/cti-stix2-json-schemas), plus the checks
 * the schemas cannot make: references resolve, modified ≥ created, patterns parse, our
 * extension matches its own JSON schema.
 * @example createStixValidator('../shared/stix2-json-schemas/schemas').validateBundle(bundle)
 */
export function createStixValidator(schemaDir: string): StixValidator {
  const { Ajv2020, addFormats } = loadAjv();
  // unicodeRegExp:false: core.json's type pattern uses `\-`, invalid under the `u` flag.
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: false });
  addFormats(ajv);
  ajv.addFormat('idn-hostname', true);
  for (const file of listJson(schemaDir))
    ajv.addSchema(overlay(JSON.parse(readFileSync(file, 'utf8'))) as object);
  const get = (rel: string): ValidateFunction => {
    const v = ajv.getSchema(BASE + rel);
    if (!v) throw new Error(`STIX schema ${rel} missing under ${schemaDir}`);
    return v;
  };
  const bundleV = get('common/bundle.json');
  const validateExt = ajv.compile(DISTILLATION_EXTENSION_SCHEMA);
  const byType = new Map<string, ValidateFunction>();
  for (const [dir, types] of [
    [
      'sdos',
      [
        'attack-pattern',
        'campaign',
        'course-of-action',
        'grouping',
        'identity',
        'incident',
        'indicator',
        'infrastructure',
        'intrusion-set',
        'location',
        'malware',
        'malware-analysis',
        'note',
        'observed-data',
        'opinion',
        'report',
        'threat-actor',
        'tool',
        'vulnerability',
      ],
    ],
    ['sros', ['relationship', 'sighting']],
    ['common', ['marking-definition', 'extension-definition', 'language-content']],
  ] as const) {
    for (const t of types) byType.set(t, get(`${dir}/${t}.json`));
  }
  const scoCore = get('common/cyber-observable-core.json');
  const core = get('common/core.json');

  const validateObject = (obj: unknown): ValidationIssue[] => {
    const id =
      obj !== null && typeof obj === 'object' && typeof (obj as { id?: unknown }).id === 'string'
        ? (obj as { id: string }).id
        : '(no id)';
    const type = obj !== null && typeof obj === 'object' ? (obj as { type?: unknown }).type : undefined;
    const v =
      typeof type === 'string'
        ? (byType.get(type) ?? (type.startsWith('x-') && !('created' in (obj as object)) ? scoCore : core))
        : core;
    if (!v(obj)) return [{ id, message: ajvErrors(v) }];
    return semanticIssues(obj as StixObject, validateExt).map((message) => ({ id, message }));
  };

  const validateBundle = (
    bundle: unknown,
    opts?: { externalRefs?: ReadonlySet<string> },
  ): ValidationIssue[] => {
    if (!bundleV(bundle)) return [{ id: 'bundle', message: ajvErrors(bundleV) }];
    const objects = (bundle as { objects?: StixObject[] }).objects ?? [];
    const issues: ValidationIssue[] = [];
    const ids = new Set(objects.map((o) => o.id));
    const versions = new Set<string>();
    for (const o of objects) {
      const key = `${o.id}@${objectVersion(o)}`;
      if (versions.has(key))
        issues.push({ id: o.id, message: `duplicate object version ${objectVersion(o)}` });
      versions.add(key);
      if (OWN_SCHEMA[o.type] !== undefined || o.type.startsWith('x-')) issues.push(...validateObject(o));
      else issues.push(...semanticIssues(o, validateExt).map((message) => ({ id: o.id, message })));
      for (const ref of referencesOf(o)) {
        if (!ids.has(ref) && tlpLevelOfMarking(ref) === undefined && !opts?.externalRefs?.has(ref)) {
          issues.push({ id: o.id, message: `reference ${ref} does not resolve in the bundle` });
        }
      }
    }
    return issues;
  };

  return { validateBundle, validateObject };
}

/** Where the official schemas live: STILLWATCH_STIX_SCHEMAS, else ../shared relative to the working directory. */
export function defaultSchemaDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env['STILLWATCH_STIX_SCHEMAS'] ?? join(process.cwd(), '..', 'shared', 'stix2-json-schemas', 'schemas')
  );
}
