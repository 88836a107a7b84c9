import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy, PolicyError } from './index.js';

const MINIMAL = `version: 1
name: test
rules:
  - id: r1
    applies_to: account
    when: { field: account.score, gte: 0.5 }
    then:
      action: review
      reason: score {account.score}
`;

function errorOf(text: string): PolicyError {
  try {
    loadPolicy(text, 'p.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected a PolicyError');
}

describe('loadPolicy', () => {
  it('loads the shipped default policy', () => {
    const p = loadPolicy(readFileSync('policies/default.yaml', 'utf8'), 'policies/default.yaml');
    expect(p.name).toBe('default');
    expect(p.rules.map((r) => r.id)).toContain('ban-confirmed-campaign');
    expect(p.defaults.ttl).toBe(86_400_000);
    expect(p.allowlist[0]?.expires).toBe(Date.parse('2027-06-30T00:00:00Z'));
  });

  it('fills defaults and parses durations', () => {
    const p = loadPolicy(MINIMAL.replace('reason: score', 'ttl: 90m\n      reason: score'), 'p.yaml');
    expect(p.rules[0]?.then.ttl).toBe(90 * 60_000);
    expect(p.source).toBe('p.yaml');
  });

  it('names the line and field of an invalid action', () => {
    const err = errorOf(MINIMAL.replace('action: review', 'action: nuke'));
    expect(err.issues[0]).toMatchObject({ line: 8, col: 15, field: 'rules[0].then.action' });
    expect(err.message).toContain('p.yaml:8:15: rules[0].then.action');
    expect(err.message).toContain('expected action to be one of');
  });

  it('points at an unknown key itself', () => {
    const err = errorOf(MINIMAL.replace('reason: score', 'tll: 5m\n      reason: score'));
    expect(err.issues[0]).toMatchObject({ line: 9, col: 7, field: 'rules[0].then.tll', message: 'unknown key' });
  });

  it('rejects unknown fields in conditions with the line of the field', () => {
    const err = errorOf(MINIMAL.replace('account.score, gte', 'account.scor, gte'));
    expect(err.issues[0]?.line).toBe(6);
    expect(err.issues[0]?.field).toBe('rules[0].when.field');
  });

  it('reports a missing required field at its parent', () => {
    const err = errorOf(MINIMAL.replace('      reason: score {account.score}\n', ''));
    expect(err.issues[0]).toMatchObject({ line: 8, field: 'rules[0].then.reason' });
  });

  it('requires throttle rates and an allowlist expiry', () => {
    const throttle = errorOf(MINIMAL.replace('action: review', 'action: throttle\n      params: {}'));
    expect(throttle.message).toContain('throttle needs rpm, tpm or both');
    const allow = errorOf(MINIMAL.replace('rules:', 'allowlist:\n  - { subject: "account:a", owner: o, reason: r }\nrules:'));
    expect(allow.issues[0]).toMatchObject({ line: 4, field: 'allowlist[0].expires' });
  });

  it('rejects duplicate rule ids and ban-campaign on accounts', () => {
    const dup = errorOf(MINIMAL + MINIMAL.slice(MINIMAL.indexOf('  - id: r1')));
    expect(dup.message).toContain('duplicate rule id "r1"');
    const ban = errorOf(MINIMAL.replace('action: review', 'action: ban-campaign'));
    expect(ban.message).toContain('ban-campaign needs applies_to: campaign');
  });

  it('reports YAML syntax errors with their line', () => {
    const err = errorOf('version: 1\nname: [unclosed\nrules: []\n');
    expect(err.issues[0]?.line).toBeGreaterThanOrEqual(2);
    expect(err.code).toBe('INVALID_CONFIG');
  });
});
