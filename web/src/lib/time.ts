/** Times are shown in Stockholm time whatever the device's zone, like every time the API sends. */
export const ZONE = 'Europe/Stockholm';

const locale = (lang: string) => (lang.startsWith('en') ? 'en-GB' : 'sv-SE');

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}

export function formatTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

export function formatDay(ms: number, lang: string): string {
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: ZONE,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(new Date(ms));
}

/** The Stockholm wall-clock parts of an instant. */
export function stockholmParts(ms: number): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
} {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour'), minute: n('minute') };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The value of a datetime-local input for an instant, in Stockholm time (the API reads it as such). */
export function toLocalInput(ms: number): string {
  const p = stockholmParts(ms);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** A Stockholm calendar date, YYYY-MM-DD. */
export function toLocalDate(ms: number): string {
  return toLocalInput(ms).slice(0, 10);
}

/** "1:05:09" or "12:03" for a duration; the sign is handled by the caller. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Öre to "1 750,00 kr" / "SEK 1,750.00". */
export function formatMoney(ore: number, lang: string): string {
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: 'SEK' }).format(ore / 100);
}

/** The instant of Stockholm midnight starting a calendar day (month 1–12; day may overflow). */
export function stockholmMidnight(year: number, month: number, day: number): number {
  const guess = Date.UTC(year, month - 1, day);
  const p = stockholmParts(guess);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - guess;
  return guess - offset;
}

/** Monday (ISO week start) of the Stockholm day holding the instant, as [year, month, day]. */
export function mondayOf(ms: number): [number, number, number] {
  const p = stockholmParts(ms);
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(p.year, p.month - 1, p.day - weekday));
  return [monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate()];
}
