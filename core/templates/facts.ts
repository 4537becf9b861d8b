/**
 * What a human notification says about an event, independent of Slack or Teams: the title,
 * a one-line summary, a list of facts (label/value) and detail lines. Both chat templates render
 * from this so they always agree.
 */
import { getEventType } from '../events/catalog';
import type { EventEnvelope, JsonObject, JsonValue } from '../types';

export interface Fact {
	label: string;
	value: string;
}

export interface EventView {
	type: string;
	title: string;
	/** Slack short code, e.g. `:iphone:`. */
	emoji: string;
	/** The same emoji as a Unicode character (for Teams). */
	emojiChar: string;
	/** What the event is about: `Galaxy Note 8 (android)`, or for operational events `webhook Slack #ops`. */
	subject: string;
	/** `Device enrolled: Galaxy Note 8 (android)` (+ policy/severity for compliance). */
	summary: string;
	description: string;
	facts: Fact[];
	/** Bullet lines (violations, changed properties, reasons). */
	details: string[];
	/** Overall tone, for colours. */
	tone: 'good' | 'warning' | 'attention' | 'default';
	eventId: string;
	timestamp: string;
}

const EMOJI_CHARS: Record<string, string> = {
	':iphone:': '📱',
	':white_check_mark:': '✅',
	':outbox_tray:': '📤',
	':wastebasket:': '🗑️',
	':package:': '📦',
	':no_entry:': '⛔',
	':lock:': '🔒',
	':unlock:': '🔓',
	':mag:': '🔍',
	':tada:': '🎉',
	':electric_plug:': '🔌',
	':arrows_counterclockwise:': '🔄',
	':bust_in_silhouette:': '👤',
	':wave:': '👋',
	':label:': '🏷️',
	':signal_strength:': '📶',
	':key:': '🔑',
	':large_green_circle:': '🟢',
	':red_circle:': '🔴',
	':large_blue_circle:': '🔵',
	':rotating_light:': '🚨',
	':test_tube:': '🧪',
	':bell:': '🔔',
	':warning:': '⚠️',
};

const MAX_FACT = 300;
const MAX_DETAILS = 10;

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A scalar as text; undefined for objects, arrays, null and empty strings. */
export function text(v: JsonValue | undefined): string | undefined {
	if (typeof v === 'string') return v.trim() === '' ? undefined : v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return undefined;
}

function obj(v: JsonValue | undefined): JsonObject {
	return isObject(v) ? v : {};
}

function person(v: JsonValue | undefined): string | undefined {
	const p = obj(v);
	const name = text(p.name);
	const email = text(p.email);
	if (name && email) return `${name} <${email}>`;
	return name ?? email ?? text(p.id);
}

function transition(previous: string | undefined, current: string | undefined): string | undefined {
	if (!current) return undefined;
	return previous ? `${previous} → ${current}` : current;
}

