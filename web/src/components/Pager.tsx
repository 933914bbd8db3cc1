// Previous / next buttons for a cursor-paginated list.
import type { CursorPages } from '../lib/useCursorPages';

export function Pager({ pages, nextCursor, label }: { pages: CursorPages; nextCursor: string | null; label: string }) {
  if (pages.pageNumber === 1 && !nextCursor) return null;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" class="button button--secondary" disabled={pages.pageNumber === 1} onClick={pages.previous}>
        Previous page
      </button>
      <span class="pager__page">Page {pages.pageNumber}</span>
      <button
        type="button"
        class="button button--secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        Next page
      </button>
    </nav>
  );
}
