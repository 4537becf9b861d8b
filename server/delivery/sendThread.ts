/**
 * A send thread of `ThreadedHttpClient` (`threadedHttpClient.ts`): its own `DeliveryHttpClient`
 * (undici pool, address guard with the dispatcher's settings) sends the requests the main thread
 * built and signed, and answers each with its `AttemptResult`. The HTTP work of deliveries (undici,
 * sockets, reading responses) then runs beside the thread that answers the API and writes the store.
 * Messages come and go in batches: every request handed over in one event-loop turn, every result
 * ready in one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OutboundRequest } from '../../core/types';
import { AddressGuard } from './addressGuard';
import { type AttemptResult, DeliveryHttpClient } from './httpClient';

export interface SendThreadSettings {
	allowHttp: boolean;
	allowedCidrs: string[];
}

export interface SendJob {
	id: number;
	request: OutboundRequest;
	timeoutSeconds: number;
}

export type SendThreadMessage = { jobs: SendJob[] } | { close: true };
export type SendThreadReply = { ready: true } | { results: { id: number; result: AttemptResult }[] } | { closed: true };

const port = parentPort;
if (port) {
	const settings = (workerData as { data: SendThreadSettings }).data;
	const client = new DeliveryHttpClient({ guard: new AddressGuard(settings) });
	/** Results waiting for the end of this event-loop turn. */
	let finished: { id: number; result: AttemptResult }[] = [];
	/** Sends whose result has not been posted yet: `closed` goes only after all of them. */
	const inFlight = new Set<Promise<void>>();
	const flush = () => {
		if (finished.length === 0) return;
		const results = finished;
		finished = [];
		port.postMessage({ results } satisfies SendThreadReply);
	};
	port.on('message', (message: SendThreadMessage) => {
		if ('close' in message) {
			void client
				.close()
				.then(() => Promise.all(inFlight))
				.then(() => {
					flush();
					port.postMessage({ closed: true } satisfies SendThreadReply);
				});
			return;
		}
		for (const job of message.jobs) {
			const sending = client.send(job.request, job.timeoutSeconds).then((result) => {
				if (finished.length === 0) setImmediate(flush);
				finished.push({ id: job.id, result });
				inFlight.delete(sending);
			});
			inFlight.add(sending);
		}
	});
	port.postMessage({ ready: true } satisfies SendThreadReply);
}
