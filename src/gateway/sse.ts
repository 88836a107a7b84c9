/** One server-sent event. `json` is parsed once and shared by every stage that needs it. */
export interface SseEvent {
  event: string | undefined;
  data: string;
  /** Parsed `data` (undefined until parsed, null when not JSON, e.g. "[DONE]"). */
  json?: Record<string, unknown> | null;
  /** Set by a stage that changed `json`, so it is serialised again. */
  dirty?: boolean;
}

/** The parsed JSON payload of an event, parsing it on first use. */
export function eventJson(ev: SseEvent): Record<string, unknown> | null {
  if (ev.json !== undefined) return ev.json;
  if (ev.data === '[DONE]' || ev.data === '') return (ev.json = null);
  try {
    const v: unknown = JSON.parse(ev.data);
    ev.json = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    ev.json = null;
  }
  return ev.json;
}

export function serialiseEvent(ev: SseEvent): string {
  const data = ev.dirty && ev.json ? JSON.stringify(ev.json) : ev.data;
  const head = ev.event !== undefined ? `event: ${ev.event}\n` : '';
  return `${head}data: ${data.includes('\n') ? data.split('\n').join('\ndata: ') : data}\n\n`;
}

/**
 * Incremental SSE parser: feed it decoded text in any chunking, get whole events back.
 * Comments and `id`/`retry` fields are dropped, which OpenAI clients do not use.
 */
export class SseParser {
  private buffer = '';

  push(text: string): SseEvent[] {
    this.buffer += text;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.buffer);
      if (!m) break;
      const block = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const ev = parseBlock(block);
      if (ev) out.push(ev);
    }
    return out;
  }

  /** Whatever is left when the stream ends without a final blank line. */
  end(): SseEvent[] {
    const rest = this.buffer;
    this.buffer = '';
    const ev = rest.trim() ? parseBlock(rest) : null;
    return ev ? [ev] : [];
  }
}

function parseBlock(block: string): SseEvent | null {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (event === undefined && data.length === 0) return null;
  return { event, data: data.join('\n') };
}
