/**
 * SSRF guard for webhook destinations: a destination may not reach loopback, private, link-local,
 * CGNAT, multicast, documentation or cloud-metadata addresses unless an operator allowed the range
 * (`DISPATCHER_ALLOWED_CIDRS`). Checked at save time (syntax, then DNS) and again at connect time
 * through `lookup`, because a name that resolved to a public address when saved may resolve to
 * 127.0.0.1 later (DNS rebinding).
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { cidrContains, formatIp, parseCidr, parseIp, type Cidr, type IpAddress } from './cidr';

/** Resolves a host name to all its addresses (production: `dns.lookup` with `all: true`). */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface AddressGuardOptions {
	allowHttp: boolean;
	/** Ranges a destination may resolve into although refused by default, e.g. `['10.1.0.0/16']`. */
	allowedCidrs: string[];
	/** Tests only: replaces DNS so that rebinding can be simulated. */
	resolver?: HostResolver;
}

export type RefusalReason = 'scheme' | 'private_address' | 'unresolvable' | 'invalid_url';

export class DestinationRefusedError extends Error {
	override readonly name = 'DestinationRefusedError';
	readonly reason: RefusalReason;

	constructor(reason: RefusalReason, message: string) {
		super(message);
		this.reason = reason;
	}
}

const REFUSED_RANGES: readonly Cidr[] = [
	// IPv4
	'0.0.0.0/8', // "this network"
	'10.0.0.0/8',
	'100.64.0.0/10', // CGNAT
	'127.0.0.0/8',
	'169.254.0.0/16', // link-local, includes the 169.254.169.254 metadata endpoint
	'172.16.0.0/12',
	'192.0.0.0/24', // IETF protocol assignments
	'192.0.2.0/24', // documentation
	'192.168.0.0/16',
	'198.18.0.0/15', // benchmarking
	'198.51.100.0/24', // documentation
	'203.0.113.0/24', // documentation
	'224.0.0.0/4', // multicast
	'240.0.0.0/4', // reserved, includes 255.255.255.255 broadcast
	// IPv6 (the embedded-v4 forms are handled by `embeddedIpv4` instead)
	'::/96', // unspecified, loopback and deprecated IPv4-compatible addresses
	'100::/64', // discard-only
	'64:ff9b:1::/48', // local-use NAT64
	'fc00::/7', // unique local, includes fd00:ec2::254 (AWS metadata)
	'fe80::/10', // link-local
	'fec0::/10', // deprecated site-local
	'ff00::/8', // multicast
	'2001:db8::/32', // documentation
].map(parseCidr);

const MAPPED = parseCidr('::ffff:0:0/96');
const NAT64 = parseCidr('64:ff9b::/96');
const SIX_TO_FOUR = parseCidr('2002::/16');

/** The v4 address that a v6 address stands for (mapped, NAT64 or 6to4): the one actually reached. */
function embeddedIpv4(ip: IpAddress): IpAddress | null {
	if (ip.family !== 6) return null;
	if (cidrContains(MAPPED, ip) || cidrContains(NAT64, ip)) return { family: 4, value: ip.value & 0xffffffffn };
	if (cidrContains(SIX_TO_FOUR, ip)) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
	return null;
}

