export { runSim, SimOptions } from './simulate.js';
export type { SimSummary, PersonaStats, SimHooks } from './simulate.js';
export { loadCorpora, resolveCorporaDir } from './corpora.js';
export type { Corpora, Item, ToolApi } from './corpora.js';
export type { Label, Persona } from './actor.js';
export { MODELS, releaseTime } from './models.js';
export { Rng, hash32 } from './rng.js';
export { estimateTokens } from './text.js';
