import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { AddressGuard, DestinationRefusedError, type HostResolver } from '../../../server/delivery/addressGuard';

const strict = new AddressGuard({ allowHttp: false, allowedCidrs: [] });

/** A resolver answering from a table, as DNS would. */
function tableResolver(table: Record<string, string[]>): HostResolver {
	return async (hostname) => {
		const addresses = table[hostname];
		if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
		return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
	};
}

async function refusal(promise: Promise<unknown>): Promise<DestinationRefusedError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DestinationRefusedError);
	return error as DestinationRefusedError;
}

describe('AddressGuard.isAllowedAddress', () => {
	it.each([
		// IPv4 ranges, first and last address where it matters
		'0.0.0.0',
		'0.255.255.255',
		'10.0.0.1',
		'10.255.255.255',
		'100.64.0.1',
		'100.127.255.254',
		'127.0.0.1',
		'127.255.255.254',
		'169.254.0.1',
		'169.254.169.254', // cloud metadata
		'172.16.0.1',
		'172.31.255.255',
		'192.0.0.8',
		'192.0.2.10',
		'192.168.1.1',
		'198.18.0.1',
		'198.19.255.255',
		'198.51.100.7',
		'203.0.113.9',
		'224.0.0.1',
		'239.255.255.250',
		'240.0.0.1',
		'255.255.255.255',
		// IPv6
		'::',
		'::1',
		'fc00::1',
		'fd12:3456::1',
		'fd00:ec2::254', // AWS metadata over v6
		'fe80::1',
		'fe80::1%eth0',
		'febf:ffff::1',
		'ff02::1',
		'2001:db8::1',
		'::7f00:1', // deprecated IPv4-compatible
		// v4 behind v6: mapped (both spellings), NAT64, 6to4
		'::ffff:127.0.0.1',
		'::ffff:7f00:1',
		'::ffff:10.0.0.1',
		'::ffff:169.254.169.254',
		'::ffff:a9fe:a9fe',
		'64:ff9b::127.0.0.1',
		'64:ff9b::a00:1',
		'64:ff9b::169.254.169.254',
		'2002:7f00:1::',
		'2002:c0a8:101::1', // 192.168.1.1
		'2002:a9fe:a9fe::1',
		// not addresses at all
		'localhost',
		'',
		'1.2.3.4.5',
	])('refuses %s', (ip) => {
		expect(strict.isAllowedAddress(ip)).toBe(false);
	});

	it.each([
		'8.8.8.8',
		'1.1.1.1',
		'93.184.216.34',
		'100.63.255.255', // just below CGNAT
		'100.128.0.0', // just above CGNAT
		'172.15.255.255',
		'172.32.0.0',
		'169.253.255.255',
		'198.17.255.255',
		'198.20.0.0',
		'223.255.255.255',
		'2606:4700:4700::1111',
		'2a00:1450:4001:80b::200e',
		'::ffff:8.8.8.8',
		'64:ff9b::808:808',
		'2002:808:808::1',
		'fbff::1', // just below fc00::/7
	])('allows %s', (ip) => {
		expect(strict.isAllowedAddress(ip)).toBe(true);
	});

	it('lets allowedCidrs open refused ranges, in every form of the address', () => {
		const guard = new AddressGuard({ allowHttp: false, allowedCidrs: ['127.0.0.0/8', '::1/128', '10.1.0.0/16'] });
		for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '10.1.2.3', '::ffff:10.1.9.9', '64:ff9b::a01:203']) {
			expect(guard.isAllowedAddress(ip), ip).toBe(true);
		}
		for (const ip of ['10.2.0.1', '192.168.0.1', '169.254.169.254', '::2', 'fe80::1']) {
			expect(guard.isAllowedAddress(ip), ip).toBe(false);
		}
	});

	it('fails construction with a clear error for a bad CIDR', () => {
		expect(() => new AddressGuard({ allowHttp: false, allowedCidrs: ['10.0.0.0/8', 'nonsense'] })).toThrow(
			/Invalid CIDR "nonsense"/,
		);
	});
});