/** `2026-11-22 10:00:00 UTC` (or the input if it is not a date). */
export function formatTime(iso: string): string {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return iso;
	return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function sim(v: JsonValue | undefined): string | undefined {
	const s = obj(v);
	const parts = [text(s.carrier), text(s.phoneNumber), text(s.iccid) && `ICCID ${text(s.iccid)}`].filter(Boolean);
	return parts.length ? parts.join(', ') : undefined;
}

function location(v: JsonValue | undefined): string | undefined {
	const l = obj(v);
	const lat = text(l.latitude);
	const lon = text(l.longitude);
	return lat && lon ? `${lat}, ${lon}` : undefined;
}

/** Builds the neutral view of an envelope. Never throws on odd data (vendors send anything). */
export function eventView(envelope: EventEnvelope): EventView {
	const def = getEventType(envelope.type);
	const data: JsonObject = isObject(envelope.data) ? envelope.data : {};
	const device = obj(data.device);
	const title = def?.title ?? envelope.type;
	const emoji = def?.emoji ?? ':bell:';

	const deviceName = text(device.name) ?? text(device.id) ?? 'unknown device';
	const platform = text(device.platform);
	const webhook = obj(data.webhook);
	const operational = def?.category === 'operational';
	const subject = operational
		? `webhook ${text(webhook.name) ?? text(webhook.id) ?? 'unknown'}`
		: platform
			? `${deviceName} (${platform})`
			: deviceName;

	const facts: Fact[] = [];
	const add = (label: string, value: string | undefined) => {
		if (value !== undefined && value !== '') facts.push({ label, value: truncate(value, MAX_FACT) });
	};
	const details: string[] = [];
	let tone: EventView['tone'] = 'default';
	let summary = `${title}: ${subject}`;

	if (operational) {
		const failure = obj(data.failure);
		const delivery = obj(data.delivery);
		add('Webhook', text(webhook.name) ?? text(webhook.id));
		add('Host', text(webhook.host));
		add('Reason', text(data.reason));
		add('Failure', [text(failure.class), text(failure.statusCode) && `HTTP ${text(failure.statusCode)}`, text(failure.error)].filter(Boolean).join(' · ') || undefined);
		add('Failing since', text(data.failingSince) && formatTime(String(text(data.failingSince))));
		add('Delivery', text(delivery.id));
		add('Event', [text(delivery.eventType), text(delivery.eventId)].filter(Boolean).join(' ') || undefined);
		add('Attempts', text(delivery.attemptCount));
		add('Message', text(data.message));
		add('Time', formatTime(text(data.occurredAt) ?? envelope.timestamp));
		tone = envelope.type === 'webhook.recovered' ? 'good' : envelope.type === 'webhook.failing' ? 'warning' : 'attention';
		return view();
	}

	add('Device', deviceName);
	add('Platform', [platform, text(device.osVersion)].filter(Boolean).join(' ') || undefined);
	add('Model', text(device.model));
	const sessionUser = envelope.type.startsWith('device.user_signed') ? person(data.user) : undefined;
	add('User', sessionUser ?? person(device.user));
	add('Serial', text(device.serialNumber));

	const policy = obj(data.policy);
	const policyName = text(policy.name) ?? text(policy.id);
	const severity = text(data.severity);
	if (envelope.type.startsWith('compliance.')) {
		add('Policy', policyName);
		add('Severity', severity);
		const restored = envelope.type === 'compliance.restored';
		tone = restored ? 'good' : severity === 'low' ? 'warning' : 'attention';
		if (policyName) summary += ` · ${policyName}${severity ? ` (${severity})` : ''}`;
		const list = restored ? data.resolvedViolations : data.violations;
		for (const v of Array.isArray(list) ? list : []) {
			const item = obj(v);
			const rule = text(item.description) ?? text(item.rule);
			if (!rule) continue;
			const exp = text(item.expected);
			const act = text(item.actual);
			details.push(exp !== undefined || act !== undefined ? `${rule} (expected ${exp ?? '?'}, actual ${act ?? '?'})` : rule);
		}
		for (const r of Array.isArray(data.reasons) ? data.reasons : []) {
			const reason = text(r);
			if (reason) details.push(reason);
		}
	}

	const status = transition(text(data.previousStatus), text(data.status));
	if (envelope.type === 'device.status_changed') {
		add('Status', status);
		if (status) summary += ` · ${status}`;
		tone = text(data.status) === 'rejected' ? 'attention' : text(data.status) === 'accepted' ? 'good' : 'default';
	}
	const state = transition(text(data.previousState), text(data.state));
	if (state) add('State', state);
	if (envelope.type === 'device.offline' || envelope.type === 'device.unplugged') tone = 'warning';
	if (envelope.type === 'device.online') tone = 'good';
	if (envelope.type === 'device.lost') tone = 'attention';

	if (envelope.type === 'device.sim_swap') {
		add('Previous SIM', sim(data.previousSim));
		add('Current SIM', sim(data.currentSim));
		tone = 'warning';
	}
	add('Lost mode message', text(obj(data.lostMode).message));
	add('Contact', text(obj(data.lostMode).phoneNumber));
	add('Location', location(data.location) ?? location(data.lastKnownLocation));
	add('Initiated by', person(data.initiatedBy) ?? text(data.initiator));
	add('Reason', text(data.reason));
	add('Message', text(data.message));

	if (Array.isArray(data.changes)) {
		for (const c of data.changes) {
			const change = obj(c);
			const name = text(change.name);
			if (!name) continue;
			details.push(`${name}: ${text(change.previousValue) ?? '—'} → ${text(change.value) ?? '—'}`);
		}
	}

	const occurredAt = text(data.occurredAt);
	add('Time', formatTime(occurredAt ?? envelope.timestamp));
	return view();

	function view(): EventView {
		const extra = details.length - MAX_DETAILS;
		const shownDetails = details.slice(0, MAX_DETAILS).map((d) => truncate(d, MAX_FACT));
		if (extra > 0) shownDetails.push(`…and ${extra} more`);
		return {
			type: envelope.type,
			title,
			emoji,
			emojiChar: EMOJI_CHARS[emoji] ?? '🔔',
			subject,
			summary,
			description: def?.description ?? '',
			facts,
			details: shownDetails,
			tone,
			eventId: envelope.id,
			timestamp: envelope.timestamp,
		};
	}
}
