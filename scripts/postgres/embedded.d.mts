export function startEmbeddedPostgres(options?: { durable?: boolean }): Promise<{ url: string; stop: () => Promise<void> }>;
