// Form validation helpers shared by the forms. Each returns an error message or null.
// They only give early hints; the server's answer is authoritative.

export function isBlank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === '';
}

export function required(value: string, label: string): string | null {
  return isBlank(value) ? `${label} is required.` : null;
}

/** True for a real calendar date written YYYY-MM-DD (rejects 1990-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function pastDate(value: string, label: string, today: string): string | null {
  if (isBlank(value)) return null;
  if (!isCalendarDate(value)) return `${label} must be a real date (YYYY-MM-DD).`;
  if (value > today) return `${label} cannot be in the future.`;
  if (value < '1900-01-01') return `${label} must be after 1900.`;
  return null;
}

export function email(value: string): string | null {
  if (isBlank(value)) return null;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter an email address like name@example.org.';
}

export function digitsOnly(value: string, label: string): string | null {
  if (isBlank(value)) return null;
  return /^\d+$/.test(value.trim()) ? null : `${label} must contain digits only.`;
}

export function icd10(value: string): string | null {
  if (isBlank(value)) return null;
  return /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/i.test(value.trim())
    ? null
    : 'Enter an ICD-10 code like F43.10.';
}

/** Parses a decimal number typed by a user ("72,5" is accepted as 72.5); null if not a number. */
export function parseDecimal(value: string): number | null {
  const text = value.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

export function numberInRange(value: string, label: string, min: number, max: number, unit: string): string | null {
  if (isBlank(value)) return `${label} is required.`;
  const number = parseDecimal(value);
  if (number === null) return `${label} must be a number.`;
  if (number < min || number > max) return `${label} must be between ${min} and ${max} ${unit}.`;
  return null;
}
