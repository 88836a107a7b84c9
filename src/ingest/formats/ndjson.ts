import type { SourceFormat } from '../types.js';

/** The native format: each line is a TrafficEvent, account or model_release record as is. */
export const ndjsonFormat: SourceFormat = {
  name: 'ndjson',
  sniff: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  convert: (value) => ({ candidates: [{ value }], problems: [] }),
};
