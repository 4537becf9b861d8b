/**
 * A signing secret the API showed in full (create, rotate) travels from one screen to the next
 * here, in memory only, and is shown once: never written to storage, gone on reload.
 */
const pending = new Map<string, string>();

export function handOverSecret(webhookId: string, secret: string): void {
	pending.set(webhookId, secret);
}

export function takeSecret(webhookId: string): string | null {
	const secret = pending.get(webhookId) ?? null;
	pending.delete(webhookId);
	return secret;
}
