// Display formatting: patient names, dates, ages, timestamps, measurements.

export function patientName(p: { family_name: string; given_names: string }): string {
  return `${p.family_name}, ${p.given_names}`;
}

/** Whole years between a YYYY-MM-DD birth date and today (YYYY-MM-DD). */
export function ageInYears(birthDate: string, today: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!b || !t) return null;
  let age = Number(t[1]) - Number(b[1]);
  if (t[2]! + t[3]! < b[2]! + b[3]!) age -= 1;
  return age >= 0 ? age : null;
}

/** An ISO timestamp shown in the browser's locale, or the raw text if it cannot be read. */
export function dateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function sexLabel(sex: string): string {
  return sex ? sex.charAt(0).toUpperCase() + sex.slice(1) : '';
}

export function kilograms(value: number | undefined): string {
  return value === undefined ? '' : `${Number(value.toFixed(1))} kg`;
}

export function centimetres(value: number | undefined): string {
  return value === undefined ? '' : `${Number(value.toFixed(1))} cm`;
}

export function roleLabel(role: string): string {
  return role === 'front_desk' ? 'Front desk' : role.charAt(0).toUpperCase() + role.slice(1);
}
