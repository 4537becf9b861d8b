/** What the fault tests share: an event body, and a look at what a data folder holds on disk. */
import fs from 'node:fs';
import path from 'node:path';
import { getEventType } from '../../../core';
import type { JsonObject } from '../../../core/types';
import { LowdbStore } from '../../../server/store/lowdb/LowdbStore';
import type { DeliveryRecord, EventRecord } from '../../../server/store/types';
import { tempDataFile } from '../../helpers/dispatcher';

export const sample = getEventType('device.enrolled')?.sample;

export function eventBody(id: string) {
	return { type: 'device.enrolled', id, data: sample };
}

/** An event and its one pending delivery (`msg_<id>`, to webhook `wh_1`), as the store keeps them. */
export function pendingEvent(id: string, data: JsonObject): { event: EventRecord; deliveries: DeliveryRecord[] } {
	const at = new Date().toISOString();
	const delivery: DeliveryRecord = {
		id: `msg_${id}`,
		eventId: id,
		eventType: 'device.enrolled',
		webhookId: 'wh_1',
		profileId: null,
		status: 'pending',
		responseCode: null,
		attemptCount: 0,
		createdAt: at,
		lastAttemptAt: null,
		nextAttemptAt: at,
		attempts: [],
		request: null,
	};
	return {
		event: { id, type: 'device.enrolled', timestamp: at, data, receivedAt: at, deliveries: [{ id: delivery.id, webhookId: 'wh_1', profileId: null }] },
		deliveries: [delivery],
	};
}

/**
 * Opens a copy of the data folder as it is on disk right now (what a crash at this moment would
 * leave) and returns which of `ids` it holds as events. The copy is opened, never the folder.
 */
export async function eventsOnDisk(dataFile: string, ids: Iterable<string>): Promise<Set<string>> {
	const copy = path.join(path.dirname(tempDataFile()), 'copy');
	fs.cpSync(path.dirname(dataFile), copy, { recursive: true });
	fs.chmodSync(copy, 0o700);
	const store = new LowdbStore({ file: path.join(copy, path.basename(dataFile)), sync: false });
	await store.open();
	const found = new Set<string>();
	for (const id of ids) if ((await store.getEvent(id)) !== undefined) found.add(id);
	await store.close();
	return found;
}

/** Every line of every journal in the folder parses: no fragment was left in the middle. */
export function journalLinesParse(dataFile: string): { lines: number; bad: number; endsWithNewline: boolean } {
	const dir = path.dirname(dataFile);
	let lines = 0;
	let bad = 0;
	let endsWithNewline = true;
	for (const name of fs.readdirSync(dir).filter((n) => n.includes('.journal.'))) {
		const text = fs.readFileSync(path.join(dir, name), 'utf8');
		if (text.length > 0 && !text.endsWith('\n')) endsWithNewline = false;
		for (const line of text.split('\n').filter((l) => l.length > 0)) {
			lines++;
			try {
				JSON.parse(line);
			} catch {
				bad++;
			}
		}
	}
	return { lines, bad, endsWithNewline };
}

/** A store's pending deliveries, oldest first (the queue, as the delivery log shows it). */
export async function pendingOf(store: import('../../../server/store/lowdb/LowdbStore').LowdbStore) {
	return (await store.queryDeliveries({ status: 'pending' }, 250, null)).data.reverse();
}
