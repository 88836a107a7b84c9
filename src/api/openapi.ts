import { z } from 'zod';
import { Action, Decision, DecisionTarget } from '../domain/index.js';
import { Duration } from '../policy/index.js';
import { CONSOLE_PERMISSIONS, type ConsolePermission } from './console-access.js';
import type { Role } from './context.js';
import { PERMISSIONS, type Permission } from './permissions.js';
import { AccountDetailQuery, AccountListQuery, AccountPage } from './routes/accounts.js';
import { CampaignListQuery, CampaignMembersQuery, CampaignPage } from './routes/campaigns.js';
import { FindingsQuery, FindingsResponse } from './routes/findings.js';
import { IntelCollection, IntelObjectPageView, IntelObjectsQuery } from './routes/intel.js';
import { Me, Overview } from './routes/overview.js';
import { AccountResult } from '../domain/index.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), next: z.string().nullable() });
const Paging = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().optional() });
const Reason = z.string().min(3).max(2000);
const Appeal = z.object({ id: z.string(), decision_id: z.string(), account: z.string(), submitted_ts: z.number(), message: z.string(), status: z.enum(['pending', 'upheld', 'overturned']), resolved_ts: z.number().nullable(), resolver: z.string().nullable(), resolution_reason: z.string().nullable() });
const AllowlistEntry = z.object({ id: z.string(), subject: z.string(), owner: z.string(), reason: z.string(), created_ts: z.number(), expires_ts: z.number() });
const AuditEntry = z.object({ seq: z.number().int(), ts: z.number(), actor: z.string(), action: z.string(), target: z.string(), detail: z.record(z.string(), z.unknown()) });
const Json = z.record(z.string(), z.unknown());

/** One route: what it takes and returns (zod), and who may call it. The document is generated from this list. */
interface RouteSpec {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  permission: Permission | ConsolePermission | null;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  write?: boolean;
}

