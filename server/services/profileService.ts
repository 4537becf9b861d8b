/**
 * Alert profiles: which events go to which webhooks, under which JSONata condition, with which
 * JSONata payload. At save, each expression must compile (else 422 with its position), hold no
 * regex literal that backtracks exponentially (422 with its position), and, run on the catalog
 * sample of every event type the profile routes, finish within the JSONata pool's deadline and
 * payload-size limit (422 naming the sample): what cannot pass on a sample would
 * only be skipped or fail at run time. Errors that depend on the data (a missing field, a type
 * mismatch) are not refused: real events may well carry what the sample lacks. Names are unique by the store's rule.
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
import { InvalidError, NotFoundError } from '../domain/errors';
import type { ProfileInput, ProfilePatch } from '../domain/inputs';
import type { ProfileRecord } from '../domain/records';
import type { ConfigStore, ProfileChanges } from '../store/ports/configStore';
import type { JsonataPool } from '../mapping/jsonataPool';

/** Run-time failures a sample proves will happen on real events too. */
const REFUSED_ON_SAMPLE = new Set(['MDM_TIMEOUT', 'MDM_TOO_LARGE']);

export class ProfileService {
	constructor(
		private readonly config: ConfigStore,
		private readonly jsonata: JsonataPool,
	) {}

	list(): Promise<ProfileRecord[]> {
		return this.config.listProfiles();
	}

	async get(id: string): Promise<ProfileRecord> {
		const profile = await this.config.getProfile(id);
		if (!profile) throw new NotFoundError('profile', id);
		return profile;
	}

	async create(input: ProfileInput): Promise<ProfileRecord> {
		const now = new Date().toISOString();
		const record: ProfileRecord = { id: newId('prf'), ...input, createdAt: now, updatedAt: now };
		await this.check(record);
		await this.config.createProfile(record);
		return record;
	}

	async update(id: string, patch: ProfilePatch): Promise<ProfileRecord> {
		const current = await this.get(id);
		const changes: ProfileChanges = { updatedAt: new Date().toISOString() };
		for (const [key, value] of Object.entries(patch)) {
			if (value !== undefined) Object.assign(changes, { [key]: value });
		}
		await this.check({ ...current, ...changes });
		return this.config.updateProfile(id, changes);
	}

	async delete(id: string): Promise<void> {
		await this.config.deleteProfile(id);
	}

	private async check(record: ProfileRecord): Promise<void> {
		const errors: FieldError[] = [];
		record.events.forEach((pattern, index) => {
			if (!isValidEventPattern(pattern)) errors.push({ path: `/events/${index}`, message: `unknown event type "${pattern}"` });
		});
		for (const [index, webhookId] of record.webhookIds.entries()) {
			if (!(await this.config.getWebhook(webhookId))) {
				errors.push({ path: `/webhookIds/${index}`, message: `webhook "${webhookId}" does not exist` });
			}
		}
		for (const field of ['condition', 'payload'] as const) {
			const source = record[field];
			if (source === null || source.trim() === '') continue;
			const problem = checkStatically(source) ?? (await this.checkOnSamples(field, source, record.events));
			if (problem) errors.push({ path: `/${field}`, ...problem });
		}
		if (errors.length > 0) throw new InvalidError(errors);
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
