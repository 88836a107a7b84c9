/** The simulated provider's model catalogue. One model is released inside the window. */
export interface ModelInfo {
  readonly id: string;
  readonly reasoning: boolean;
  /** Decode speed in tokens per second and time to first token, for latencies. */
  readonly tps: number;
  readonly ttftMs: number;
  readonly maxOutput: number;
}

export const MODELS = {
  chat: { id: 'sw-chat-3', reasoning: false, tps: 85, ttftMs: 420, maxOutput: 16384 },
  mini: { id: 'sw-chat-3-mini', reasoning: false, tps: 160, ttftMs: 250, maxOutput: 16384 },
  code: { id: 'sw-code-2', reasoning: false, tps: 110, ttftMs: 380, maxOutput: 32768 },
  reason: { id: 'sw-reason-1', reasoning: true, tps: 70, ttftMs: 900, maxOutput: 65536 },
  fresh: { id: 'sw-reason-2', reasoning: true, tps: 95, ttftMs: 700, maxOutput: 65536 },
} as const satisfies Record<string, ModelInfo>;

export type ModelKey = keyof typeof MODELS;

const BY_ID = new Map<string, ModelInfo>(Object.values(MODELS).map((m) => [m.id, m]));

export function modelInfo(id: string): ModelInfo {
  return BY_ID.get(id) ?? MODELS.chat;
}

/** Release time of the new model: day 3 at 17:00 UTC when the window allows, else 40% into it. */
export function releaseTime(startMs: number, days: number): number {
  const day = 86_400_000;
  return days >= 4 ? startMs + 2 * day + 17 * 3_600_000 : startMs + Math.floor(days * day * 0.4);
}
