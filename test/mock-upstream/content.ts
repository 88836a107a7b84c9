/** Deterministic response content for the mock upstream: the same request gives the same bytes. */
export const REASONING = 'Let me think step by step. First, restate the problem. Second, consider the edge cases carefully. Third, check the arithmetic twice before answering.';

export function answerFor(prompt: string): string {
  const words = prompt.trim().split(/\s+/).filter(Boolean).slice(0, 6).join(' ');
  return `Mock answer to "${words}". The result is 42, with a short justification.`;
}

/** Splits text into stream deltas of a few characters, like a tokenizer would. */
export function deltas(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function logprobsFor(text: string): { token: string; logprob: number; bytes: number[]; top_logprobs: { token: string; logprob: number; bytes: number[] }[] }[] {
  return deltas(text, 4).map((token, i) => ({
    token,
    logprob: -0.01 * (i % 7),
    bytes: [...Buffer.from(token)],
    top_logprobs: [{ token, logprob: -0.01 * (i % 7), bytes: [...Buffer.from(token)] }],
  }));
}

type Json = Record<string, unknown>;

export function lastUserText(body: Json): string {
  const messages = body['messages'];
  if (Array.isArray(messages)) {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i] as Json;
      if (m['role'] === 'user') return typeof m['content'] === 'string' ? m['content'] : JSON.stringify(m['content']);
    }
  }
  const input = body['input'];
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) {
    const last = input[input.length - 1] as Json | undefined;
    if (last && typeof last['content'] === 'string') return last['content'];
  }
  return '';
}
