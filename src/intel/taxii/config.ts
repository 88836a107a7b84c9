import { z } from 'zod';
import { TLP_LEVELS } from '../stix/index.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256');

export const CollectionConfig = z.object({
  // Real servers (medallion among them) use ids that are UUID-shaped but not RFC 4122: accept the shape.
  id: z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'expected a UUID'),
  title: z.string().min(1),
  description: z.string().optional(),
  alias: z.string().optional(),
  media_types: z.array(z.string()).default([STIX_MEDIA_TYPE]),
});
export type CollectionConfig = z.infer<typeof CollectionConfig>;

export const ApiRootConfig = z.object({
  /** The path segment: `/<name>/`. */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/),
  title: z.string().min(1),
  description: z.string().optional(),
  collections: z.array(CollectionConfig).default([]),
});
export type ApiRootConfig = z.infer<typeof ApiRootConfig>;

export const Permission = z.enum(['read', 'write', 'read-write']);

/**
 * One peer allowed in. Secrets are stored only as SHA-256 digests (the secrets themselves are
 * long random tokens, so a fast hash is enough), compared in constant time.
 */
export const PeerConfig = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  name: z.string().optional(),
  basic: z.object({ username: z.string().min(1), password_sha256: Sha256Hex }).optional(),
  token_sha256: z.array(Sha256Hex).default([]),
  /** The most restrictive TLP level this peer may receive. */
  clearance: z.enum(TLP_LEVELS).default('green'),
  /** Collection id → what the peer may do there. Collections not listed are invisible to it. */
  permissions: z.record(z.string(), Permission).default({}),
});
export type PeerConfig = z.infer<typeof PeerConfig>;

export const TaxiiServerConfig = z.object({
  title: z.string().default('stillwatch TAXII server'),
  description: z.string().optional(),
  contact: z.string().optional(),
  /** Largest request body accepted, in bytes (advertised as max_content_length). */
  max_content_length: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Page size when the client gives no `limit`, and the largest one honoured. */
  default_page_size: z.number().int().positive().default(100),
  max_page_size: z.number().int().positive().default(1000),
  /** How unmarked objects are treated for TLP decisions. */
  unmarked_as: z.enum(TLP_LEVELS).default('amber'),
  default_api_root: z.string().optional(),
  api_roots: z.array(ApiRootConfig).min(1),
  peers: z.array(PeerConfig).default([]),
});
export type TaxiiServerConfig = z.infer<typeof TaxiiServerConfig>;
export type TaxiiServerConfigInput = z.input<typeof TaxiiServerConfig>;

/** A TAXII envelope as posted or returned. */
export const Envelope = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z.array(z.unknown()).optional(),
});

export const StatusResource = z.object({
  id: z.string(),
  status: z.enum(['pending', 'complete']),
  request_timestamp: z.string().optional(),
  total_count: z.number().int(),
  success_count: z.number().int(),
  successes: z
    .array(z.object({ id: z.string(), version: z.string(), message: z.string().optional() }))
    .optional(),
  failure_count: z.number().int(),
  failures: z
    .array(z.object({ id: z.string(), version: z.string(), message: z.string().optional() }))
    .optional(),
  pending_count: z.number().int(),
  pendings: z.array(z.object({ id: z.string(), version: z.string() })).optional(),
});
export type StatusResource = z.infer<typeof StatusResource>;
