import { hashWord, tokenHashes } from './tokenize.js';

/**
 * Lexical cues looked for in a sampled request's text. Each is one compiled regex with
 * alternatives in several languages; they run only on the sampled events (see
 * account-state.ts), never on every event.
 */

/** Asking the model to lay out its reasoning: English, Chinese, Japanese, Korean, Spanish, French, German, Portuguese, Russian, Italian. */
export const REASONING_ELICITATION = new RegExp(
  [
    'step[- ]by[- ]step',
    'chain[- ]of[- ]thought',
    "let'?s think",
    'think (?:carefully|it through|through|aloud|out loud)',
    '(?:show|explain|walk (?:me )?through|write out|give|include|provide|output|reveal|detail)(?: me)? (?:all |each |every )?(?:your|the|its) (?:full |complete |entire |detailed |internal |hidden |whole |intermediate )*(?:reasoning|thought process|thinking|derivation|rationale|working|steps)',
    '(?:internal|hidden|private|full|complete|detailed) (?:reasoning|monologue|thought process|chain)',
    'reason(?:ing)? (?:step|carefully|through)',
    'before (?:giving|stating|writing) (?:your|the) (?:final )?answer',
    'scratch ?pad',
    '<think>',
    '一步一步', '逐步', '一步步', '分步', '详细(?:的)?(?:推理|解题|思考)', '推理过程', '思考过程', '思维链', '解题过程', '请(?:详细)?(?:说明|展示|写出|给出)(?:你的)?(?:推理|思路|过程)',
    'ステップバイステップ', '段階的に', '順を追って', '推論過程', '思考過程',
    '단계별', '차근차근',
    'paso a paso', '(?:muestra|explica) (?:tu|el) razonamiento', 'étape par étape', '(?:montre|explique)z? (?:ton|votre) raisonnement',
    'schritt für schritt', '(?:zeige|erkläre) (?:deinen|den) (?:denkprozess|gedankengang|lösungsweg)',
    'passo a passo', '(?:mostre|explique) (?:seu|o) raciocínio', 'шаг за шагом', 'ход (?:рассуждений|мыслей)', 'mostra il (?:tuo )?ragionamento',
  ].join('|'),
  'i',
);

/** Requests that the reasoning come back in a structured field (JSON key or named section). */
export const STRUCTURED_REASONING = new RegExp(
  [
    '["\'`]?(?:reasoning|rationale|chain_of_thought|chainofthought|cot|thoughts?|thinking|thought_process|scratchpad|explanation_steps|steps)["\'`]?\\s*:',
    '(?:field|key|property|section|tag)s? (?:named |called )?["\'`<]?(?:reasoning|rationale|thoughts?|thinking|chain[_ ]of[_ ]thought)',
    '<(?:reasoning|thinking|rationale|scratchpad)>',
    'json[^\\n]{0,80}(?:reasoning|rationale|thought)',
  ].join('|'),
  'i',
);

/** Asking for maximal output regardless of need: length, completeness, exhaustive detail. */
export const VERBOSITY = new RegExp(
  [
    'as (?:complete(?:ly)?|detailed|thorough(?:ly)?|long|comprehensive(?:ly)?|exhaustive(?:ly)?) as (?:possible|you can)',
    'length is not a (?:concern|problem|issue)',
    '(?:with|give|provide|include) (?:a |an )?(?:very )?(?:detailed|thorough|comprehensive|exhaustive|complete) (?:explanation|answer|response|justification)',
    'explain (?:in (?:great |full )?detail|thoroughly|every step)',
    '(?:at least|minimum(?: of)?) \\d{3,} (?:words|tokens)',
    '(?:the )?(?:best|most complete|longest) possible (?:response|answer)',
    '尽可能详细', '越详细越好', '详细解释', 'できるだけ詳しく',
  ].join('|'),
  'i',
);

/** Judge / grader / reward-model style prompts: harvesting soft labels or preferences. */
export const GRADING = new RegExp(
  [
    '(?:rate|score|grade|evaluate|judge|assess)(?: the)? (?:following |this |each |these |the )?(?:response|answer|completion|output|reply|solution|essay|candidate)s?',
    'on a scale (?:of|from) \\d',
    'rubric',
    'which (?:response|answer|completion|assistant) is (?:better|more)',
    '(?:assistant|response|answer|output) a\\b[^\\n]{0,200}(?:assistant|response|answer|output) b\\b',
    '\\[\\[[ab]\\]\\]',
    '(?:impartial|fair) judge',
    'act as (?:a|an) (?:judge|grader|evaluator)',
    'reward (?:model|score)',
    '(?:score|rating)(?: from)? (?:1|0) ?(?:-|to) ?(?:5|7|10|100)',
    '评分', '打分', '评估(?:以下|下面)', '哪个回答更好', '採点', '評価してください',
  ].join('|'),
  'i',
);

/** Probing safety boundaries (refusal mapping): jailbreak framings and clearly harmful asks. */
export const SAFETY_PROBING = new RegExp(
  [
    'ignore (?:all |any )?(?:previous|prior|above) (?:instructions|rules)',
    'jailbreak',
    '\\bdan\\b mode',
    'developer mode',
    'without (?:any )?(?:restrictions|filters|censorship)',
    'pretend (?:you are|to be) (?:an? )?(?:ai|model|assistant) (?:with no|without)',
    'how (?:do i|to|can i) (?:make|build|synthesi[sz]e) (?:a )?(?:bomb|explosive|nerve agent|bioweapon|meth)',
    '(?:write|create) (?:a )?(?:malware|ransomware|keylogger|phishing)',
    'bypass (?:the )?(?:safety|content) (?:filter|policy|guidelines)',
    'would you refuse', 'refusal',
    '越狱', '忽略(?:之前|以上)的(?:指令|说明)',
  ].join('|'),
  'i',
);

