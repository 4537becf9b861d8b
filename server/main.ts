/**
 * `npm start`: the dispatcher with settings from the environment. It logs through its structured
 * logger (`DISPATCHER_LOG_LEVEL`); only a generated admin key is printed plainly, once, as the
 * operator must copy it.
 */
import { settingsFromEnv } from './config';
import { startDispatcher } from './index';

async function main(): Promise<void> {
	const settings = settingsFromEnv();
	const dispatcher = await startDispatcher(settings);
	const log = dispatcher.context.logger;
	// Start itself is logged by startDispatcher (url, version, data file); here, where the key came from.
	const keySource = dispatcher.generatedApiKey
		? 'generated now, printed below once; only its hash is stored'
		: settings.apiKey
			? 'from DISPATCHER_API_KEY (its hash is stored)'
			: 'the one printed on the first start with this data file (only its hash is stored); set DISPATCHER_API_KEY to replace it';
	log.info({ event: 'dispatcher.api_key', source: dispatcher.generatedApiKey ? 'generated' : settings.apiKey ? 'env' : 'stored' }, `API key: ${keySource}`);
	if (dispatcher.generatedApiKey) {
		// Not a log line: the operator must copy it, and it is shown this once.
		console.log('');
		console.log(`  ${dispatcher.generatedApiKey}`);
		console.log('');
		console.log('Set DISPATCHER_API_KEY to choose your own.');
	}
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ event: 'dispatcher.signal', signal }, `${signal}: finishing in-flight deliveries and compacting the store`);
		// Everything accepted is already durable; a shutdown that hangs may be cut short safely.
		setTimeout(() => process.exit(1), 15_000).unref();
		// Held until close() is done: the last writes wait on unref'ed timers (the journal's group
		// commit), which alone would let the process end before the final compaction.
		setInterval(() => undefined, 1000);
		dispatcher.close().then(
			() => process.exit(0),
			(error: unknown) => {
				log.error({ event: 'dispatcher.stop_failed', err: error }, `stop failed: ${(error as Error).message}`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(`dispatcher failed to start: ${(error as Error).message}`);
	process.exit(1);
});
