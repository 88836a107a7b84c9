/**
 * Redaction for the few prompt samples kept as evidence: e-mail addresses, URLs, API-key
 * or token-like strings, IP addresses and every run of digits are replaced, whitespace is
 * collapsed and the result truncated, so a sample shows a prompt's shape, not its data.
 */
export const SAMPLE_CHARS = 160;

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_RE = /\bhttps?:\/\/\S+/gi;
const KEY = /\b(?:sk|pk|rk|ghp|xox[bp]|AKIA)[-_A-Za-z0-9]{8,}|\b[A-Za-z0-9+/_-]{32,}={0,2}/g;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const DIGITS = /\d+/g;
const SPACE = /\s+/g;

/**
 * @example redactPrompt('mail bob@x.io about order 12345') // 'mail [email] about order #'
 */
export function redactPrompt(text: string, maxChars = SAMPLE_CHARS): string {
  // Work on a bounded prefix: a sample never needs more, and regexes stay cheap.
  const head = text.length > maxChars * 2 ? text.slice(0, maxChars * 2) : text;
  const out = head
    .replace(EMAIL, '[email]')
    .replace(URL_RE, '[url]')
    .replace(KEY, '[key]')
    .replace(IPV4, '[ip]')
    .replace(DIGITS, '#')
    .replace(SPACE, ' ')
    .trim();
  return out.length > maxChars ? `${out.slice(0, maxChars - 1)}…` : out;
}
