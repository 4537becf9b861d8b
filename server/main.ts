/** `npm start`: the dispatcher with settings from the environment. */
import { PACKAGE_VERSION } from '../core';
import { settingsFromEnv } from './config';
import { startDispatcher } from './index';

async function main(): Promise<void> {
	const settings = settingsFromEnv();
	const dispatcher = await startDispatcher(settings);
	console.log(`MDM webhook dispatcher ${PACKAGE_VERSION} listening on ${dispatcher.baseUrl}`);
	console.log(
		settings.databaseUrl
			? '  data:    PostgreSQL (DISPATCHER_DATABASE_URL)'
			: `  data:    ${settings.dataFile} (its journal and log archive beside it)`,
	);
	if (dispatcher.generatedApiKey) {
		console.log(`  API key: generated now, printed below once; only its hash is stored in the data file`);
		console.log('');
		console.log(`  ${dispatcher.generatedApiKey}`);
		console.log('');
		console.log('Set DISPATCHER_API_KEY to choose your own.');
	} else if (settings.apiKey) {
		console.log('  API key: from DISPATCHER_API_KEY (its hash is stored in the data file)');
	} else {
		console.log(
			'  API key: the one printed on the first start with this data file (only its hash is stored); set DISPATCHER_API_KEY to replace it',
		);
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
