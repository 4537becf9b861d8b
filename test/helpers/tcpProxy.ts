/**
 * A loopback TCP proxy in front of a server, to take it away and give it back: `cut()` drops
 * every connection and refuses new ones (as a database that went away), `restore()` reconnects.
 */
import net from 'node:net';

export interface TcpProxy {
	port: number;
	cut(): void;
	restore(): void;
	close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
	let open = true;
	const sockets = new Set<net.Socket>();
	const server = net.createServer((client) => {
		if (!open) {
			client.destroy();
			return;
		}
		const upstream = net.connect(targetPort, targetHost);
		sockets.add(client);
		sockets.add(upstream);
		const drop = () => {
			client.destroy();
			upstream.destroy();
			sockets.delete(client);
			sockets.delete(upstream);
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		cut() {
			open = false;
			for (const socket of sockets) socket.destroy();
			sockets.clear();
		},
		restore() {
			open = true;
		},
		close() {
			open = false;
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
