import type { AccountFeatures } from '../../features/index.js';
import type { Finding } from '../../domain/index.js';
import { confidence, finding, pct, ramp, signal } from '../shared.js';
import type { DetectContext } from '../types.js';
import { conversationDefinition } from './definition.js';
import type { ConversationParams } from './definition.js';

export function detectConversation(
  f: AccountFeatures,
  p: ConversationParams,
  ctx: DetectContext,
): Finding | null {
  if (f.exchanges < p.minExchanges) return null;
  const score =
    ramp(f.oneShotShare, p.oneShotOnset, p.oneShotFull) *
    (1 - f.toolResultShare) *
    confidence(f.exchanges, 20);
  if (score < 0.05) return null;
  return finding(
    conversationDefinition.id,
    score,
    `${pct(f.oneShotShare)} of requests are one-shot prompts; ${pct(f.toolResultShare)} carry tool results`,
    {
      one_shot_share: signal(ctx, 'one_shot_share', f.oneShotShare, p.oneShotOnset, 'share'),
      tool_result_share: signal(ctx, 'tool_result_share', f.toolResultShare, 0, 'share'),
    },
    f.evidence.ids,
    [],
  );
}
