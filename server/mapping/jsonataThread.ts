/**
 * The worker thread of `JsonataPool` (`jsonataPool.ts`): evaluates one job at a time with the
 * core's JSONata (compile cache, time box and depth limit), and measures a payload's size here,
 * so a 50 MB result never crosses into the main thread. The pool terminates this thread when a
 * job overruns its deadline; nothing here needs to stop by itself.
 */
import { parentPort } from 'node:worker_threads';
import { compileJsonata, evaluateCondition } from '../../core/mapping/jsonata';

export interface JsonataJob {
	id: number;
	/** A condition answers a boolean (JSONata truthiness); a mapping answers JSON text. */
	kind: 'condition' | 'mapping';
	source: string;
	input: unknown;
	timeoutMs: number;
	/** Largest mapping result, in bytes of its JSON text. */
	maxOutputBytes: number;
}

export type JsonataReply =
	| { ready: true }
	| { id: number; ok: true; value: boolean | string | null }
	| { id: number; ok: false; message: string; code?: string };

async function run(job: JsonataJob): Promise<JsonataReply> {
	try {
		if (job.kind === 'condition') {
			return { id: job.id, ok: true, value: await evaluateCondition(job.source, job.input, { timeoutMs: job.timeoutMs }) };
		}
		const result = await compileJsonata(job.source).evaluate(job.input, { timeoutMs: job.timeoutMs });
		const json = result === undefined ? undefined : JSON.stringify(result);
		if (json === undefined) return { id: job.id, ok: true, value: null };
		const bytes = Buffer.byteLength(json);
		if (bytes > job.maxOutputBytes) {
			return {
				id: job.id,
				ok: false,
				code: 'MDM_TOO_LARGE',
				message: `JSONata result is ${bytes} bytes of JSON, over the limit of ${job.maxOutputBytes} bytes`,
			};
		}
		return { id: job.id, ok: true, value: json };
	} catch (error) {
		const { message, code } = error as { message?: unknown; code?: unknown };
		return {
			id: job.id,
			ok: false,
			message: typeof message === 'string' ? message : String(error),
			...(typeof code === 'string' ? { code } : {}),
		};
	}
}

const port = parentPort;
if (port) {
	port.on('message', (job: JsonataJob) => {
		void run(job).then((reply) => port.postMessage(reply));
	});
	const ready: JsonataReply = { ready: true };
	port.postMessage(ready);
}
