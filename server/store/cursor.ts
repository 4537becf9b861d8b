/** The delivery log's opaque page cursor: the id of the last delivery of the page before. */
export function encodeCursor(id: string): string {
	return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
	return Buffer.from(cursor, 'base64url').toString('utf8');
}
