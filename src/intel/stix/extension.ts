import { stixId } from './ids.js';

/**
 * The stillwatch distillation-indicator extension, version 1.0.0. Its id is derived from
 * name and version, so a later version is a new extension-definition and both can coexist.
 * Its JSON schema travels inside the object (`schema` may be plain text, STIX 2.1 §7.3),
 * so a peer can validate our extension offline.
 */
export const DISTILLATION_EXTENSION_VERSION = '1.0.0';
export const DISTILLATION_EXTENSION_NAME = 'stillwatch distillation indicators';
export const TRAFFIC_SUMMARY_TYPE = 'x-stillwatch-traffic-summary';

/** Object types used in our indicator patterns: never shared as objects, only matched against. */
export const PATTERN_TYPES = {
  infra: 'x-stillwatch-infra',
  template: 'x-stillwatch-template',
  behaviour: 'x-stillwatch-behaviour',
} as const;

const HEX128 = { type: 'string', pattern: '^[0-9a-f]{32}$' } as const;
const COUNT = { type: 'integer', minimum: 0, maximum: 999999999 } as const;

export const DISTILLATION_EXTENSION_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `urn:stillwatch:stix-extension:distillation-indicators:${DISTILLATION_EXTENSION_VERSION}`,
  title: 'stillwatch distillation indicators',
  description:
    'Property extension for indicator and infrastructure objects, and the x-stillwatch-traffic-summary SCO. ' +
    'Every identifier is an HMAC-SHA256 (first 128 bits) under the community key named by key_id; ' +
    'MinHash slots are keyed the same way. No raw identifier or prompt text is ever present.',
  oneOf: [{ $ref: '#/$defs/property' }, { $ref: '#/$defs/sco' }],
  $defs: {
    property: {
      type: 'object',
      additionalProperties: false,
      required: ['extension_type', 'extension_version', 'key_id', 'indicator_kind'],
      properties: {
        extension_type: { const: 'property-extension' },
        extension_version: { const: DISTILLATION_EXTENSION_VERSION },
        key_id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
        indicator_kind: { enum: ['infrastructure', 'template', 'behaviour', 'campaign-infrastructure'] },
        accounts: COUNT,
        keyed_hashes: {
          type: 'array',
          maxItems: 5000,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'hmac', 'accounts'],
            properties: {
              kind: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$' },
              hmac: HEX128,
              accounts: COUNT,
            },
          },
        },
        template_sketches: {
          type: 'array',
          maxItems: 64,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['algorithm', 'slots', 'accounts'],
            properties: {
              algorithm: { const: 'minhash-keyed-slots-v1' },
              slots: {
                type: 'array',
                minItems: 8,
                maxItems: 1024,
                items: { type: 'integer', minimum: 0, maximum: 4294967295 },
              },
              accounts: COUNT,
            },
          },
        },
        lsh: {
          type: 'object',
          additionalProperties: false,
          required: ['rows'],
          properties: { rows: { type: 'integer', minimum: 1, maximum: 64 } },
        },
        min_similarity: { type: 'number', minimum: 0, maximum: 1 },
        behaviour: {
          type: 'object',
          additionalProperties: false,
          required: ['buckets', 'fingerprint'],
          properties: {
            buckets: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 15 } },
            fingerprint: HEX128,
          },
        },
      },
    },
    sco: {
      type: 'object',
      additionalProperties: false,
      required: ['extension_type'],
      properties: { extension_type: { const: 'new-sco' } },
    },
  },
} as const;

export const STILLWATCH_PROJECT_IDENTITY = {
  type: 'identity',
  spec_version: '2.1',
  id: stixId('identity', { name: 'stillwatch project', identity_class: 'system' }),
  created: '2026-11-01T00:00:00.000Z',
  modified: '2026-11-01T00:00:00.000Z',
  name: 'stillwatch project',
  identity_class: 'system',
  description: 'Author of the stillwatch distillation-indicator STIX extension.',
} as const;

export const DISTILLATION_EXTENSION_ID = stixId('extension-definition', {
  name: DISTILLATION_EXTENSION_NAME,
  version: DISTILLATION_EXTENSION_VERSION,
});

export const DISTILLATION_EXTENSION_DEFINITION = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: DISTILLATION_EXTENSION_ID,
  created_by_ref: STILLWATCH_PROJECT_IDENTITY.id,
  created: '2026-11-01T00:00:00.000Z',
  modified: '2026-11-01T00:00:00.000Z',
  name: DISTILLATION_EXTENSION_NAME,
  description:
    'Keyed hashes of infrastructure values, keyed MinHash sketches of prompt templates and bucketed behavioural ' +
    'fingerprints of model-distillation campaigns, plus a counts-only traffic-summary SCO.',
  schema: JSON.stringify(DISTILLATION_EXTENSION_SCHEMA),
  version: DISTILLATION_EXTENSION_VERSION,
  extension_types: ['property-extension', 'new-sco'],
} as const;