export const CATEGORIES = ['chat', 'coding', 'agentic', 'maths', 'vision', 'safety'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Bits of the cue-word table: which regexes are worth running, and the category keywords. */
const CUE_REASONING = 1;
const CUE_STRUCTURED = 2;
const CUE_GRADING = 4;
const CUE_SAFETY = 8;
const KW_CODING = 16;
const KW_MATHS = 32;
const CUE_VERBOSITY = 64;
const CUE_AGENTIC = 128;

/**
 * Every alternative of the regexes above contains one of these words (or CJK text, or
 * "[["), so a regex is run only when its cue is present: the result is the same as always
 * running it, at a fraction of the cost on ordinary prompts.
 */
const CUE_WORDS: readonly (readonly [number, string])[] = [
  [CUE_REASONING, 'step steps chain think thinking thought reasoning reason derivation rationale working monologue answer scratch scratchpad paso étape razonamiento raisonnement schritt denkprozess gedankengang lösungsweg passo raciocínio шаг рассуждений мыслей ragionamento'],
  [CUE_STRUCTURED, 'reasoning rationale chain_of_thought chainofthought cot thought thoughts thinking thought_process scratchpad explanation_steps steps chain json'],
  [CUE_GRADING, 'rate score grade evaluate judge assess scale rubric assistant response answer output reward rating'],
  [CUE_SAFETY, 'ignore jailbreak dan developer without pretend how write create bypass refuse refusal'],
  [CUE_VERBOSITY, 'possible concern problem issue detailed thorough thoroughly comprehensive exhaustive complete detail words tokens'],
  [CUE_AGENTIC, 'toolformer tool_call tool_calls function_call tools'],
  [KW_CODING, 'python javascript typescript java rust golang sql regex function functions class def code coding algorithm bug compile compiler api program script debug implement refactor unittest json html css'],
  [KW_MATHS, 'solve equation equations prove theorem integral derivative probability calculate compute remainder polynomial integer integers simplify fraction triangle matrix geometry algebra arithmetic'],
];

const CUES = buildCueTable();

function buildCueTable(): Map<number, number> {
  const m = new Map<number, number>();
  for (const [bit, words] of CUE_WORDS) {
    for (const w of words.split(' ')) {
      for (const form of [w, w.charAt(0).toUpperCase() + w.slice(1)]) {
        const h = hashWord(form);
        m.set(h, (m.get(h) ?? 0) | bit);
      }
    }
  }
  return m;
}

/** Tool use described in the prompt itself (tool headers, call formats) rather than in `tools`. */
const AGENTIC_TEXT = /toolformer|you (?:have|can) (?:access to|use) (?:the following |these )?tools|\btool_calls?\b|\bfunction_call\b/i;
const HAS_CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;
const CODING_MARKS = /```|c\+\+|=>|\(\)\s*\{|代码|编程|函数|コード/;
const MATHS_MARKS = /\\frac|\\sqrt|\$[^$\n]{1,80}\$|数学|方程|计算|求解|证明/;

export interface CategoryHints {
  hasTools: boolean;
  hasToolResults: boolean;
  hasImage: boolean;
}

export interface TextCues {
  reasoning: boolean;
  verbosity: boolean;
  structuredReasoning: boolean;
  grading: boolean;
  category: Category;
}

/**
 * Lexical cues and task category of a request, from its text and its token hashes
 * (unmasked or masked: the cue words contain no digits). Structural hints win over wording.
 */
export function textCues(text: string, tokens: Uint32Array, n: number, hints: CategoryHints): TextCues {
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const b = CUES.get(tokens[i] ?? 0);
    if (b !== undefined) bits |= b;
  }
  const cjk = HAS_CJK.test(text);
  const reasoning = (cjk || (bits & CUE_REASONING) !== 0) && REASONING_ELICITATION.test(text);
  const structuredReasoning = (bits & CUE_STRUCTURED) !== 0 && STRUCTURED_REASONING.test(text);
  const grading = (cjk || (bits & CUE_GRADING) !== 0 || text.includes('[[')) && GRADING.test(text);
  const verbosity = (cjk || (bits & CUE_VERBOSITY) !== 0) && VERBOSITY.test(text);
  let category: Category = 'chat';
  if (hints.hasImage) category = 'vision';
  else if (hints.hasTools || hints.hasToolResults || ((bits & CUE_AGENTIC) !== 0 && AGENTIC_TEXT.test(text))) category = 'agentic';
  else if ((cjk || (bits & CUE_SAFETY) !== 0) && SAFETY_PROBING.test(text)) category = 'safety';
  else if ((bits & KW_CODING) !== 0 || CODING_MARKS.test(text)) category = 'coding';
  else if ((bits & KW_MATHS) !== 0 || MATHS_MARKS.test(text)) category = 'maths';
  return { reasoning, verbosity, structuredReasoning, grading, category };
}

/** Convenience for callers without token hashes (tests, other stages). */
export function classifyCategory(text: string, hints: CategoryHints): Category {
  const buf = new Uint32Array(2048);
  return textCues(text, buf, tokenHashes(text, buf, false), hints).category;
}
