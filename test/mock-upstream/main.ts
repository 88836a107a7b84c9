/** Runs the mock upstream on a fixed port for manual trials: `node out/mock-upstream.mjs 8000`. */
import { startMockUpstream } from './server.js';

const port = Number(process.argv[2] ?? 8000);
const up = await startMockUpstream({ port });
process.stdout.write(`mock upstream on ${up.url}\n`);
process.once('SIGINT', () => void up.close());
process.once('SIGTERM', () => void up.close());
