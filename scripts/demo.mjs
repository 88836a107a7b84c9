// The README's main job on the embedded default: make a realistic labelled traffic sample,
// scan it, print the flagged campaigns and accounts, score the result, write the reports, and
// end with the analyst console serving the result (Ctrl-C stops it; DEMO_NO_SERVE=1 skips it).
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'stillwatch.js');
const out = join(root, 'out', 'demo');
const seed = process.env.DEMO_SEED ?? '42';
const scale = process.env.DEMO_SCALE ?? '0.5';
const days = process.env.DEMO_DAYS ?? '3';
const run = (args) => execFileSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: root });
const step = (s) => console.log(`\n\x1b[1m▶ ${s}\x1b[0m`);
/** Terminal-safe: log-derived strings may carry control characters. */
const safe = (s) => String(s).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

step(`simulate ${days} days of traffic (seed ${seed}, scale ${scale})`);
run(['sim', '--seed', seed, '--scale', scale, '--days', days, '--out', join(out, 'traffic')]);

step('scan it on the embedded store');
run(['scan', join(out, 'traffic', 'events.ndjson'), '--out', join(out, 'scan')]);

const campaigns = JSON.parse(readFileSync(join(out, 'scan', 'campaigns.json'), 'utf8')).campaigns;
const accounts = readFileSync(join(out, 'scan', 'accounts.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const flagged = accounts.filter((a) => a.flagged);

step(`campaigns (${campaigns.length})`);
for (const c of campaigns.slice(0, 10)) {
  const kinds = [...new Set(c.edges.flatMap((e) => e.reasons.map((r) => r.kind)))].slice(0, 5).join(', ');
  console.log(
    `  ${safe(c.id).padEnd(28)} score ${c.score.toFixed(2)}  ${String(c.size).padStart(5)} accounts  ${String(c.exchanges).padStart(8)} exchanges  linked by: ${safe(kinds)}`,
  );
}
step(`flagged accounts and end users (${flagged.length} of ${accounts.length}), top 15 by score`);
for (const a of flagged.sort((x, y) => y.score - x.score).slice(0, 15)) {
  const who = a.end_user ? `${a.account} / ${a.end_user}` : a.account;
  const why = a.reasons
    .slice(0, 3)
    .map((r) => r.detector)
    .join(', ');
  console.log(
    `  ${safe(who).padEnd(40)} score ${a.score.toFixed(2)}  action ${a.action.padEnd(12)} campaign ${safe(a.campaign ?? '-').padEnd(22)} ${safe(why)}`,
  );
}

step('measure detection quality against the simulator labels');
run([
  'eval',
  '--labels',
  join(out, 'traffic', 'labels.ndjson'),
  '--results',
  join(out, 'scan'),
  '--json',
  join(out, 'eval.json'),
]);

const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
if (/\breport\b/.test(help) && campaigns[0]) {
  step('write the incident report of the top campaign and the transparency report');
  run([
    'report',
    '--campaign',
    campaigns[0].id,
    '--db',
    join(out, 'scan', 'stillwatch.db'),
    '--out',
    join(out, 'report-campaign.html'),
  ]);
  run([
    'report',
    '--transparency',
    '--db',
    join(out, 'scan', 'stillwatch.db'),
    '--out',
    join(out, 'report-transparency.html'),
  ]);
}
console.log(
  `\noutputs: ${out}${existsSync(join(out, 'scan', 'stix-bundle.json')) ? ' (including stix-bundle.json for sharing)' : ''}`,
);

if (process.env.DEMO_NO_SERVE !== '1') serveConsole();

/**
 * Fresh demo logins, one per role: the token file keeps only SHA-256 hashes; the tokens
 * themselves go to a file only the owner can read, and the analyst's is printed once.
 */
function demoLogins() {
  const roles = ['analyst', 'admin', 'auditor', 'peer'];
  const logins = Object.fromEntries(roles.map((r) => [r, `sw_${r}_${randomBytes(18).toString('base64url')}`]));
  const sha = (t) => createHash('sha256').update(t, 'utf8').digest('hex');
  const tokens = roles.map((role) => ({ name: `demo-${role}`, role, token_sha256: sha(logins[role]) }));
  writeFileSync(join(out, 'console-tokens.json'), JSON.stringify({ tokens }, null, 2) + '\n');
  writeFileSync(join(out, 'console-logins.txt'), roles.map((r) => `${r}\t${logins[r]}`).join('\n') + '\n', { mode: 0o600 });
  return logins;
}

function serveConsole() {
  step('serve the analyst console on the scan');
  const logins = demoLogins();
  const port = process.env.DEMO_PORT ?? '8080';
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--db', join(out, 'scan', 'stillwatch.db'), '--tokens', join(out, 'console-tokens.json'), '--port', port],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    const m = /stillwatch console: (\S+)/.exec(buffered);
    if (!m) return;
    buffered = '';
    console.log(`\n  console:  ${m[1]}`);
    console.log(`  login:    analyst token ${logins.analyst}`);
    console.log(`  (admin, auditor and peer tokens: ${join(out, 'console-logins.txt')})`);
    console.log('  Ctrl-C stops it.');
  });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
