import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mayShare, TLP_LEVELS, tlpMarking, tlpMarkingId, tlpOfObject } from './tlp.js';
import { ATLAS_EXTRACT_AI_MODEL } from './atlas.js';

const TLP_DIR = '../shared/stix-common-objects-tlp2';
const files: Record<string, string> = {
  clear: `${TLP_DIR}/extension-definition-specifications/tlp-2.0/examples/tlp-clear.json`,
  green: `${TLP_DIR}/objects/marking-definition/marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb.json`,
  amber: `${TLP_DIR}/extension-definition-specifications/tlp-2.0/examples/tlp-amber.json`,
  'amber+strict': `${TLP_DIR}/objects/marking-definition/marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003.json`,
  red: `${TLP_DIR}/objects/marking-definition/marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1.json`,
};

describe('TLP 2.0 markings', () => {
  it.each(TLP_LEVELS)('uses the official %s marking-definition object, value for value', (level) => {
    const official = (JSON.parse(readFileSync(files[level]!, 'utf8')) as { objects: unknown[] }).objects[0];
    expect(tlpMarking(level)).toEqual(official);
  });

  it('takes the most restrictive marking of an object, granular ones included', () => {
    expect(tlpOfObject({ object_marking_refs: [tlpMarkingId('green')] })).toBe('green');
    expect(
      tlpOfObject({
        object_marking_refs: [tlpMarkingId('green')],
        granular_markings: [{ marking_ref: tlpMarkingId('red'), selectors: ['name'] }],
      }),
    ).toBe('red');
    expect(tlpOfObject({})).toBeUndefined();
  });

  it('lets only CLEAR and GREEN be re-shared, and never above the clearance', () => {
    const amber = { object_marking_refs: [tlpMarkingId('amber')] };
    const green = { object_marking_refs: [tlpMarkingId('green')] };
    expect(mayShare(amber, { clearance: 'amber', reshare: false })).toBe(true);
    expect(mayShare(amber, { clearance: 'amber', reshare: true })).toBe(false);
    expect(mayShare(amber, { clearance: 'green', reshare: false })).toBe(false);
    expect(mayShare(green, { clearance: 'amber', reshare: true })).toBe(true);
    expect(mayShare({}, { clearance: 'green', reshare: false })).toBe(false);
    expect(mayShare({}, { clearance: 'green', reshare: false, unmarkedAs: 'clear' })).toBe(true);
  });
});

describe('ATLAS Extract AI Model', () => {
  it('is the object of the ATLAS bundle, unchanged', () => {
    const atlas = JSON.parse(readFileSync('../shared/mitre-atlas-stix/dist/stix-atlas.json', 'utf8')) as {
      objects: { id: string }[];
    };
    expect(atlas.objects.find((o) => o.id === ATLAS_EXTRACT_AI_MODEL.id)).toEqual(ATLAS_EXTRACT_AI_MODEL);
    expect(ATLAS_EXTRACT_AI_MODEL.external_references[0].external_id).toBe('AML.T0024.002');
  });
});
