import { answerFor, deltas, lastUserText, logprobsFor, REASONING } from './content.js';

type Json = Record<string, unknown>;

function parts(body: Json, id: string, created: number): { response: Json; reasoningItem: Json; messageItem: Json; answer: string } {
  const prompt = lastUserText(body);
  const answer = answerFor(prompt);
  const include = Array.isArray(body['include']) ? (body['include'] as unknown[]) : [];
  const wantLogprobs = include.includes('message.output_text.logprobs');
  const reasoningItem = { id: `rs_${id}`, type: 'reasoning', summary: [{ type: 'summary_text', text: REASONING }] };
  const messageItem = {
    id: `msg_${id}`,
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: answer, annotations: [], logprobs: wantLogprobs ? logprobsFor(answer) : [] }],
  };
  const reasoningTokens = Math.ceil(REASONING.length / 4);
  const response = {
    id: `resp_${id}`,
    object: 'response',
    created_at: created,
    status: 'completed',
    model: body['model'],
    output: [reasoningItem, messageItem],
    usage: {
      input_tokens: Math.ceil(prompt.length / 4),
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: Math.ceil(answer.length / 4) + reasoningTokens,
      output_tokens_details: { reasoning_tokens: reasoningTokens },
      total_tokens: Math.ceil(prompt.length / 4) + Math.ceil(answer.length / 4) + reasoningTokens,
    },
  };
  return { response, reasoningItem, messageItem, answer };
}

export function responseObject(body: Json, id: string, created: number): Json {
  return parts(body, id, created).response;
}

/** The event sequence of a streamed response, as the Responses API sends it. */
export function responseEvents(body: Json, id: string, created: number): Json[] {
  const { response, reasoningItem, messageItem, answer } = parts(body, id, created);
  const wantLogprobs = ((messageItem['content'] as Json[])[0]?.['logprobs'] as unknown[]).length > 0;
  const inProgress = { ...response, status: 'in_progress', output: [], usage: null };
  const ev: Json[] = [
    { type: 'response.created', response: inProgress },
    { type: 'response.in_progress', response: inProgress },
    { type: 'response.output_item.added', output_index: 0, item: { ...reasoningItem, summary: [] } },
    { type: 'response.reasoning_summary_part.added', item_id: reasoningItem['id'], output_index: 0, summary_index: 0, part: { type: 'summary_text', text: '' } },
  ];
  for (const d of deltas(REASONING)) ev.push({ type: 'response.reasoning_summary_text.delta', item_id: reasoningItem['id'], output_index: 0, summary_index: 0, delta: d });
  ev.push(
    { type: 'response.reasoning_summary_text.done', item_id: reasoningItem['id'], output_index: 0, summary_index: 0, text: REASONING },
    { type: 'response.reasoning_summary_part.done', item_id: reasoningItem['id'], output_index: 0, summary_index: 0, part: { type: 'summary_text', text: REASONING } },
    { type: 'response.output_item.done', output_index: 0, item: reasoningItem },
    { type: 'response.output_item.added', output_index: 1, item: { ...messageItem, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', item_id: messageItem['id'], output_index: 1, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } },
  );
  for (const d of deltas(answer)) {
    ev.push({ type: 'response.output_text.delta', item_id: messageItem['id'], output_index: 1, content_index: 0, delta: d, logprobs: wantLogprobs ? logprobsFor(d) : [] });
  }
  ev.push(
    { type: 'response.output_text.done', item_id: messageItem['id'], output_index: 1, content_index: 0, text: answer, logprobs: wantLogprobs ? logprobsFor(answer) : [] },
    { type: 'response.content_part.done', item_id: messageItem['id'], output_index: 1, content_index: 0, part: (messageItem['content'] as Json[])[0] },
    { type: 'response.output_item.done', output_index: 1, item: messageItem },
    { type: 'response.completed', response },
  );
  return ev.map((e, i) => ({ ...e, sequence_number: i }));
}
