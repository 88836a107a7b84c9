import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { UsageError } from '../domain/index.js';

/** One benchmark or task item with the category a coverage sweep would file it under. */
export interface Item {
  readonly text: string;
  readonly category: string;
}

/** A tool-using API: its name, description and functions (name → one-line description). */
export interface ToolApi {
  readonly name: string;
  readonly description: string;
  readonly functions: readonly { name: string; description: string }[];
  readonly instructions: readonly string[];
}

/** Prompt pools by traffic role, loaded once from ../shared/corpora (see its README). */
export interface Corpora {
  readonly chat: readonly string[];
  readonly conversations: readonly (readonly string[])[];
  readonly assistantReplies: readonly string[];
  readonly coding: readonly string[];
  readonly enterprise: readonly Item[];
  readonly reasoning: readonly Item[];
  readonly toolApis: readonly ToolApi[];
  readonly catalogue: readonly Item[];
  readonly agentTasks: readonly string[];
  readonly multilingual: readonly Item[];
  /** Prompt–response pairs (generated answers), the material a grader is asked to score. */
  readonly pairs: readonly { prompt: string; response: string }[];
  /** Assistant answers (OASST replies and GPTeacher responses), for the logged opening of completions. */
  readonly responses: readonly string[];
}

const Str = z.string();
const NqRow = z.object({ question: z.string() }).loose();
const InstrRow = z
  .object({ instruction: z.string(), input: z.string().optional(), response: z.string().optional() })
  .loose();
const OasstMsg = z
  .object({
    user_message_id: z.string(),
    parent_message_id: z.string().nullable(),
    text: z.string(),
    role: z.string(),
  })
  .loose();
const TextRow = z.object({ text: z.string() }).loose();
const ClincRows = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));
const BbhFile = z.object({ examples: z.array(z.object({ input: z.string() }).loose()) }).loose();
const MathRow = z.object({ problem: z.string(), type: z.string() }).loose();
const MmluRow = z.object({ question: z.string(), type: z.string(), choices: z.array(z.string()) }).loose();
const AgiRow = z
  .object({
    passage: z.string().nullable().optional(),
    question: z.string(),
    options: z.array(z.string()).nullable().optional(),
  })
  .loose();
const ToolAlpacaRow = z
  .object({
    Name: z.string(),
    Description: z.string(),
    Function_Description: z.record(z.string(), z.string()),
    Instructions: z.array(z.string()),
  })
  .loose();
const PublicApis = z
  .object({
    entries: z.array(z.object({ API: z.string(), Description: z.string(), Category: z.string() }).loose()),
  })
  .loose();
const WebArenaRow = z.object({ intent: z.string() }).loose();
const XquadFile = z
  .object({
    data: z.array(
      z
        .object({
          paragraphs: z.array(z.object({ qas: z.array(z.object({ question: z.string() }).loose()) }).loose()),
        })
        .loose(),
    ),
  })
  .loose();

/** Where the corpora live: flag, then STILLWATCH_CORPORA, then ../shared/corpora from the working directory. */
export function resolveCorporaDir(flag?: string): string {
  return resolve(flag ?? process.env['STILLWATCH_CORPORA'] ?? join(process.cwd(), '..', 'shared', 'corpora'));
}

class Loader {
  constructor(private readonly dir: string) {}

  text(rel: string): string {
    const p = join(this.dir, rel);
    if (!existsSync(p))
      throw new UsageError(`corpus file missing: ${p} (set --corpora or STILLWATCH_CORPORA)`);
    return readFileSync(p, 'utf8');
  }

  /** Parses each row with the schema; rows that do not fit are skipped, not fatal (third-party data). */
  rows<T>(rel: string, schema: z.ZodType<T>, kind: 'json' | 'jsonl'): T[] {
    const raw = this.text(rel);
    const values: unknown[] =
      kind === 'json'
        ? z.array(z.unknown()).parse(JSON.parse(raw))
        : raw
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as unknown);
    const out: T[] = [];
    for (const v of values) {
      const r = schema.safeParse(v);
      if (r.success) out.push(r.data);
    }
    return out;
  }

  one<T>(rel: string, schema: z.ZodType<T>): T {
    const r = schema.safeParse(JSON.parse(this.text(rel)));
    if (!r.success)
      throw new UsageError(`corpus file ${rel} has an unexpected shape: ${r.error.message.slice(0, 200)}`);
    return r.data;
  }

  files(rel: string, suffix: string): string[] {
    const p = join(this.dir, rel);
    if (!existsSync(p)) throw new UsageError(`corpus folder missing: ${p}`);
    return readdirSync(p)
      .filter((f) => f.endsWith(suffix))
      .sort()
      .map((f) => `${rel}/${f}`);
  }
}

