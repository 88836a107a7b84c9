import { decodeCursor, nextCursor } from '../../domain/index.js';
import type { Page } from '../../ports/index.js';

export function paginate<T>(all: readonly T[], limit: number, cursor: string | null | undefined): Page<T> {
  const offset = decodeCursor(cursor);
  const items = all.slice(offset, offset + limit);
  return { items, total: all.length, next: nextCursor(offset, items.length, all.length) };
}
