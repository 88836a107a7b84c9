/** Offset cursors shared by every store adapter: opaque to callers, stable for an unchanged result set. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m?.[1] !== undefined ? Number(m[1]) : 0;
}

export function nextCursor(offset: number, count: number, total: number): string | null {
  const end = offset + count;
  return end < total ? encodeCursor(end) : null;
}