const joinInstr = (r: { instruction: string; input?: string | undefined }): string =>
  r.input !== undefined && r.input.trim() !== '' ? `${r.instruction}\n\n${r.input}` : r.instruction;

function loadChat(l: Loader): Pick<Corpora, 'chat' | 'conversations' | 'assistantReplies'> {
  const lottery = l.rows('benign-chat/oasst-prompt-lottery/prompt_lottery_en_250_text.jsonl', Str, 'jsonl');
  const seed = l.rows(
    'benign-chat/oasst-realistic-seed-conversations/realistic_seed_data.json',
    OasstMsg,
    'json',
  );
  // Threads: walk parent links to the root; prompter turns of one root form one conversation, in depth order.
  const byId = new Map(seed.map((m) => [m.user_message_id, m]));
  const rootAndDepth = (m: z.infer<typeof OasstMsg>): [string, number] => {
    let cur = m;
    let depth = 0;
    while (cur.parent_message_id !== null && depth < 64) {
      const up = byId.get(cur.parent_message_id);
      if (up === undefined) break;
      cur = up;
      depth++;
    }
    return [cur.user_message_id, depth];
  };
  const byConv = new Map<string, [number, string][]>();
  const assistantReplies: string[] = [];
  for (const m of seed) {
    if (m.role !== 'prompter') {
      assistantReplies.push(m.text);
      continue;
    }
    const [root, depth] = rootAndDepth(m);
    const list = byConv.get(root) ?? [];
    list.push([depth, m.text]);
    byConv.set(root, list);
  }
  const conversations = [...byConv.values()].map((l) => l.sort((a, b) => a[0] - b[0]).map((x) => x[1]));
  const nq = [
    ...l.rows('benign-chat/nq-open/NQ-open.dev.jsonl', NqRow, 'jsonl'),
    ...l.rows('benign-chat/nq-open/NQ-open.efficientqa.dev.1.1.jsonl', NqRow, 'jsonl'),
  ].map((r) => r.question);
  const roleplay = l
    .rows('benign-chat/gpteacher-roleplay/roleplay-simple-deduped-roleplay-instruct.json', InstrRow, 'json')
    .map(joinInstr);
  return { chat: [...lottery, ...conversations.flat(), ...nq, ...roleplay], conversations, assistantReplies };
}

function loadCoding(l: Loader): Pick<Corpora, 'coding' | 'pairs'> {
  const mbpp = l.rows('benign-coding/mbpp/mbpp.jsonl', TextRow, 'jsonl').map((r) => r.text);
  const codegenRows = l.rows('benign-coding/gpteacher-codegen/codegen-instruct.json', InstrRow, 'json');
  const roleplay = l.rows(
    'benign-chat/gpteacher-roleplay/roleplay-simple-deduped-roleplay-instruct.json',
    InstrRow,
    'json',
  );
  const pairs: { prompt: string; response: string }[] = [];
  for (const r of [...codegenRows, ...roleplay])
    if (r.response !== undefined && r.response !== '')
      pairs.push({ prompt: joinInstr(r), response: r.response });
  return { coding: [...mbpp, ...codegenRows.map(joinInstr)], pairs };
}

function loadEnterprise(l: Loader): Item[] {
  const out: Item[] = [];
  for (const f of ['benign-enterprise/banking77/train.csv', 'benign-enterprise/banking77/test.csv']) {
    const recs = parseCsv(l.text(f), { columns: true, skip_empty_lines: true }) as unknown;
    for (const r of z.array(z.object({ text: z.string(), category: z.string() })).parse(recs))
      out.push({ text: r.text, category: `banking:${r.category}` });
  }
  const clinc = l.one('benign-enterprise/clinc150/data_full.json', ClincRows);
  for (const [, rows] of Object.entries(clinc))
    for (const [text, intent] of rows) out.push({ text, category: `clinc:${intent}` });
  for (const domain of ['banking', 'hotels']) {
    for (const f of l.files(`benign-enterprise/nlupp/${domain}`, '.json')) {
      for (const r of l.rows(f, TextRow, 'json')) out.push({ text: r.text, category: `nlupp:${domain}` });
    }
  }
  return out;
}

