import type { Rng } from './rng.js';

/**
 * Token estimate in the spirit of BPE tokenisers: ~4 characters per token for Latin text, ~1 per CJK
 * character, ~2 per character for other scripts. Consistent counts matter more than exact ones.
 */
export function estimateTokens(s: string): number {
  // Fast path: pure ASCII (most prompts) is one byte per character.
  if (Buffer.byteLength(s, 'utf8') === s.length) return Math.ceil(s.length / 4);
  let ascii = 0;
  let cjk = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) ascii++;
    else if (c >= 0x2e80 && c <= 0x9fff) cjk++;
    else if (c >= 0xac00 && c <= 0xd7af) cjk++;
    else other++;
  }
  return Math.ceil(ascii / 4 + cjk * 1.1 + other / 2);
}

export const OUTPUT_LOG_CHARS = 200;

/** What kind of completion a request gets; the opening of the text depends on it. */
export type OutKind =
  | 'chat'
  | 'code'
  | 'label'
  | 'extract'
  | 'reasoning'
  | 'reasoning_zh'
  | 'json_reasoning'
  | 'grade'
  | 'tool_call'
  | 'summary'
  | 'answer';

const OPENERS: Record<OutKind, readonly string[]> = {
  chat: [
    'Sure! ',
    'Great question. ',
    'Here is an overview. ',
    'Good point — ',
    'Absolutely. ',
    'Happy to help. ',
  ],
  code: [
    'Here is an implementation:\n\n```python\n',
    'You can do it like this:\n\n```ts\n',
    '```python\ndef ',
    'The fix is small:\n\n```diff\n',
  ],
  label: [''],
  extract: ['{"'],
  reasoning: [
    'Let me work through this step by step.\n\nStep 1: ',
    'First, let us restate the problem. ',
    'Reasoning:\n1. ',
    'We start by noting that ',
  ],
  reasoning_zh: ['让我们一步一步地分析这个问题。\n第一步：', '首先，我们来理解题意。', '推理过程：\n1. '],
  json_reasoning: ['{"reasoning": "Step 1: ', '{\n  "reasoning": "First, ', '{"thought_process": "'],
  grade: ['{"score": ', 'Score: ', '{"rating": '],
  tool_call: [''],
  summary: ['In short, ', 'Summary: ', 'The main points are: '],
  answer: ['The answer is ', 'Answer: ', 'So the result is '],
};

const FILLER = [
  'the key idea',
  'is to consider',
  'each case separately',
  'and then combine',
  'the results',
  'which gives',
  'a consistent answer',
  'for the general case',
  'as shown below',
  'we can verify',
  'by substitution',
  'that this holds',
  'in practice',
  'you would',
  'start with',
  'a simple example',
  'before moving on',
  'to the edge cases',
];

/** A short synthetic completion whose opening fits the request; the log keeps only its first 200 chars. */
export function synthOutput(
  rng: Rng,
  kind: OutKind,
  prompt: string,
  label?: string,
  responses?: readonly string[],
): string {
  const opener = rng.pick(OPENERS[kind]);
  if (kind === 'label') return label ?? 'other';
  if (kind === 'tool_call') return '';
  // Plain answers borrow real assistant text from the corpora; reasoning-shaped ones are built around
  // the prompt's own words.
  if (
    (kind === 'chat' || kind === 'code' || kind === 'summary') &&
    responses !== undefined &&
    responses.length > 0
  ) {
    return (opener + rng.pick(responses)).slice(0, OUTPUT_LOG_CHARS);
  }
  const words = prompt.split(/\s+/, 24).filter((w) => w.length > 3);
  let body = opener;
  if (kind === 'grade') body += `${rng.int(1, 10)}, "rationale": "The response `;
  while (body.length < OUTPUT_LOG_CHARS) {
    body += rng.chance(0.35) && words.length > 0 ? `${rng.pick(words)} ` : `${rng.pick(FILLER)} `;
  }
  return body.slice(0, OUTPUT_LOG_CHARS);
}
