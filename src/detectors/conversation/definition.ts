import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const ConversationParams = z.object({
  minExchanges: z.number().int().positive().default(20),
  oneShotOnset: z.number().min(0).max(1).default(0.85),
  oneShotFull: z.number().min(0).max(1).default(0.99),
});
export type ConversationParams = z.infer<typeof ConversationParams>;

export const conversationDefinition: DetectorDefinition<ConversationParams> = {
  id: 'conversation-structure',
  title: 'One-shot prompts instead of sessions',
  description:
    'Share of requests that are single prompts with no prior turns and no tool results, versus real multi-turn ' +
    'sessions that carry context: harvesting sends isolated prompts.',
  family: 'conversation',
  inputs: ['exchanges', 'oneShotShare', 'toolResultShare'],
  params: ConversationParams,
};
