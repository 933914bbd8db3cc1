// Remembers the last patient search in memory only (never in the URL or browser storage),
// so going back from a chart shows the same list. Cleared on sign-out and clinic switch.
let lastQuery = '';

export function rememberSearch(query: string): void {
  lastQuery = query;
}

export function recallSearch(): string {
  return lastQuery;
}

export function forgetSearch(): void {
  lastQuery = '';
}
