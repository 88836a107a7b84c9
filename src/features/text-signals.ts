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

const CODING = /```|\bdef \w+\(|\bfunction\b|\bclass \w+|\bpython\b|\bjavascript\b|\btypescript\b|\bjava\b|\bc\+\+|\brust\b|\bsql\b|\bregex\b|\bcompile|\bbug\b|\bstack trace|\bwrite (?:a |an )?(?:program|script|function|code)|\bcode\b|\balgorithm|\bapi\b|代码|编程|函数/i;
const MATHS = /\\frac|\\sqrt|\$[^$]{1,80}\$|\bsolve\b|\bequation|\bprove\b|\btheorem|\bintegral|\bderivative|\bprobability|\bcompute\b|\bcalculate|\bhow many\b|\bwhat is the (?:value|sum|product|remainder)|\b(?:answer choices|options?):|\([a-e]\)|\b[a-d]\)\s|数学|方程|计算|求解|证明/i;

export const CATEGORIES = ['chat', 'coding', 'agentic', 'maths', 'vision', 'safety'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface CategoryHints {
  hasTools: boolean;
  hasToolResults: boolean;
  hasImage: boolean;
}

/** One task category per request; structural hints (tools, images) win over wording. */
export function classifyCategory(text: string, hints: CategoryHints): Category {
  if (hints.hasImage) return 'vision';
  if (hints.hasTools || hints.hasToolResults) return 'agentic';
  if (SAFETY_PROBING.test(text)) return 'safety';
  if (CODING.test(text)) return 'coding';
  if (MATHS.test(text)) return 'maths';
  return 'chat';
}
