import { describe, expect, it } from 'vitest';
import { cidrContains, formatIp, parseCidr, parseIp } from '../../../server/delivery/cidr';

describe('parseIp', () => {
	it.each([
		['127.0.0.1', 4, 0x7f000001n],
		['255.255.255.255', 4, 0xffffffffn],
		['::', 6, 0n],
		['::1', 6, 1n],
		['::ffff:127.0.0.1', 6, 0xffff7f000001n],
		['::ffff:7f00:1', 6, 0xffff7f000001n],
		['2001:db8::1', 6, 0x20010db8000000000000000000000001n],
		['fe80::1%eth0', 6, 0xfe800000000000000000000000000001n],
		['1:2:3:4:5:6:7:8', 6, 0x00010002000300040005000600070008n],
	])('%s', (text, family, value) => {
		expect(parseIp(text)).toEqual({ family, value });
	});

	it.each(['', 'localhost', '1.2.3', '010.0.0.1', '1.2.3.256', ':::1', '[::1]', '1::2::3'])('refuses %j', (text) => {
		expect(parseIp(text)).toBeNull();
	});

	it('formats addresses back, compressing v6 zeros', () => {
		expect(formatIp(parseIp('10.1.2.3')!)).toBe('10.1.2.3');
		expect(formatIp(parseIp('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
		expect(formatIp(parseIp('::ffff:7f00:1')!)).toBe('::ffff:7f00:1');
		expect(formatIp(parseIp('::')!)).toBe('::');
	});
});

describe('parseCidr', () => {
	it('parses v4 and v6 ranges and bare addresses', () => {
		const v4 = parseCidr('10.1.0.0/16');
		expect(v4.text).toBe('10.1.0.0/16');
		expect(cidrContains(v4, parseIp('10.1.255.7')!)).toBe(true);
		expect(cidrContains(v4, parseIp('10.2.0.1')!)).toBe(false);
		expect(cidrContains(v4, parseIp('::ffff:10.1.0.1')!)).toBe(false); // families never mix

		const v6 = parseCidr(' fc00::/7 ');
		expect(cidrContains(v6, parseIp('fd00:ec2::254')!)).toBe(true);
		expect(cidrContains(v6, parseIp('fe00::1')!)).toBe(false);

		expect(parseCidr('::1').text).toBe('::1/128');
		expect(parseCidr('0.0.0.0/0').prefix).toBe(0);
		expect(cidrContains(parseCidr('0.0.0.0/0'), parseIp('8.8.8.8')!)).toBe(true);
	});

	it.each([
		['10.0.0.0/33', /prefix length must be an integer from 0 to 32/],
		['::/129', /from 0 to 128/],
		['10.0.0.0/', /prefix length/],
		['10.0.0.0/1.5', /prefix length/],
		['10.0.0/8', /"10.0.0" is not an IPv4 or IPv6 address/],
		['example.com/24', /not an IPv4 or IPv6 address/],
		['fe80::%eth0/64', /not an IPv4 or IPv6 address/],
		['10.1.2.3/16', /host bits are set \(did you mean 10.1.0.0\/16\?\)/],
		['', /Invalid CIDR ""/],
	])('refuses %j with a clear error', (text, message) => {
		expect(() => parseCidr(text)).toThrow(message);
	});
});
