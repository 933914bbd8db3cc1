// Page-by-page navigation over cursor-paginated lists: a stack of the cursors that
// opened each page seen so far, so "Previous" can go back without a server offset.
import { useState } from 'preact/hooks';

export interface CursorPages {
  cursor: string | null;
  pageNumber: number;
  next: (cursor: string) => void;
  previous: () => void;
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    cursor: stack[stack.length - 1] ?? null,
    pageNumber: stack.length,
    next: (cursor) => setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack((s) => (s.length === 1 && s[0] === null ? s : [null])),
  };
}
