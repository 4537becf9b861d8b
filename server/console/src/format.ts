/** Dates, durations and JSON as the console shows them. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(iso: string | null | undefined): string {
	if (!iso) return '—';
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['day', 86_400_000],
	['hour', 3_600_000],
	['minute', 60_000],
	['second', 1000],
];

/** "3 minutes ago", "in 5 seconds". */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
	if (!iso) return '—';
	const delta = Date.parse(iso) - now;
	for (const [unit, ms] of UNITS) {
		if (Math.abs(delta) >= ms || unit === 'second') return relative.format(Math.round(delta / ms), unit);
	}
	return iso;
}

export function formatDuration(ms: number | null | undefined): string {
	if (ms === null || ms === undefined) return '—';
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Pretty JSON; a string that holds JSON is parsed first, other strings stay as they are. */
export function prettyJson(value: unknown): string {
	if (typeof value === 'string') {
		try {
			return JSON.stringify(JSON.parse(value), null, 2);
		} catch {
			return value;
		}
	}
	return JSON.stringify(value, null, 2) ?? '';
}

/** `<input type="datetime-local">` value (local time) ↔ ISO string. */
export function toLocalInput(iso: string | null | undefined): string {
	if (!iso) return '';
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '';
	const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
	return local.toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): string | undefined {
	if (!value) return undefined;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
