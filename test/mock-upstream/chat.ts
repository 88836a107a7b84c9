import { answerFor, deltas, lastUserText, logprobsFor, REASONING } from './content.js';

type Json = Record<string, unknown>;

function usage(prompt: string, answer: string): Json {
  const reasoning = Math.ceil(REASONING.length / 4);
  return {
    prompt_tokens: Math.ceil(prompt.length / 4),
    completion_tokens: Math.ceil(answer.length / 4) + reasoning,
    total_tokens: Math.ceil(prompt.length / 4) + Math.ceil(answer.length / 4) + reasoning,
    completion_tokens_details: { reasoning_tokens: reasoning },
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

export function chatCompletion(body: Json, id: string, created: number): Json {
  const prompt = lastUserText(body);
  const answer = answerFor(prompt);
  return {
    id,
    object: 'chat.completion',
    created,
    model: body['model'],
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer, reasoning_content: REASONING, refusal: null },
        logprobs: body['logprobs'] === true ? { content: logprobsFor(answer), refusal: null } : null,
        finish_reason: 'stop',
      },
    ],
    usage: usage(prompt, answer),
  };
}

/** The chunks of a streamed chat completion: reasoning deltas, then content deltas, then finish (and usage when asked). */
export function chatChunks(body: Json, id: string, created: number): Json[] {
  const prompt = lastUserText(body);
  const answer = answerFor(prompt);
  const base = { id, object: 'chat.completion.chunk', created, model: body['model'] };
  const wantLogprobs = body['logprobs'] === true;
  const chunks: Json[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] }];
  for (const d of deltas(REASONING)) chunks.push({ ...base, choices: [{ index: 0, delta: { reasoning_content: d }, logprobs: null, finish_reason: null }] });
  for (const d of deltas(answer)) {
    chunks.push({ ...base, choices: [{ index: 0, delta: { content: d }, logprobs: wantLogprobs ? { content: logprobsFor(d), refusal: null } : null, finish_reason: null }] });
  }
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] });
  const opts = body['stream_options'] as Json | undefined;
  if (opts?.['include_usage'] === true) chunks.push({ ...base, choices: [], usage: usage(prompt, answer) });
  return chunks;
}