describe('AddressGuard.checkUrlSyntax', () => {
	it('accepts public https URLs', () => {
		expect(strict.checkUrlSyntax('https://hooks.slack.com/services/T0/B0/x')).toBeNull();
		expect(strict.checkUrlSyntax('https://8.8.8.8:8443/hook?x=1')).toBeNull();
		expect(strict.checkUrlSyntax('https://[2606:4700:4700::1111]/')).toBeNull();
	});

	it('requires https unless allowHttp', () => {
		expect(strict.checkUrlSyntax('http://example.com/hook')).toMatch(/must use https.*DISPATCHER_ALLOW_HTTP/);
		expect(strict.checkUrlSyntax('ftp://example.com/hook')).toBe('must use https');
		expect(strict.checkUrlSyntax('file:///etc/passwd')).toBe('must use https');
		const dev = new AddressGuard({ allowHttp: true, allowedCidrs: [] });
		expect(dev.checkUrlSyntax('http://example.com/hook')).toBeNull();
		expect(dev.checkUrlSyntax('ftp://example.com/hook')).toBe('must use https');
	});

	it('refuses literal private addresses in all their spellings', () => {
		for (const url of [
			'https://127.0.0.1/',
			'https://2130706433/', // 127.0.0.1 as one number
			'https://0x7f.1/',
			'https://169.254.169.254/latest/meta-data/',
			'https://[::1]:8443/',
			'https://[::ffff:127.0.0.1]/',
			'https://[::ffff:7f00:1]/',
			'https://[64:ff9b::a9fe:a9fe]/',
			'https://[fd00:ec2::254]/',
			'https://localhost/',
			'https://LOCALHOST./',
			'https://api.localhost/',
		]) {
			expect(strict.checkUrlSyntax(url), url).toMatch(/private address/);
		}
	});

	it('refuses what is not a URL', () => {
		expect(strict.checkUrlSyntax('not a url')).toBe('is not a valid URL');
		expect(strict.checkUrlSyntax('')).toBe('is not a valid URL');
	});
});

describe('AddressGuard.checkUrl', () => {
	it('refuses localhost (real resolver)', async () => {
		const error = await refusal(strict.checkUrl('http://localhost:8080/'));
		expect(error.reason).toBe('scheme');
		const dev = new AddressGuard({ allowHttp: true, allowedCidrs: [] });
		expect((await refusal(dev.checkUrl('http://localhost:8080/'))).reason).toBe('private_address');
	});

	it('refuses a host when ANY of its addresses is refused', async () => {
		const guard = new AddressGuard({
			allowHttp: false,
			allowedCidrs: [],
			resolver: tableResolver({
				'public.example': ['93.184.216.34', '2606:2800:220:1::1'],
				'mixed.example': ['93.184.216.34', '10.0.0.5'],
				'v6private.example': ['93.184.216.34', 'fd00::5'],
				'metadata.example': ['169.254.169.254'],
				'empty.example': [],
			}),
		});
		await expect(guard.checkUrl('https://public.example/hook')).resolves.toBeUndefined();
		const mixed = await refusal(guard.checkUrl('https://mixed.example/hook'));
		expect(mixed).toMatchObject({ reason: 'private_address', message: 'resolves to a private address (10.0.0.5)' });
		expect((await refusal(guard.checkUrl('https://v6private.example/'))).message).toContain('fd00::5');
		expect((await refusal(guard.checkUrl('https://metadata.example/'))).reason).toBe('private_address');
		expect((await refusal(guard.checkUrl('https://nowhere.example/'))).reason).toBe('unresolvable');
		expect((await refusal(guard.checkUrl('https://empty.example/'))).reason).toBe('unresolvable');
		expect((await refusal(guard.checkUrl('nope'))).reason).toBe('invalid_url');
		expect((await refusal(guard.checkUrl('https://10.0.0.1/'))).reason).toBe('private_address');
	});

	it('accepts private destinations inside allowedCidrs', async () => {
		const guard = new AddressGuard({
			allowHttp: true,
			allowedCidrs: ['127.0.0.0/8', '::1/128'],
			resolver: tableResolver({ 'receiver.test': ['127.0.0.1', '::1'] }),
		});
		await expect(guard.checkUrl('http://receiver.test:8080/')).resolves.toBeUndefined();
		await expect(guard.checkUrl('http://127.0.0.1:8080/')).resolves.toBeUndefined();
	});
});

describe('AddressGuard.lookup', () => {
	function lookup(guard: AddressGuard, hostname: string, all: boolean) {
		return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family: unknown }>((resolve) => {
			guard.lookup(hostname, { all }, (error, address, family) => resolve({ error, address, family }));
		});
	}

	it('answers like dns.lookup for allowed hosts, in both callback shapes', async () => {
		const guard = new AddressGuard({
			allowHttp: false,
			allowedCidrs: [],
			resolver: tableResolver({ 'public.example': ['93.184.216.34', '2606:2800:220:1::1'] }),
		});
		expect(await lookup(guard, 'public.example', false)).toEqual({ error: null, address: '93.184.216.34', family: 4 });
		const all = await lookup(guard, 'public.example', true);
		expect(all.address).toEqual([
			{ address: '93.184.216.34', family: 4 },
			{ address: '2606:2800:220:1::1', family: 6 },
		]);
	});

	it('fails with DestinationRefusedError for refused addresses (real resolver: localhost)', async () => {
		const result = await lookup(strict, 'localhost', true);
		expect(result.error).toBeInstanceOf(DestinationRefusedError);
		expect(result.error?.message).toMatch(/^resolves to a private address \((127\.0\.0\.1|::1)\)$/);
	});

	it('passes DNS errors through unchanged (retryable, not a refusal)', async () => {
		const guard = new AddressGuard({ allowHttp: false, allowedCidrs: [], resolver: tableResolver({}) });
		const result = await lookup(guard, 'nowhere.example', false);
		expect(result.error).not.toBeInstanceOf(DestinationRefusedError);
		expect(result.error?.code).toBe('ENOTFOUND');
	});
});
