/**
 * The type-specific fields of an event from a loosely documented vendor body (Scalefusion,
 * Hexnode, Nexthink templates): read where the body has them under a usual name, and, for the
 * fields a type requires, a neutral default where a notification is still meaningful without
 * them (a compliance alert names at least its policy). Each default is listed in docs/vendors.md.
 */
import { SEVERITIES } from '../events/catalog';
import type { JsonObject, JsonValue } from '../types';
import { compact, isObject, normalizeName, pickObject, pickText } from './fields';

const SEVERITY_ALIASES: Readonly<Record<string, (typeof SEVERITIES)[number]>> = {
	info: 'low',
	minor: 'low',
	warning: 'medium',
	moderate: 'medium',
	major: 'high',
	severe: 'high',
	error: 'high',
	critical: 'critical',
	fatal: 'critical',
};

export function normalizeSeverity(value: string | undefined): (typeof SEVERITIES)[number] | undefined {
	if (!value) return undefined;
	const key = normalizeName(value);
	if ((SEVERITIES as readonly string[]).includes(key)) return key as (typeof SEVERITIES)[number];
	return SEVERITY_ALIASES[key];
}

function slug(value: string): string {
	return value.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 128) || 'policy';
}

function scalar(value: JsonValue): string | number | boolean | null {
	if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
		return typeof value === 'string' ? value.slice(0, 2048) : value;
	}
	return JSON.stringify(value).slice(0, 2048);
}

function sim(source: JsonObject | undefined): JsonObject | undefined {
	if (!source) return undefined;
	const iccid = pickText(source, ['iccid', 'sim_iccid', 'iccid_no']);
	const imsi = pickText(source, ['imsi']);
	const phone = pickText(source, ['phone_number', 'phoneNumber', 'msisdn', 'number']);
	const slotValue = source.slot ?? source.sim_slot;
	return compact({
		iccid: iccid && /^[0-9]{18,22}F?$/.test(iccid) ? iccid : undefined,
		imsi: imsi && /^[0-9]{6,15}$/.test(imsi) ? imsi : undefined,
		carrier: pickText(source, ['carrier', 'carrier_name', 'operator', 'network_operator']),
		phoneNumber: phone && /^\+?[0-9 ().-]{3,32}$/.test(phone) ? phone : undefined,
		slot: typeof slotValue === 'number' && Number.isInteger(slotValue) && slotValue >= 0 && slotValue <= 8 ? slotValue : undefined,
	});
}

/**
 * The fields `type` adds to `data` besides `device`, read from `sources` (the event body, then
 * the device object: the first that has a field wins). `label` names the alert when the body has
 * no policy (a Nexthink monitor, a Hexnode alert name).
 */
export function typeFields(type: string, sources: readonly JsonObject[], label?: string): JsonObject {
	const first = <T>(read: (source: JsonObject) => T | undefined): T | undefined => {
		for (const source of sources) {
			const value = read(source);
			if (value !== undefined) return value;
		}
		return undefined;
	};
	const reason = first((s) => pickText(s, ['reason', 'message', 'description', 'comment']))?.slice(0, 2048);
	switch (type) {
		case 'compliance.violated':
		case 'compliance.restored': {
			const policyObject = first((s) => pickObject(s, ['policy', 'compliance_policy', 'compliancePolicy']));
			const policyName =
				(policyObject && pickText(policyObject, ['name', 'title'])) ??
				first((s) => pickText(s, ['policy_name', 'policyName', 'compliance_policy', 'monitor', 'monitor_name', 'alert_name', 'alertName', 'rule'])) ??
				label ??
				'Compliance policy';
			const policyId = (policyObject && pickText(policyObject, ['id', 'policy_id'])) ?? first((s) => pickText(s, ['policy_id', 'policyId'])) ?? slug(policyName);
			const severity = normalizeSeverity(first((s) => pickText(s, ['severity', 'priority', 'level']))) ?? 'medium';
			const policy = { id: policyId, name: policyName };
			if (type === 'compliance.restored') return compact({ policy, severity, reasons: reason ? [reason] : undefined });
			const listed = first((s) => (Array.isArray(s.violations) ? s.violations : undefined));
			const violations = (listed ?? [])
				.map((v) => (isObject(v) ? pickText(v, ['rule', 'name', 'title']) : typeof v === 'string' ? v : undefined))
				.filter((rule): rule is string => rule !== undefined)
				.slice(0, 200)
				.map((rule) => ({ rule }));
			return {
				policy,
				severity,
				violations: violations.length > 0 ? violations : [compact({ rule: policyName, description: reason })],
			};
		}
		case 'device.custom_properties_updated': {
			const properties = first((s) => pickObject(s, ['custom_properties', 'customProperties', 'properties'])) ?? {};
			const customProperties: JsonObject = {};
			for (const [name, value] of Object.entries(properties).slice(0, 200)) customProperties[name] = scalar(value);
			return { customProperties };
		}
		case 'device.sim_swap': {
			const current = sim(first((s) => pickObject(s, ['current_sim', 'currentSim', 'new_sim', 'newSim', 'sim', 'sim_details']))) ?? {};
			const previous = sim(first((s) => pickObject(s, ['previous_sim', 'previousSim', 'old_sim', 'oldSim'])));
			return compact({ currentSim: current, previousSim: previous });
		}
		case 'device.user_signed_in':
		case 'device.user_signed_out': {
			const userObject = first((s) => pickObject(s, ['user', 'signed_in_user', 'logged_in_user']));
			const user = compact({
				id: (userObject && pickText(userObject, ['id', 'user_id'])) ?? first((s) => pickText(s, ['user_id', 'userId'])),
				name: (userObject && pickText(userObject, ['name', 'user_name', 'username'])) ?? first((s) => pickText(s, ['user_name', 'userName', 'username'])),
				email: (userObject && pickText(userObject, ['email', 'user_email'])) ?? first((s) => pickText(s, ['user_email', 'userEmail', 'email'])),
			});
			return { user };
		}
		case 'device.unenrolled':
		case 'device.deleted':
		case 'device.decommissioned':
		case 'device.locked':
		case 'device.unlocked':
		case 'device.lost':
		case 'device.found':
		case 'device.shutdown':
		case 'device.reboot':
			return compact({ reason });
		default:
			return {};
	}
}
