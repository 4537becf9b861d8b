/** The dispatcher's public origin, for URLs it hands out (ingest URLs, the OpenAPI server URL). */
import type { Request } from 'express';

/** `DISPATCHER_PUBLIC_URL` when set, else the origin this request reached. */
export function publicOrigin(publicUrl: string | null, request: Request): string {
	return publicUrl ?? `${request.protocol}://${request.get('host') ?? '127.0.0.1'}`;
}
