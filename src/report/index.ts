export { analyzeCampaign, bucketFor, parseTaskMix } from './analysis.js';
export type { CampaignAnalysis, TimelinePoint, VolumeRow, MixRow, EvidenceRow, LinkReasonRow, AnalysisOptions } from './analysis.js';
export { campaignReport, renderCampaignReport } from './campaign-report.js';
export { transparencyReport, transparencySummary, renderTransparencyReport } from './transparency.js';
export type { TransparencySummary } from './transparency.js';
export { esc } from './html.js';