/** RFC 6761: these names always mean the local machine, so they are refused without asking DNS. */
function isLocalhostName(hostname: string): boolean {
	return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** Result of the static part of the check. */
type SyntaxCheck =
	| { ok: true; hostname: string; literal: IpAddress | null }
	| { ok: false; reason: RefusalReason; message: string };

export class AddressGuard {
	readonly #allowHttp: boolean;
	readonly #allowed: readonly Cidr[];
	readonly #resolve: HostResolver;

	constructor(options: AddressGuardOptions) {
		this.#allowHttp = options.allowHttp;
		this.#allowed = options.allowedCidrs.map(parseCidr);
		this.#resolve = options.resolver ?? ((hostname) => dns.lookup(hostname, { all: true, order: 'verbatim' }));
	}

	/** Whether `http://` destinations are accepted (`DISPATCHER_ALLOW_HTTP`, development only). */
	get allowsHttp(): boolean {
		return this.#allowHttp;
	}

	/** Save-time check without DNS: returns why the URL is refused, or null. */
	checkUrlSyntax(url: string): string | null {
		const check = this.#checkSyntax(url);
		return check.ok ? null : check.message;
	}

	/** Save-time check with DNS: refuses when ANY address of the host is refused. */
	async checkUrl(url: string): Promise<void> {
		const check = this.#checkSyntax(url);
		if (!check.ok) throw new DestinationRefusedError(check.reason, check.message);
		if (check.literal) return;
		await this.#resolveChecked(check.hostname, 0, true);
	}

	isAllowedAddress(ip: string): boolean {
		const parsed = parseIp(ip);
		return parsed !== null && this.#isAllowed(parsed);
	}

	/**
	 * A `dns.lookup` replacement for the connector: resolves, then fails the connection with a
	 * DestinationRefusedError when any address is refused. DNS errors pass through unchanged (they
	 * are network errors, worth a retry).
	 */
	readonly lookup: LookupFunction = (hostname, options, callback) => {
		const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
		this.#resolveChecked(hostname, family, false).then(
			(addresses) => {
				const first = addresses[0] as LookupAddress;
				if (options.all) callback(null, addresses);
				else callback(null, first.address, first.family);
			},
			(error: NodeJS.ErrnoException) => callback(error, options.all ? [] : ''),
		);
	};

	#isAllowed(ip: IpAddress): boolean {
		const forms = [ip];
		const v4 = embeddedIpv4(ip);
		if (v4) forms.push(v4);
		// The operator's allow-list wins over the refused ranges, for every form of the address.
		if (forms.some((form) => this.#allowed.some((cidr) => cidrContains(cidr, form)))) return true;
		return !forms.some((form) => REFUSED_RANGES.some((cidr) => cidrContains(cidr, form)));
	}

	#checkSyntax(url: string): SyntaxCheck {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			return { ok: false, reason: 'invalid_url', message: 'is not a valid URL' };
		}
		if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && this.#allowHttp)) {
			const hint = parsed.protocol === 'http:' ? ' (http:// is accepted only with DISPATCHER_ALLOW_HTTP=true)' : '';
			return { ok: false, reason: 'scheme', message: `must use https${hint}` };
		}
		// WHATWG parsing already normalised `2130706433` or `0x7f.1` to 127.0.0.1; v6 keeps brackets.
		const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
		if (!hostname) return { ok: false, reason: 'invalid_url', message: 'has no host' };
		const literal = parseIp(hostname);
		if (literal && !this.#isAllowed(literal)) {
			return { ok: false, reason: 'private_address', message: `is a private address (${formatIp(literal)})` };
		}
		if (isLocalhostName(hostname.toLowerCase()) && !this.isAllowedAddress('127.0.0.1')) {
			return { ok: false, reason: 'private_address', message: `resolves to a private address (${hostname})` };
		}
		return { ok: true, hostname, literal };
	}

	async #resolveChecked(hostname: string, family: number, saveTime: boolean): Promise<LookupAddress[]> {
		const literal = parseIp(hostname);
		let addresses: LookupAddress[];
		if (literal) {
			addresses = [{ address: hostname, family: literal.family }];
		} else {
			try {
				addresses = await this.#resolve(hostname);
			} catch (error) {
				if (!saveTime) throw error;
				const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
				throw new DestinationRefusedError('unresolvable', `host ${hostname} does not resolve (${code})`);
			}
			if (family === 4 || family === 6) addresses = addresses.filter((entry) => entry.family === family);
		}
		if (addresses.length === 0) {
			if (!saveTime) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
			throw new DestinationRefusedError('unresolvable', `host ${hostname} has no address`);
		}
		for (const entry of addresses) {
			const ip = parseIp(entry.address);
			if (!ip || !this.#isAllowed(ip)) {
				throw new DestinationRefusedError('private_address', `resolves to a private address (${entry.address})`);
			}
		}
		return addresses;
	}
}
