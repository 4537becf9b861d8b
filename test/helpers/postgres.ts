/** A fresh database per call on the run's PostgreSQL (see postgresServer.ts). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export function postgresAdminUrl(): string {
	return inject('postgresUrl');
}

export async function createTestDatabase(): Promise<string> {
	const admin = new URL(postgresAdminUrl());
	const name = `t_${randomBytes(6).toString('hex')}`;
	const client = new pg.Client({ connectionString: admin.toString() });
	await client.connect();
	try {
		await client.query(`CREATE DATABASE ${name}`);
	} finally {
		await client.end();
	}
	admin.pathname = `/${name}`;
	return admin.toString();
}
