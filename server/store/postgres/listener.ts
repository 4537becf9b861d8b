/**
 * One connection that LISTENs on the dispatcher's channels: `mdm_dispatcher_work` (new or
 * re-queued deliveries) and `mdm_dispatcher_config` (a webhook, profile or meta changed through
 * any instance). When the connection drops it reconnects with backoff and reports `onReconnect`,
 * since notifications sent meanwhile are lost: listeners then reload what they cache.
 */
import pg from 'pg';

export const WORK_CHANNEL = 'mdm_dispatcher_work';
export const CONFIG_CHANNEL = 'mdm_dispatcher_config';

export interface ListenerHandlers {
	onNotification(channel: string, payload: string): void;
	onReconnect(): void;
}

export class NotificationListener {
	private client: pg.Client | null = null;
	private stopped = false;
	private retryMs = 100;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		private readonly url: string,
		private readonly handlers: ListenerHandlers,
	) {}

	/** Connects once; throws when the server cannot be reached (start-up must fail loudly). */
	async start(): Promise<void> {
		await this.connect();
	}

	private async connect(): Promise<void> {
		const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000, application_name: 'mdm-dispatcher-listen' });
		client.on('error', () => this.lost(client));
		client.on('end', () => this.lost(client));
		client.on('notification', (message) => this.handlers.onNotification(message.channel, message.payload ?? ''));
		await client.connect();
		await client.query(`LISTEN ${WORK_CHANNEL}`);
		await client.query(`LISTEN ${CONFIG_CHANNEL}`);
		this.client = client;
		this.retryMs = 100;
	}

	private lost(client: pg.Client): void {
		if (this.client !== client) return;
		this.client = null;
		client.removeAllListeners();
		client.on('error', () => undefined);
		void client.end().catch(() => undefined);
		this.scheduleReconnect();
	}

	private scheduleReconnect(): void {
		if (this.stopped || this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.connect().then(
				() => this.handlers.onReconnect(),
				() => {
					this.retryMs = Math.min(this.retryMs * 2, 5000);
					this.scheduleReconnect();
				},
			);
		}, this.retryMs);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		const client = this.client;
		this.client = null;
		if (client) {
			client.removeAllListeners();
			client.on('error', () => undefined);
			await client.end().catch(() => undefined);
		}
	}
}