// The decisions API's request bodies mirror the routers in routes/{decisions,allowlist,appeals}.ts.
export const ROUTES: RouteSpec[] = [
  { method: 'get', path: '/v1/me', summary: 'The caller: name, role and permissions', permission: null, response: Me },
  { method: 'get', path: '/v1/overview', summary: 'Counts, accounts first seen and flagged over time, top campaigns, decisions, pending appeals', permission: 'overview:read', response: Overview },
  { method: 'get', path: '/v1/accounts', summary: 'Accounts, filtered, sorted and paged on the server', permission: 'accounts:read', query: AccountListQuery, response: AccountPage },
  { method: 'get', path: '/v1/accounts/{account}', summary: 'One account with its findings (sample prompts are attacker-controlled text)', permission: 'accounts:read', query: AccountDetailQuery, response: AccountResult },
  { method: 'get', path: '/v1/findings', summary: "An account's findings, each signal against its baseline", permission: 'findings:read', query: FindingsQuery, response: FindingsResponse },
  { method: 'get', path: '/v1/campaigns', summary: 'Campaigns by score, paged', permission: 'campaigns:read', query: CampaignListQuery, response: CampaignPage },
  { method: 'get', path: '/v1/campaigns/{id}', summary: 'One campaign analysed: graph edges with linking reasons, timeline, volume per account, capability mix, evidence', permission: 'campaigns:read', response: Json },
  { method: 'get', path: '/v1/campaigns/{id}/accounts', summary: "A campaign's member accounts, paged", permission: 'campaigns:read', query: CampaignMembersQuery, response: AccountPage },
  { method: 'get', path: '/v1/decisions', summary: 'Decisions, newest first', permission: 'decisions:read', query: Paging.extend({ account: z.string().optional(), status: z.enum(['active', 'overridden', 'expired', 'appealed']).optional() }), response: page(Decision) },
  { method: 'get', path: '/v1/decisions/{id}', summary: 'One decision explained: evidence, campaign, appeals', permission: 'decisions:read', response: Json },
  { method: 'post', path: '/v1/decisions', summary: 'Take an action by hand (approve a recommendation)', permission: 'decisions:write', body: z.object({ target: DecisionTarget, action: Action, reason: Reason, params: Decision.shape.params.unwrap().optional(), ttl: Duration.optional() }), response: Decision, write: true },
  { method: 'post', path: '/v1/decisions/{id}/override', summary: 'Override a decision: lift it, or replace its action', permission: 'decisions:write', body: z.object({ reason: Reason, action: Action.optional(), params: Decision.shape.params.unwrap().optional(), ttl: Duration.optional() }), response: Json, write: true },
  { method: 'get', path: '/v1/allowlist', summary: 'Live allowlist entries', permission: 'allowlist:read', response: z.object({ items: z.array(AllowlistEntry) }) },
  { method: 'post', path: '/v1/allowlist', summary: 'Exempt an account, end user or organisation until a date', permission: 'allowlist:write', body: z.object({ subject: z.string(), owner: z.string(), reason: Reason, expires_at: z.iso.datetime({ offset: true }) }), response: AllowlistEntry, write: true },
  { method: 'delete', path: '/v1/allowlist/{id}', summary: 'Remove an allowlist entry', permission: 'allowlist:write', response: Json, write: true },
  { method: 'get', path: '/v1/appeals', summary: 'Appeals, newest first', permission: 'appeals:read', query: Paging.extend({ status: z.enum(['pending', 'upheld', 'overturned']).optional() }), response: page(Appeal) },
  { method: 'get', path: '/v1/appeals/report', summary: 'Appeal outcomes and overturn rate', permission: 'appeals:read', response: Json },
  { method: 'get', path: '/v1/appeals/{id}', summary: 'One appeal', permission: 'appeals:read', response: Appeal },
  { method: 'post', path: '/v1/appeals', summary: 'File an appeal on a decision', permission: 'appeals:create', body: z.object({ decision_id: z.string(), message: z.string().min(1).max(4000), account: z.string().optional() }), response: Appeal, write: true },
  { method: 'post', path: '/v1/appeals/{id}/resolve', summary: 'Resolve an appeal with a reason (overturned lifts the decisions aimed at the account and exempts it from shared ones)', permission: 'appeals:resolve', body: z.object({ outcome: z.enum(['upheld', 'overturned']), reason: Reason }), response: Json, write: true },
  { method: 'get', path: '/v1/audit', summary: 'The append-only audit log, newest first', permission: 'audit:read', query: Paging, response: page(AuditEntry) },
  { method: 'get', path: '/v1/intel/collections', summary: 'Collections shared with peers and received from them', permission: 'intel:read', response: z.object({ items: z.array(IntelCollection) }) },
  { method: 'get', path: '/v1/intel/objects', summary: 'STIX objects of a collection (type=sighting for sightings), paged', permission: 'intel:read', query: IntelObjectsQuery, response: IntelObjectPageView },
];

const schema = (s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function rolesOf(p: RouteSpec['permission']): readonly Role[] {
  if (p === null) return ['analyst', 'admin', 'auditor', 'peer'];
  return (p in PERMISSIONS ? PERMISSIONS[p as Permission] : CONSOLE_PERMISSIONS[p as ConsolePermission]) as readonly Role[];
}

function operation(r: RouteSpec): Record<string, unknown> {
  const params: unknown[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (r.query) {
    const js = schema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) params.push({ name, in: 'query', required: (js.required ?? []).includes(name), schema: s });
  }
  const roles = rolesOf(r.permission);
  const err = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    summary: r.summary,
    description: `Roles: ${roles.join(', ')}.${r.write ? ' Audited write.' : ''}`,
    'x-roles': roles,
    parameters: params,
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body, 'input') } } } } : {}),
    responses: { [r.write && r.method === 'post' && !r.path.includes('}/') ? '201' : '200']: { description: 'ok', content: { 'application/json': { schema: schema(r.response, 'output') } } }, '400': err, '401': err, '403': err, '404': err, '429': err },
  };
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument(serverUrl = '/api'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) (paths[r.path] ??= {})[r.method] = operation(r);
  return {
    openapi: '3.1.0',
    info: { title: 'stillwatch API', version: '1', description: 'Accounts, campaigns, findings, decisions, appeals, allowlist, intel and audit. Bearer-token auth; roles analyst, admin, auditor, peer; rate limited per principal; every write audited.' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } } } },
    },
    paths,
  };
}
