/**
 * Alert profiles: which events go to which webhooks, under which JSONata condition, with which
 * JSONata payload. JSONata that does not compile is refused with its position; names are unique
 * by the store's rule.
 */
import { JsonataCompileError, compileJsonata, isValidEventPattern, newId } from '../../core';
import type { FieldError } from '../../core/types';
import { InvalidError, NotFoundError } from '../domain/errors';
import type { ProfileInput, ProfilePatch } from '../domain/inputs';
import type { ProfileRecord } from '../domain/records';
import type { ConfigStore, ProfileChanges } from '../store/ports/configStore';

export class ProfileService {
	constructor(private readonly config: ConfigStore) {}

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
			try {
				compileJsonata(source);
			} catch (error) {
				if (!(error instanceof JsonataCompileError)) throw error;
				errors.push({ path: `/${field}`, message: error.message });
			}
		}
		if (errors.length > 0) throw new InvalidError(errors);
	}
}
