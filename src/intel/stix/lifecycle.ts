import { StillwatchError } from '../../domain/index.js';
import { canonicalJson, parseStixTimestamp, stixId, stixTimestamp } from './ids.js';
import type { StixObject } from './types.js';

const NOT_VERSIONABLE = new Set(['marking-definition', 'language-content']);

/**
 * A new version of `obj` with `revoked: true` (STIX 2.1 §3.6.1): peers keep the id but must
 * stop acting on it. `modified` moves forward even when the clock says otherwise.
 */
export function revokeObject(obj: StixObject, atMs: number): StixObject {
  if (obj.created === undefined || NOT_VERSIONABLE.has(obj.type)) {
    throw new StillwatchError('INVALID_INPUT', `${obj.id} cannot be versioned, so it cannot be revoked`);
  }
  if (obj['revoked'] === true) return obj;
  const prev = parseStixTimestamp(obj.modified ?? obj.created);
  return { ...obj, revoked: true, modified: stixTimestamp(Math.max(atMs, prev + 1)) };
}

export type OpinionValue = 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';

/**
 * A peer's opinion on shared objects, the STIX way to dispute (or endorse) an indicator.
 * @example buildOpinion({ authorRef, objectRefs: [indicatorId], opinion: 'disagree', explanation: 'benign batch job', atMs, markingId })
 */
export function buildOpinion(o: {
  authorRef: string;
  objectRefs: string[];
  opinion: OpinionValue;
  explanation: string;
  atMs: number;
  markingId: string;
}): StixObject {
  if (o.objectRefs.length === 0)
    throw new StillwatchError('INVALID_INPUT', 'an opinion needs at least one object');
  const ts = stixTimestamp(o.atMs);
  return {
    type: 'opinion',
    id: stixId('opinion', {
      by: o.authorRef,
      refs: [...o.objectRefs].sort(),
      opinion: o.opinion,
      explanation: o.explanation,
    }),
    spec_version: '2.1',
    created: ts,
    modified: ts,
    created_by_ref: o.authorRef,
    object_marking_refs: [o.markingId],
    opinion: o.opinion,
    explanation: o.explanation,
    object_refs: [...o.objectRefs],
  };
}

export function buildNote(o: {
  authorRef: string;
  objectRefs: string[];
  abstract: string;
  content: string;
  atMs: number;
  markingId: string;
}): StixObject {
  const ts = stixTimestamp(o.atMs);
  return {
    type: 'note',
    id: stixId('note', {
      by: o.authorRef,
      refs: [...o.objectRefs].sort(),
      content: canonicalJson([o.abstract, o.content]),
    }),
    spec_version: '2.1',
    created: ts,
    modified: ts,
    created_by_ref: o.authorRef,
    object_marking_refs: [o.markingId],
    abstract: o.abstract,
    content: o.content,
    object_refs: [...o.objectRefs],
  };
}
