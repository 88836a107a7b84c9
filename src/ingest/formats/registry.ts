import type { FormatName, SourceFormat } from '../types.js';
import { ndjsonFormat } from './ndjson.js';
import { openaiFormat } from './openai-log.js';
import { otlpFormat } from './otlp.js';

/**
 * Formats in sniffing order: the most specific first, the native one last (it accepts any object).
 * Adding a format means adding it here; generic code never branches on a format's name.
 */
export const FORMATS: readonly SourceFormat[] = [otlpFormat, openaiFormat, ndjsonFormat];

export function formatByName(name: FormatName): SourceFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}

export function sniffFormat(value: unknown): SourceFormat {
  return FORMATS.find((f) => f.sniff(value)) ?? ndjsonFormat;
}
