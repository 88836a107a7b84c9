import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, type Page } from './api.js';

/** Loads a path; reload() refetches (after an action). */
export function useApi<T>(path: string | null): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setError(null);
    api<T>(path)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : 'error'));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

/** Cursor paging: a stack of cursors so "previous" works without the server keeping state. */
export function usePager(resetKey: string): { cursor: string | null; next: (c: string | null) => void; prev: () => void; index: number } {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  useEffect(() => setStack([null]), [resetKey]);
  return {
    cursor: stack[stack.length - 1] ?? null,
    index: stack.length - 1,
    next: (c) => c && setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
  };
}

export function Pager<T>({ page, pager, size }: { page: Page<T> | null; pager: ReturnType<typeof usePager>; size: number }) {
  if (!page) return null;
  const from = pager.index * size + (page.items.length > 0 ? 1 : 0);
  return (
    <div className="pager">
      <button type="button" disabled={pager.index === 0} onClick={pager.prev}>‹ previous</button>
      <span>
        {from}–{pager.index * size + page.items.length} of {page.total.toLocaleString('en-US')}
      </span>
      <button type="button" disabled={page.next === null} onClick={() => pager.next(page.next)}>next ›</button>
    </div>
  );
}

export function Err({ error }: { error: string | null }) {
  return error ? <p className="error" role="alert">{error}</p> : null;
}

/** Attacker-controlled prompt text: rendered as a text node only, never as markup or a link. */
export function Prompt({ text }: { text: string }) {
  return <pre className="prompt">{text}</pre>;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
