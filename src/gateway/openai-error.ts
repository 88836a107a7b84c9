/** OpenAI-format error bodies, so SDK clients surface the message and code as usual. */
export type OpenAIErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'rate_limit_error' | 'server_error';

/** A complete answer the gateway gives by itself (a refusal or an error), written in one go. */
export class Reply {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {}
}

export function openAIErrorBody(message: string, type: OpenAIErrorType, code: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ error: { message, type, param: null, code, ...extra } });
}

export function openAIError(status: number, message: string, type: OpenAIErrorType, code: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Reply {
  return new Reply(status, { 'content-type': 'application/json', ...headers }, openAIErrorBody(message, type, code, extra));
}