const withOptions = (q: string, options: readonly string[] | null | undefined): string =>
  options && options.length > 0 ? `${q}\n${options.join('\n')}` : q;

function loadReasoning(l: Loader): Item[] {
  const out: Item[] = [];
  for (const f of l.files('reasoning-eval/bbh', '.json')) {
    const task = f.slice(f.lastIndexOf('/') + 1, -5);
    for (const ex of l.one(f, BbhFile).examples) out.push({ text: ex.input, category: `bbh:${task}` });
  }
  for (const r of l.rows('reasoning-eval/math/test.jsonl', MathRow, 'jsonl'))
    out.push({ text: r.problem, category: `math:${r.type}` });
  for (const r of l.rows('reasoning-eval/mmlu-stem/test.jsonl', MmluRow, 'jsonl')) {
    const opts = r.choices.map((c, i) => `(${String.fromCharCode(65 + i)}) ${c}`);
    out.push({ text: withOptions(r.question, opts), category: `mmlu:${r.type}` });
  }
  for (const f of l.files('reasoning-eval/agieval-en', '.jsonl')) {
    const task = f.slice(f.lastIndexOf('/') + 1, -6);
    for (const r of l.rows(f, AgiRow, 'jsonl')) {
      const q = withOptions(r.question, r.options);
      out.push({ text: r.passage ? `${r.passage}\n\n${q}` : q, category: `agieval:${task}` });
    }
  }
  return out;
}

function loadTools(l: Loader): Pick<Corpora, 'toolApis' | 'catalogue' | 'agentTasks'> {
  const toolApis: ToolApi[] = [];
  for (const f of [
    'agentic-tool-use/toolalpaca/eval_real.json',
    'agentic-tool-use/toolalpaca/eval_simulated.json',
  ]) {
    for (const r of l.rows(f, ToolAlpacaRow, 'json')) {
      const functions = Object.entries(r.Function_Description).map(([name, d]) => ({
        name,
        description: d.split('\n')[0] ?? d,
      }));
      toolApis.push({ name: r.Name, description: r.Description, functions, instructions: r.Instructions });
    }
  }
  const catalogue = l
    .one('agentic-tool-use/toolalpaca/public_apis.json', PublicApis)
    .entries.map((e) => ({ text: `${e.API}: ${e.Description}`, category: e.Category }));
  const web = l.rows('agentic-tool-use/webarena/test.raw.json', WebArenaRow, 'json').map((r) => r.intent);
  const toolformer = l
    .rows('agentic-tool-use/gpteacher-toolformer/toolformer-dedupe-only-dataset.json', InstrRow, 'json')
    .map(joinInstr);
  return { toolApis, catalogue, agentTasks: [...web, ...toolformer] };
}

function loadMultilingual(l: Loader): Item[] {
  const out: Item[] = [];
  for (const f of l.files('multilingual/agieval-gaokao-zh', '.jsonl')) {
    for (const r of l.rows(f, AgiRow, 'jsonl')) {
      const q = withOptions(r.question, r.options);
      out.push({ text: r.passage ? `${r.passage}\n\n${q}` : q, category: 'zh:gaokao' });
    }
  }
  for (const f of l.files('multilingual/xquad', '.json')) {
    const lang = f.slice(f.lastIndexOf('/') + 1).split('.')[1] ?? 'xx';
    if (lang === 'en') continue;
    for (const d of l.one(f, XquadFile).data)
      for (const p of d.paragraphs)
        for (const q of p.qas) out.push({ text: q.question, category: `${lang}:xquad` });
  }
  return out;
}

/** Loads every pool; throws a UsageError naming the missing file when the corpora are absent. */
export function loadCorpora(dir: string): Corpora {
  if (!existsSync(dir))
    throw new UsageError(`corpora folder not found: ${dir} (set --corpora or STILLWATCH_CORPORA)`);
  const l = new Loader(dir);
  const chat = loadChat(l);
  const coding = loadCoding(l);
  const corpora: Corpora = {
    ...chat,
    ...coding,
    responses: [...chat.assistantReplies, ...coding.pairs.map((p) => p.response)],
    enterprise: loadEnterprise(l),
    reasoning: loadReasoning(l),
    ...loadTools(l),
    multilingual: loadMultilingual(l),
  };
  for (const [k, v] of Object.entries(corpora)) {
    if (Array.isArray(v) && v.length === 0) throw new UsageError(`corpus pool "${k}" is empty in ${dir}`);
  }
  return corpora;
}
