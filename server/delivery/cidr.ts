/**
 * IP addresses and CIDR ranges as integers, for the destination guard. Written here rather than
 * pulled from a package: the guard is security-relevant and needs exactly v4, v6 and the
 * embedded-v4 forms, nothing more.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

/** An address as an unsigned integer: 32 bits for v4, 128 bits for v6. */
export interface IpAddress {
	family: IpFamily;
	value: bigint;
}

export interface Cidr {
	family: IpFamily;
	/** Network address (host bits zero). */
	network: bigint;
	prefix: number;
	mask: bigint;
	/** Canonical text, for messages. */
	text: string;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Parses a v4 or v6 address (a v6 zone id such as `%eth0` is ignored); null when it is not one. */
export function parseIp(text: string): IpAddress | null {
	if (isIPv4(text)) return { family: 4, value: parseV4(text) };
	// Zone ids only pick an interface; they do not change which address is reached.
	const unzoned = text.split('%', 1)[0] ?? '';
	if (isIPv6(unzoned)) return { family: 6, value: parseV6(unzoned) };
	return null;
}

/** `node:net` has validated the text, so the parsers below only convert. */
function parseV4(text: string): bigint {
	return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function parseV6(text: string): bigint {
	let head = text;
	let tailV4: bigint | null = null;
	// A dotted v4 tail (`::ffff:1.2.3.4`) stands for the last two groups.
	const lastColon = text.lastIndexOf(':');
	if (text.includes('.', lastColon)) {
		tailV4 = parseV4(text.slice(lastColon + 1));
		head = text.slice(0, lastColon + 1) + '0:0';
	}
	const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
	const leftGroups = left ? left.split(':') : [];
	const rightGroups = right === undefined ? [] : right ? right.split(':') : [];
	const missing = 8 - leftGroups.length - rightGroups.length;
	const groups = [...leftGroups, ...Array<string>(right === undefined ? 0 : missing).fill('0'), ...rightGroups];
	let value = groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
	if (tailV4 !== null) value = (value & ~0xffffffffn) | tailV4;
	return value;
}

function formatV4(value: bigint): string {
	return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatV6(value: bigint): string {
	const groups: string[] = [];
	for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
	// Compress the longest run of zero groups (RFC 5952) so messages read naturally.
	let bestStart = -1;
	let bestLength = 1;
	for (let i = 0; i < 8; ) {
		if (groups[i] !== '0') {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && groups[j] === '0') j++;
		if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
		i = j;
	}
	if (bestStart < 0) return groups.join(':');
	return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

export function formatIp(ip: IpAddress): string {
	return ip.family === 4 ? formatV4(ip.value) : formatV6(ip.value);
}

function maskOf(family: IpFamily, prefix: number): bigint {
	const bits = BITS[family];
	return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/**
 * Parses `a.b.c.d/n` or `v6/n`; a bare address means a single host. Throws an Error naming the
 * input when it is malformed or has host bits set (`10.1.2.3/16` is more likely a typo than intent).
 */
export function parseCidr(text: string): Cidr {
	const trimmed = text.trim();
	const slash = trimmed.indexOf('/');
	const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
	const prefixText = slash < 0 ? null : trimmed.slice(slash + 1);
	const address = addressText.includes('%') ? null : parseIp(addressText);
	if (!address) throw new Error(`Invalid CIDR "${text}": "${addressText}" is not an IPv4 or IPv6 address`);
	const bits = BITS[address.family];
	let prefix = bits;
	if (prefixText !== null) {
		if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
			throw new Error(`Invalid CIDR "${text}": prefix length must be an integer from 0 to ${bits}`);
		}
		prefix = Number(prefixText);
	}
	const mask = maskOf(address.family, prefix);
	const network = address.value & mask;
	const canonical = `${formatIp({ family: address.family, value: network })}/${prefix}`;
	if (network !== address.value) {
		throw new Error(`Invalid CIDR "${text}": host bits are set (did you mean ${canonical}?)`);
	}
	return { family: address.family, network, prefix, mask, text: canonical };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
	return cidr.family === ip.family && (ip.value & cidr.mask) === cidr.network;
}
