// Audit log endpoint: filtered, paginated, newest first.
import { apiRequest, withQuery } from './client';
import type { AuditEvent, AuditFilter, Page } from './types';

export function listAuditEvents(filter: AuditFilter, cursor: string | null, limit = 50): Promise<Page<AuditEvent>> {
  return apiRequest<Page<AuditEvent>>(
    'GET',
    withQuery('/api/v1/audit', {
      patient: filter.patient,
      user: filter.user,
      from: filter.from,
      to: filter.to,
      cursor,
      limit,
    }),
  );
}
