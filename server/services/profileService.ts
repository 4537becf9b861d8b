/**
 * Alert profiles: which events go to which webhooks, under which JSONata condition, with which
 * JSONata payload. JSONata that does not compile is refused with its position.
 */
import { JsonataCompileError, compileJsonata, isValidEventPattern, newId } from '../../core';
import type { FieldError } from '../../core/types';
import type { ProfileCreateBody, ProfileUpdateBody } from '../api/schemas/profile';
import { notFound, validationFailed } from '../http/errors';
import type { ProfileRecord, Store } from '../store/types';

export class ProfileService {
	constructor(private readonly store: Store) {}

	get(id: string): ProfileRecord {
		const profile = this.store.getProfile(id);
		if (!profile) throw notFound('profile', id);
		return profile;
	}

	async create(body: ProfileCreateBody): Promise<ProfileRecord> {
		const now = new Date().toISOString();
		const record: ProfileRecord = { id: newId('prf'), ...body, createdAt: now, updatedAt: now };
		this.check(record);
		await this.store.putProfile(record);
		return record;
	}

	async update(id: string, patch: ProfileUpdateBody): Promise<ProfileRecord> {
		const current = this.get(id);
		const next: ProfileRecord = { ...current, updatedAt: new Date().toISOString() };
		for (const [key, value] of Object.entries(patch)) {
			if (value !== undefined) Object.assign(next, { [key]: value });
		}
		this.check(next);
		await this.store.putProfile(next);
		return next;
	}

	async delete(id: string): Promise<void> {
		this.get(id);
		await this.store.deleteProfile(id);
	}

	private check(record: ProfileRecord): void {
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
			try {
				compileJsonata(source);
			} catch (error) {
				if (!(error instanceof JsonataCompileError)) throw error;
				errors.push({ path: `/${field}`, message: error.message, position: error.position });
			}
		}
		if (errors.length > 0) throw validationFailed(errors);
	}
}
