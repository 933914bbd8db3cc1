// Tests of the API client: error parsing, CSRF header only on mutations, same-origin credentials.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, parseApiError, setCsrfToken, setUnauthenticatedHandler, withQuery } from './client';
import { login, logout, switchClinic } from './session';

type Call = { url: string; init: RequestInit };

function stubFetch(status: number, body: string): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(status === 204 ? null : body, { status, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return calls;
}

function headersOf(call: Call): Record<string, string> {
  return call.init.headers as Record<string, string>;
}

beforeEach(() => setCsrfToken(null));
afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthenticatedHandler(null);
});

describe('parseApiError', () => {
  it('reads code, message and field from the error body', () => {
    const error = parseApiError(
      400,
      '{"error":{"code":"invalid_input","message":"must be a real calendar date in the form YYYY-MM-DD","field":"birth_date"}}',
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('must be a real calendar date in the form YYYY-MM-DD');
    expect(error.field).toBe('birth_date');
  });

  it('leaves field undefined when the body has none', () => {
    const error = parseApiError(423, '{"error":{"code":"account_locked","message":"account locked for 15 minutes"}}');
    expect(error.code).toBe('account_locked');
    expect(error.message).toBe('account locked for 15 minutes');
    expect(error.field).toBeUndefined();
  });

  it('falls back to the status when the body is not JSON', () => {
    const error = parseApiError(503, '<html>Service Unavailable</html>');
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/unavailable/i);
  });

  it('maps unknown 5xx to internal and gives a message', () => {
    const error = parseApiError(502, '');
    expect(error.code).toBe('internal');
    expect(error.message).toContain('502');
  });
});

describe('apiRequest', () => {
  it('sends no CSRF header on GET, even when a token is known', async () => {
    setCsrfToken('tok-123');
    const calls = stubFetch(200, '{"items":[],"next_cursor":null}');
    await apiRequest('GET', '/api/v1/patients');
    expect(headersOf(calls[0]!)['X-CSRF-Token']).toBeUndefined();
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(calls[0]!.init.body).toBeUndefined();
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('sends the CSRF header on %s', async (method) => {
    setCsrfToken('tok-123');
    const calls = stubFetch(200, '{}');
    await apiRequest(method, '/api/v1/patients/1', { a: 1 });
    expect(headersOf(calls[0]!)['X-CSRF-Token']).toBe('tok-123');
    expect(headersOf(calls[0]!)['Content-Type']).toBe('application/json');
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(calls[0]!.init.body).toBe('{"a":1}');
  });

  it('throws ApiError with the parsed body on failure', async () => {
    stubFetch(409, '{"error":{"code":"conflict","message":"the patient was changed by someone else"}}');
    const failure = apiRequest('PUT', '/api/v1/patients/1', {});
    await expect(failure).rejects.toMatchObject({ status: 409, code: 'conflict', message: 'the patient was changed by someone else' });
  });

  it('returns undefined for 204', async () => {
    stubFetch(204, '');
    await expect(apiRequest('DELETE', '/api/v1/session')).resolves.toBeUndefined();
  });

  it('reports a network failure as code "network"', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(apiRequest('GET', '/api/v1/session')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('calls the unauthenticated handler on 401 unless quiet', async () => {
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    stubFetch(401, '{"error":{"code":"unauthenticated","message":"sign in"}}');
    await expect(apiRequest('GET', '/api/v1/patients')).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(apiRequest('GET', '/api/v1/session', undefined, { quiet401: true })).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('session calls', () => {
  const session = {
    csrf_token: 'fresh-token',
    user: { id: 1, username: 'demo.nurse', display_name: 'Demo Nurse' },
    active_clinic_id: 1,
    clinics: [{ id: 1, code: 'NRT', name: 'North River Ketamine Clinic', roles: ['nurse'] }],
    permissions: ['patient.read'],
  };

  it('login keeps the returned CSRF token in memory and uses it for the next mutation', async () => {
    const calls = stubFetch(200, JSON.stringify(session));
    await login('demo.nurse', 'pw');
    expect(headersOf(calls[0]!)['X-CSRF-Token']).toBeUndefined();
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ username: 'demo.nurse', password: 'pw' });
    await apiRequest('POST', '/api/v1/patients', {});
    expect(headersOf(calls[1]!)['X-CSRF-Token']).toBe('fresh-token');
  });

  it('logout sends DELETE with the token, then forgets it', async () => {
    setCsrfToken('old');
    const calls = stubFetch(204, '');
    await logout();
    expect(calls[0]!.init.method).toBe('DELETE');
    expect(headersOf(calls[0]!)['X-CSRF-Token']).toBe('old');
    await apiRequest('POST', '/x', {});
    expect(headersOf(calls[1]!)['X-CSRF-Token']).toBeUndefined();
  });
});

describe('clinic switch', () => {
  it('waits for the requests already sent, and sends none of the page it leaves, before changing the clinic', async () => {
    const order: string[] = [];
    let answerChart: (r: Response) => void = () => {};
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string) => {
        order.push(`sent ${url}`);
        if (url === '/api/v1/patients/4/intakes') {
          return new Promise<Response>((resolve) => {
            answerChart = resolve;
          });
        }
        return Promise.resolve(
          new Response(JSON.stringify({ csrf_token: 't', active_clinic_id: 2, clinics: [] }), { status: 200 }),
        );
      }),
    );
    const chart = apiRequest('GET', '/api/v1/patients/4/intakes');
    const switched = switchClinic(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['sent /api/v1/patients/4/intakes']);
    // The chart's next request, started while the clinic changes, is not sent.
    await expect(apiRequest('GET', '/api/v1/patients/4/courses')).rejects.toMatchObject({ code: 'cancelled' });
    answerChart(new Response('{"items":[]}', { status: 200 }));
    await chart;
    await switched;
    expect(order).toEqual(['sent /api/v1/patients/4/intakes', 'sent /api/v1/session/clinic']);
    await apiRequest('GET', '/api/v1/patients');
    expect(order.at(-1)).toBe('sent /api/v1/patients');
  });
});

describe('withQuery', () => {
  it('encodes parameters and leaves out empty ones', () => {
    expect(withQuery('/api/v1/patients', { q: 'smith jo', cursor: null, limit: 25 })).toBe('/api/v1/patients?q=smith+jo&limit=25');
    expect(withQuery('/api/v1/patients', { q: '' })).toBe('/api/v1/patients');
  });
});
