import { describe, expect, it } from 'vitest';
import { selfReportToken } from './SelfReportPage';

describe('selfReportToken', () => {
  it('takes a base64url token from the self-report hash only', () => {
    const token = 'Ab3_-xY9'.repeat(5);
    expect(selfReportToken(`#/self-report/${token}`)).toBe(token);
    expect(selfReportToken(`#/self-report/${token}/`)).toBe(token);
    expect(selfReportToken('#/self-report/short')).toBeNull();
    expect(selfReportToken(`#/patients/${token}`)).toBeNull();
    expect(selfReportToken(`#/self-report/${token}?x=1`)).toBeNull();
    expect(selfReportToken('')).toBeNull();
  });
});
