// HTTP client for the KetaChart API: same-origin JSON requests, the CSRF header on
// every mutation, and error bodies parsed into one ApiError {status, code, message, field}.
// The CSRF token lives only in this module's memory (never in storage or the URL).

export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'account_locked'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal'
  | 'network';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  423: 'account_locked',
  429: 'too_many_requests',
  503: 'unavailable',
};

const MESSAGE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  unauthenticated: 'Please sign in.',
  forbidden: 'You do not have permission to do this.',
  not_found: 'Not found.',
  conflict: 'Someone else changed this record.',
  payload_too_large: 'The request is too large.',
  account_locked: 'This account is locked.',
  too_many_requests: 'Too many requests. Please wait a moment and try again.',
  unavailable: 'The server is temporarily unavailable. Please try again.',
  network: 'Cannot reach the KetaChart server. Check the connection and try again.',
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | string;
  readonly field: string | undefined;

  constructor(status: number, code: ErrorCode | string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Turns a non-2xx answer into an ApiError, trusting the body's {"error":{...}} when present. */
export function parseApiError(status: number, bodyText: string): ApiError {
  const fallbackCode: ErrorCode | string = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_input');
  let code: string = fallbackCode;
  let message = '';
  let field: string | undefined;
  try {
    const body: unknown = JSON.parse(bodyText);
    const error = (body as { error?: unknown } | null)?.error;
    if (error && typeof error === 'object') {
      const e = error as Record<string, unknown>;
      if (typeof e.code === 'string' && e.code) code = e.code;
      if (typeof e.message === 'string') message = e.message;
      if (typeof e.field === 'string' && e.field) field = e.field;
    }
  } catch {
    // Not JSON (e.g. a proxy's HTML page): fall back to the status.
  }
  if (!message) {
    message = MESSAGE_BY_CODE[code as ErrorCode] ?? `The server answered with status ${status}.`;
  }
  return new ApiError(status, code, message, field);
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called when an ordinary request answers 401 (the session ended). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Do not call the unauthenticated handler on 401 (login and the session probe). */
  quiet401?: boolean;
  /** The clinic switch's own request, sent while the clinic changes. */
  changesClinic?: boolean;
}

function isMutation(method: Method): boolean {
  return method !== 'GET';
}

// Requests sent and not yet answered. The server answers a request in the
// session's clinic as it is when the request is handled, so a clinic switch
// first waits for these: a chart's request sent in one clinic is then not
// answered in the next, where its patient does not exist (a 404).
const unanswered = new Set<Promise<Response>>();

let clinicChanging = false;

/**
 * Runs `change`, the clinic switch's own request, once every request already
 * sent has been answered. A request a page starts meanwhile (a chart's next
 * request, after the one it waited for) belongs to the page being left: it is
 * not sent, and fails with code "cancelled".
 */
export async function whileClinicChanges<T>(change: () => Promise<T>): Promise<T> {
  clinicChanging = true;
  try {
    await Promise.allSettled([...unanswered]);
    return await change();
  } finally {
    clinicChanging = false;
  }
}

/** Sends one API request and returns the parsed JSON body (undefined for 204). */
export async function apiRequest<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  if (clinicChanging && !options.changesClinic) {
    throw new ApiError(0, 'cancelled', 'The page was left while the clinic changed.');
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (isMutation(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  const sent = fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  unanswered.add(sent);
  try {
    response = await sent;
  } catch {
    throw new ApiError(0, 'network', MESSAGE_BY_CODE.network ?? 'Network error');
  } finally {
    unanswered.delete(sent);
  }

  const text = response.status === 204 ? '' : await response.text();
  if (!response.ok) {
    const error = parseApiError(response.status, text);
    if (response.status === 401 && !options.quiet401 && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'internal', 'The server sent an answer that could not be read.');
  }
}

/** Builds "path?a=1&b=2", leaving out empty parameters. */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
