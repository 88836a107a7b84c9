import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../../domain/index.js';

const Flags = z
  .object({
    campaign: z.string().min(1).optional(),
    transparency: z.boolean().optional(),
    db: z.string().min(1),
    out: z.string().min(1),
  })
  .refine((f) => (f.campaign === undefined) !== (f.transparency !== true), { message: 'give exactly one of --campaign ID and --transparency' });

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write a printable HTML report: an incident report of one campaign, or the transparency report')
    .option('--campaign <id>', 'campaign to report on')
    .option('--transparency', 'actions, appeals and overturn rate')
    .option('--db <path>', 'store written by `stillwatch scan --out DIR`', 'out/demo/scan/stillwatch.db')
    .requiredOption('--out <file>', 'HTML file to write')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = Flags.safeParse(raw);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.length ? `--${i.path.join('.')}: ` : ''}${i.message}`).join('; '));
      const f = parsed.data;
      if (!existsSync(f.db)) throw new UsageError(`--db ${f.db} does not exist (run \`stillwatch scan --out DIR\` first)`);
      const { campaignReport, transparencyReport } = await import('../../report/index.js');
      const { createSqliteStore } = await import('../../store/sqlite/index.js');
      const store = createSqliteStore(f.db);
      try {
        const html = f.campaign !== undefined ? await campaignReport(store, f.campaign, Date.now()) : await transparencyReport(store, Date.now());
        writeFileSync(f.out, html);
        process.stdout.write(`wrote ${f.out}\n`);
      } finally {
        await store.close();
      }
    });
}
