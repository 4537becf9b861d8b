/**
 * Alert profiles: which events go to which webhooks, under which JSONata condition, with which
 * JSONata payload. At save, each expression must compile (else 422 with its position), hold no
 * regex literal that backtracks exponentially (422 with its position), and, run on the catalog
 * sample of every event type the profile routes, finish within the JSONata pool's deadline and
 * payload-size limit (422 naming the sample): what cannot pass on a sample would
 * only be skipped or fail at run time. Errors that depend on the data (a missing field, a type
 * mismatch) are not refused: real events may well carry what the sample lacks.
 */
import {
	EVENT_TYPE_NAMES,
	JsonataCompileError,
	JsonataEvaluationError,
	compileJsonata,
	findUnsafeRegex,
	isValidEventPattern,
	matchesAnyEventPattern,
	newId,
	sampleEnvelope,
} from '../../core';
import type { FieldError } from '../../core/types';
import type { ProfileCreateBody, ProfileUpdateBody } from '../api/schemas/profile';
import { notFound, validationFailed } from '../http/errors';
import type { JsonataPool } from '../mapping/jsonataPool';
import type { ProfileRecord, Store } from '../store/types';

/** Run-time failures a sample proves will happen on real events too. */
const REFUSED_ON_SAMPLE = new Set(['MDM_TIMEOUT', 'MDM_TOO_LARGE']);

export class ProfileService {
	constructor(
		private readonly store: Store,
		private readonly jsonata: JsonataPool,
	) {}

	get(id: string): ProfileRecord {
		const profile = this.store.getProfile(id);
		if (!profile) throw notFound('profile', id);
		return profile;
	}

	async create(body: ProfileCreateBody): Promise<ProfileRecord> {
		const now = new Date().toISOString();
		const record: ProfileRecord = { id: newId('prf'), ...body, createdAt: now, updatedAt: now };
		await this.check(record);
		await this.store.putProfile(record);
		return record;
	}

	async update(id: string, patch: ProfileUpdateBody): Promise<ProfileRecord> {
		const current = this.get(id);
		const next: ProfileRecord = { ...current, updatedAt: new Date().toISOString() };
		for (const [key, value] of Object.entries(patch)) {
			if (value !== undefined) Object.assign(next, { [key]: value });
		}
		await this.check(next);
		await this.store.putProfile(next);
		return next;
	}

	async delete(id: string): Promise<void> {
		this.get(id);
		await this.store.deleteProfile(id);
	}

	private async check(record: ProfileRecord): Promise<void> {
		const errors: FieldError[] = [];
		const lowerName = record.name.trim().toLowerCase();
		const clash = this.store
			.listProfiles()
			.find((other) => other.id !== record.id && other.name.trim().toLowerCase() === lowerName);
		if (clash) errors.push({ path: '/name', message: `name is already used by profile ${clash.id}` });
		record.events.forEach((pattern, index) => {
			if (!isValidEventPattern(pattern)) errors.push({ path: `/events/${index}`, message: `unknown event type "${pattern}"` });
		});
		record.webhookIds.forEach((webhookId, index) => {
			if (!this.store.getWebhook(webhookId)) {
				errors.push({ path: `/webhookIds/${index}`, message: `webhook "${webhookId}" does not exist` });
			}
		});
		for (const field of ['condition', 'payload'] as const) {
			const source = record[field];
			if (source === null || source.trim() === '') continue;
			const problem = checkStatically(source) ?? (await this.checkOnSamples(field, source, record.events));
			if (problem) errors.push({ path: `/${field}`, ...problem });
		}
		if (errors.length > 0) throw validationFailed(errors);
	}

	/** Runs the expression on the sample of each routed type; the first limit it breaks, if any. */
	private async checkOnSamples(
		field: 'condition' | 'payload',
		source: string,
		patterns: readonly string[],
	): Promise<Problem | undefined> {
		for (const type of EVENT_TYPE_NAMES.filter((name) => matchesAnyEventPattern(patterns, name))) {
			const sample = sampleEnvelope(type);
			try {
				if (field === 'condition') await this.jsonata.condition(source, sample);
				else await this.jsonata.mapping(source, sample);
			} catch (error) {
				if (error instanceof JsonataEvaluationError && error.code && REFUSED_ON_SAMPLE.has(error.code)) {
					return { message: `${error.message} on the sample event of ${type}` };
				}
			}
		}
		return undefined;
	}
}

/** What is wrong with one expression (a compile error or an unsafe regex literal carries its position). */
type Problem = Omit<FieldError, 'path'>;

/** A compile error or an unsafe regex literal, with its position. */
function checkStatically(source: string): Problem | undefined {
	try {
		compileJsonata(source);
	} catch (error) {
		if (!(error instanceof JsonataCompileError)) throw error;
		return { message: error.message, position: error.position };
	}
	const unsafe = findUnsafeRegex(source);
	return unsafe ? { message: unsafe.message, position: unsafe.position } : undefined;
}
