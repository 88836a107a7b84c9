import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, goldenText, ingestFiles, readGolden } from './fixtures/golden.js';

describe('native NDJSON format: golden fixture', () => {
  it('events, accounts, model releases, a duplicate, invalid records and a truncated last line', async () => {
    const run = await ingestFiles([join(FIXTURES, 'native.ndjson')]);
    const actual = goldenText(run);
    const golden = readGolden('native', actual);
    expect(actual.records).toBe(golden.records);
    expect(actual.dead).toBe(golden.dead);
    expect(actual.counts).toBe(golden.counts);
    expect(run.dead.map((d) => d.line)).toEqual([6, 7, 8, 10]);
  });
});
