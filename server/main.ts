/** `npm start`: the dispatcher with settings from the environment. */
import { settingsFromEnv } from './config';
import { startDispatcher } from './index';

async function main(): Promise<void> {
	const settings = settingsFromEnv();
	const dispatcher = await startDispatcher(settings);
	const store = settings.databaseUrl ? 'PostgreSQL' : settings.dataFile;
	console.log(`MDM webhook dispatcher listening on ${dispatcher.baseUrl} (data: ${store})`);
	if (dispatcher.generatedApiKey) {
		console.log('');
		console.log('Generated admin API key (shown once, only its hash is stored):');
		console.log(`  ${dispatcher.generatedApiKey}`);
		console.log('Set DISPATCHER_API_KEY to choose your own.');
		console.log('');
	}
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: finishing in-flight deliveries and compacting the store…`);
		// Everything accepted is already durable; a shutdown that hangs may be cut short safely.
		setTimeout(() => process.exit(1), 15_000).unref();
		// Held until close() is done: the last writes wait on unref'ed timers (the journal's group
		// commit), which alone would let the process end before the final compaction.
		setInterval(() => undefined, 1000);
		dispatcher.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(`stop failed: ${(error as Error).message}`);
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
