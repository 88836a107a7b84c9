export { startMockUpstream } from './server.js';
export type { MockUpstream, MockUpstreamOptions, SeenRequest } from './server.js';
export { REASONING, answerFor } from './content.js';
