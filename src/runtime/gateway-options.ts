import type { GatewayOptions, TextTransformer } from '../gateway/index.js';
import {
  createStreamingTextTransform,
  loadWatermarkKey,
  transformAnswerText,
  transformReasoningText,
} from '../provenance/index.js';
import { readConfigFile } from './config-file.js';

/** The provenance module's text transforms, behind the gateway's injected interface. */
const provenanceTransformer: TextTransformer = {
  createStreamingTextTransform,
  transformAnswerText,
  transformReasoningText,
};

/** How the proxy treats callers and the upstream: the same settings from CLI flags or the cluster config. */
export interface ProxySettings {
  upstream: string;
  unknownKeys: 'reject' | 'passthrough';
  endUserHeader: string;
  trustIpHeader?: string | undefined;
  trustAsnHeader?: string | undefined;
  trustTlsHeader?: string | undefined;
  watermarkKeyFile?: string | undefined;
  timeoutMs: number;
  challengeUrl?: string | undefined;
  appealUrl?: string | undefined;
}

/**
 * The gateway's options from its settings and the parts each deployment wires itself (keys,
 * decision cache, event sink, fail mode, error reporting): header names lower-cased, the
 * watermark key read, provenance's text transforms injected.
 */
export function gatewayOptions(
  s: ProxySettings,
  parts: Pick<GatewayOptions, 'keys' | 'cache' | 'sink' | 'failMode' | 'onError'>,
): GatewayOptions {
  const trusted = { ip: s.trustIpHeader, asn: s.trustAsnHeader, tlsFp: s.trustTlsHeader };
  return {
    ...parts,
    upstream: s.upstream,
    transformer: provenanceTransformer,
    watermarkKey: s.watermarkKeyFile
      ? loadWatermarkKey(readConfigFile(s.watermarkKeyFile, 'watermark key'))
      : undefined,
    unknownKeys: s.unknownKeys,
    endUserHeader: s.endUserHeader.toLowerCase(),
    trustedHeaders: Object.fromEntries(
      Object.entries(trusted)
        .filter((e): e is [string, string] => e[1] !== undefined)
        .map(([k, v]) => [k, v.toLowerCase()]),
    ),
    headersTimeoutMs: s.timeoutMs,
    challengeUrl: s.challengeUrl,
    appealUrl: s.appealUrl,
  };
}
