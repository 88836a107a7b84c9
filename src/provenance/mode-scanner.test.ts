import { describe, expect, it } from 'vitest';
import { ModeScanner } from './mode-scanner.js';
import type { TextMode } from './mode-scanner.js';

function modes(text: string): TextMode[] {
  const s = new ModeScanner();
  return [...text].map((ch) => {
    s.feed(ch);
    return s.mode;
  });
}

describe('ModeScanner', () => {
  it('tracks inline and display math, escaped dollars and LaTeX delimiters', () => {
    expect(modes('a $x$ b').at(-1)).toBe('text');
    expect(modes('a $x').at(-1)).toBe('inline-math');
    expect(modes('a $$x').at(-1)).toBe('display-math');
    expect(modes('costs \\$5 and').at(-1)).toBe('text');
    expect(modes('see \\[ x').at(-1)).toBe('bracket-math');
    expect(modes('see \\( x \\) y').at(-1)).toBe('text');
  });

  it('protects code spans, fences and LaTeX environments, and resets inline math at a blank line', () => {
    expect(modes('use `a $ b` ok').at(-1)).toBe('text');
    expect(modes('```js\nx = `y`\n').at(-1)).toBe('fence');
    expect(modes('\\begin{align*} x \\begin{a} y \\end{a} z').at(-1)).toBe('env');
    expect(modes('\\begin{align*} x \\end{align*} z').at(-1)).toBe('text');
    expect(modes('costs $5\n\nnext').at(-1)).toBe('text');
  });
});
