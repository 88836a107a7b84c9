export { forEachLine } from './ndjson.js';
export { LabelLine, CampaignsFile, EvalInputError, readValidated, readScanOutput } from './inputs.js';
export type { ScanOutput } from './inputs.js';
export { joinUnits, unitKey, displayKey } from './units.js';
export type { Unit, Level, JoinedUnits } from './units.js';
export { clusterScores } from './clustering.js';
export type { ClusterScores } from './clustering.js';
export { chooseVolumeThreshold, thresholdForRecall, volumeBaseline } from './baseline.js';
export { scopeMetrics, personaRows, clusteringMetrics, largestShare, accountSpillover } from './classification.js';
export { campaignRows } from './campaigns.js';
export { countFromEvents, countFromResults, firstActions } from './latency.js';
export type { EventCounts, CampaignVolume } from './latency.js';
export { evaluate, runEvaluation, median } from './evaluate.js';
export type { EvaluateInput, EvalPaths } from './evaluate.js';
export {
  EVAL_SCHEMA_VERSION,
  EvalReport,
  ScopeMetrics,
  ScopeLevel,
  BaselineMetrics,
  PersonaRow,
  CampaignRow,
  ClusteringMetrics,
  LatencySummary,
  AccountSpillover,
} from './report-schema.js';
export { formatReport, renderTable, pct } from './table.js';
export { headlineMetrics, stats, aggregateRuns, AggregateReport, RunRecord, LevelSummary, MetricStats } from './aggregate.js';
export type { Headline } from './aggregate.js';
