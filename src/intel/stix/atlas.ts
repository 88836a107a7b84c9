/**
 * MITRE ATLAS technique AML.T0024.002 "Extract AI Model", copied verbatim from
 * ../shared/mitre-atlas-stix/dist/stix-atlas.json (Apache-2.0, (c) MITRE), so bundles reference
 * the real ATLAS object by its real id and version. `atlas.test.ts` checks it against the file.
 */
export const ATLAS_EXTRACT_AI_MODEL = {
  type: 'attack-pattern',
  spec_version: '2.1',
  id: 'attack-pattern--3f567912-629a-5e0b-ab0c-0102977c2d6c',
  created: '2021-05-13T00:00:00.000Z',
  modified: '2025-12-23T00:00:00.000Z',
  name: 'Extract AI Model',
  description:
    "Adversaries may extract a functional copy of a private model.\nBy repeatedly querying the victim's [AI Model Inference API Access](/techniques/AML.T0040), the adversary can collect the target model's inferences into a dataset.\nThe inferences are used as labels for training a separate model offline that will mimic the behavior and performance of the target model.\n\nAdversaries may extract the model to avoid paying per query in an artificial-intelligence-as-a-service (AIaaS) setting.\nModel extraction is used for [AI Intellectual Property Theft](/techniques/AML.T0048.004).",
  kill_chain_phases: [
    {
      kill_chain_name: 'mitre-atlas',
      phase_name: 'exfiltration',
    },
  ],
  external_references: [
    {
      source_name: 'mitre-atlas',
      url: 'https://atlas.mitre.org/techniques/AML.T0024.002',
      external_id: 'AML.T0024.002',
    },
  ],
  x_mitre_is_subtechnique: true,
  x_mitre_platforms: ['ATLAS'],
} as const;

export const ATLAS_EXTRACT_AI_MODEL_ID = ATLAS_EXTRACT_AI_MODEL.id;
