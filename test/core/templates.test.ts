import { describe, expect, it } from 'vitest';
import {
	EVENT_TYPE_NAMES,
	TEMPLATE_NAMES,
	escapeSlack,
	getEventType,
	renderTemplate,
	sampleEnvelope,
	type EventEnvelope,
	type JsonObject,
	type TemplateName,
} from '../../core';

type SlackBlock = { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { text: string }[] };
type SlackBody = { text: string; blocks: SlackBlock[] };
type TeamsBody = {
	type: string;
	attachments: { contentType: string; contentUrl: null; content: { type: string; version: string; $schema: string; body: { type: string; text?: string; facts?: { title: string; value: string }[] }[] } }[];
};

describe('templates', () => {
	it('has the three templates', () => {
		expect([...TEMPLATE_NAMES].sort()).toEqual(['custom', 'slack', 'teams']);
		expect(() => renderTemplate('email' as TemplateName, sampleEnvelope('device.enrolled'))).toThrow(/unknown template/);
	});

	it('custom is the canonical envelope', () => {
		const e = sampleEnvelope('device.enrolled');
		expect(renderTemplate('custom', e)).toEqual(e);
	});

	describe.each(EVENT_TYPE_NAMES.map((t) => [t]))('%s', (type) => {
		const envelope = sampleEnvelope(type);
		const title = getEventType(type)!.title!;

		it('slack: text and blocks, title, fields, context with the event id, within Block Kit limits', () => {
			const body = renderTemplate('slack', envelope) as unknown as SlackBody;
			expect(typeof body.text).toBe('string');
			expect(body.text.length).toBeGreaterThan(0);
			expect(body.text).toContain(title);
			expect(Array.isArray(body.blocks)).toBe(true);
			expect(body.blocks[0].type).toBe('header');
			expect(body.blocks[0].text!.text).toContain(title);
			expect(body.blocks[0].text!.text.length).toBeLessThanOrEqual(150);
			const fields = body.blocks.find((b) => b.fields)?.fields ?? [];
			expect(fields.length).toBeGreaterThan(1);
			expect(fields.length).toBeLessThanOrEqual(10);
			expect(fields.some((f) => f.text.startsWith('*Time*'))).toBe(true);
			const subject = getEventType(type)!.category === 'operational' ? '*Webhook*' : '*Device*';
			expect(fields.some((f) => f.text.startsWith(subject))).toBe(true);
			const context = body.blocks[body.blocks.length - 1];
			expect(context.type).toBe('context');
			expect(context.elements![0].text).toContain(envelope.id);
			expect(JSON.stringify(body).length).toBeLessThan(12000);
		});

		it('teams: exactly one adaptive card attachment', () => {
			const body = renderTemplate('teams', envelope) as unknown as TeamsBody;
			expect(body.type).toBe('message');
			expect(body.attachments).toHaveLength(1);
			const [att] = body.attachments;
			expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
			expect(att.contentUrl).toBeNull();
			expect(att.content.type).toBe('AdaptiveCard');
			expect(att.content.version).toBe('1.4');
			expect(att.content.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
			expect(att.content.body[0]).toMatchObject({ type: 'TextBlock' });
			expect(att.content.body[0].text).toContain(title);
			const factSet = att.content.body.find((b) => b.type === 'FactSet');
			expect(factSet?.facts?.length).toBeGreaterThan(1);
			expect(JSON.stringify(body)).toContain(envelope.id);
		});
	});

	it('compliance events show policy and severity', () => {
		const violated = sampleEnvelope('compliance.violated');
		const slack = renderTemplate('slack', violated) as unknown as SlackBody;
		expect(slack.text).toBe(':rotating_light: Compliance violated: Galaxy Note 8 (android) · Android Corporate Baseline (high)');
		const fieldText = JSON.stringify(slack.blocks);
		expect(fieldText).toContain('*Policy*\\nAndroid Corporate Baseline');
		expect(fieldText).toContain('*Severity*\\nhigh');
		expect(fieldText).toContain('Storage encryption is disabled');
		const teams = renderTemplate('teams', violated) as unknown as TeamsBody;
		const facts = teams.attachments[0].content.body.find((b) => b.type === 'FactSet')!.facts!;
		expect(facts).toContainEqual({ title: 'Policy', value: 'Android Corporate Baseline' });
		expect(facts).toContainEqual({ title: 'Severity', value: 'high' });

		const restored = renderTemplate('slack', sampleEnvelope('compliance.restored')) as unknown as SlackBody;
		expect(restored.text).toContain('iOS Corporate Baseline (medium)');
	});

	it('operational events name the webhook, the failure and the delivery', () => {
		const failing = renderTemplate('slack', sampleEnvelope('webhook.failing')) as unknown as SlackBody;
		expect(failing.text).toBe(':warning: Webhook failing: webhook Slack #provisioning');
		const fieldText = JSON.stringify(failing.blocks);
		expect(fieldText).toContain('*Host*\\nhooks.slack.com');
		expect(fieldText).toContain('*Failure*\\nhttp_5xx · HTTP 503');
		expect(fieldText).toContain('*Delivery*\\nmsg_01JDXM0B7C2D3E4F5G6H7J8K9M');
		expect(fieldText).not.toContain('unknown device');
		const disabled = renderTemplate('teams', sampleEnvelope('webhook.disabled')) as unknown as TeamsBody;
		const facts = disabled.attachments[0].content.body.find((b) => b.type === 'FactSet')!.facts!;
		expect(facts).toContainEqual({ title: 'Reason', value: 'gone' });
		expect(facts).toContainEqual({ title: 'Failure', value: 'http_4xx · HTTP 410' });
	});

	it('slack fallback text for an enrollment', () => {
		const slack = renderTemplate('slack', sampleEnvelope('device.enrolled')) as unknown as SlackBody;
		expect(slack.text).toBe(':iphone: Device enrolled: Galaxy Note 8 (android)');
	});

	it('escapes user-controlled text for Slack mrkdwn', () => {
		expect(escapeSlack('a & <b> <!channel>')).toBe('a &amp; &lt;b&gt; &lt;!channel&gt;');
		const e = sampleEnvelope('device.enrolled');
		(e.data.device as JsonObject).name = '<!channel> Pwn & <https://evil.example|click>';
		const slack = renderTemplate('slack', e) as unknown as SlackBody;
		const all = JSON.stringify(slack);
		expect(all).not.toContain('<!channel>');
		expect(all).not.toContain('<https://evil');
		expect(slack.text).toContain('&lt;!channel&gt; Pwn &amp; &lt;https://evil.example|click&gt;');
	});

	it('copes with minimal and odd data (vendors send anything)', () => {
		const e: EventEnvelope = { id: 'evt_x', type: 'device.online', timestamp: '2026-11-22T10:00:00.000Z', data: { device: { id: 'd-1' } } };
		const slack = renderTemplate('slack', e) as unknown as SlackBody;
		expect(slack.text).toBe(':large_green_circle: Device online: d-1');
		const odd: EventEnvelope = {
			id: 'evt_y',
			type: 'compliance.violated',
			timestamp: 'not a date',
			data: { device: { id: 'd-2', name: 42, user: 'nobody' }, violations: 'many', policy: null },
		};
		expect(() => renderTemplate('slack', odd)).not.toThrow();
		expect(() => renderTemplate('teams', odd)).not.toThrow();
		const unknownType: EventEnvelope = { ...e, type: 'vendor.custom' };
		expect((renderTemplate('slack', unknownType) as unknown as SlackBody).text).toContain('vendor.custom');
	});
});
