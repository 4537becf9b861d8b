/**
 * Create and edit a webhook, Hexnode-style: template (Slack, Teams, Custom) and its defaults, the
 * https rule and the 0–60 s timeout checked as you type, masked Basic/Bearer credentials, signing
 * scheme with the secret shown once, custom headers, event subscriptions by category, rate limit.
 * **Test** sends `webhook.test`; **Validate & save** saves only if that test got a 2xx. An existing
 * webhook also has its health, a mock event of any type, secret rotation and delete (blocked,
 * with links, while alert profiles link it).
 */
import { useState } from 'preact/hooks';
import { ApiFailure, del, get, patch, post } from '../../api';
import { useCatalog } from '../../catalog';
import { ActionPanel } from '../../components/ActionPanel';
import { ActiveField } from '../../components/ActiveField';
import { AuthFields } from '../../components/AuthFields';
import { ChoiceCards } from '../../components/ChoiceCards';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { EventPicker } from '../../components/EventPicker';
import { Field, describedBy } from '../../components/Field';
import { MissingRecord } from '../../components/MissingRecord';
import { NameFields } from '../../components/NameFields';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { SaveChanges } from '../../components/SaveChanges';
import { SecretField } from '../../components/SecretField';
import { DeliveryStatusBadge } from '../../components/StatusBadge';
import { TestResultView } from '../../components/TestResultView';
import { formatTime, relativeTime } from '../../format';
import { useEditedRecord } from '../../editedRecord';
import { useFormEdits } from '../../formEdits';
import { useResource } from '../../hooks';
import { navigate } from '../../router';
import { handOverSecret, takeSecret } from '../../secretOnce';
import type { Session, TemplateName, TestSendResult, WebhookView } from '../../types';
import { lastDelivery, stateText } from './health';
import {
	SIGNING_SCHEMES,
	TEMPLATES,
	type WebhookForm,
	createBody,
	emptyForm,
	formFromWebhook,
	liveErrors,
	patchBody,
	withTemplate,
} from './webhookForm';

interface Props {
	id: string | null;
	session: Session;
}

type Busy = 'test' | 'save' | 'validate' | 'mock' | 'rotate' | 'delete' | null;

const webhookPath = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;

export function WebhookEditor({ id, session }: Props) {
	const catalog = useCatalog();
	const { existing, form, setForm, original, saved } = useEditedRecord(id, (webhookId) => get<WebhookView>(webhookPath(webhookId)), formFromWebhook, () => emptyForm());
	const health = useResource(() => (id ? lastDelivery(id) : Promise.resolve(null)), [id]);
	const edits = useFormEdits();
	const [failure, setFailure] = useState<unknown>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const [result, setResult] = useState<{ title: string; result: TestSendResult } | null>(null);
	const [mockResult, setMockResult] = useState<{ title: string; result: TestSendResult } | null>(null);
	const [secret, setSecret] = useState<string | null>(() => (id ? takeSecret<string>(id) : null));
	const [busy, setBusy] = useState<Busy>(null);
	const [mockType, setMockType] = useState('device.enrolled');
	const [confirm, setConfirm] = useState<'delete' | 'rotate' | null>(null);
	const [blockedBy, setBlockedBy] = useState<{ id: string; name: string }[] | null>(null);

	if (id && existing.error && !existing.data) {
		return <MissingRecord title="Webhook" error={existing.error} back="/webhooks" backLabel="Back to webhooks" />;
	}
	if (!form) return <PageHeader title="Webhook" subtitle="Loading…" />;

	const webhook = existing.data;
	const live = liveErrors(form, session.allowHttp);
	const hasLiveErrors = Object.keys(live).length > 0;
	const errorFor = (path: string) => edits.errorFor(path, live);
	const dirty = original !== null && Object.keys(patchBody(form, original)).length > 0;

	const update = (changes: Partial<WebhookForm>, ...paths: string[]) => {
		setForm({ ...form, ...changes });
		edits.edited(paths);
	};

	const begin = (what: Busy) => {
		setBusy(what);
		setFailure(null);
		setNotice(null);
	};
	const fail = (error: unknown) => {
		setFailure(error);
		edits.failed(error);
		if (error instanceof ApiFailure && error.code === 'webhook_test_failed' && error.body?.test) {
			setResult({ title: 'Validate & save: test', result: error.body.test as TestSendResult });
		}
	};
	const guarded = (what: Busy, work: () => Promise<void>) => async () => {
		if (hasLiveErrors && (what === 'save' || what === 'validate' || (what === 'test' && !webhook))) {
			edits.touchAll();
			return;
		}
		begin(what);
		try {
			await work();
		} catch (error) {
			fail(error);
		} finally {
			setBusy(null);
		}
	};

	const test = guarded('test', async () => {
		setResult(null);
		const answer = webhook
			? await post<TestSendResult>(`${webhookPath(webhook.id)}/test`)
			: await post<TestSendResult>('/v1/webhooks/test', createBody(form));
		setResult({ title: webhook && dirty ? 'Test of the saved configuration' : 'Test', result: answer });
	});

	const create = (validate: boolean) =>
		guarded(validate ? 'validate' : 'save', async () => {
			setResult(null);
			const created = await post<WebhookView>(`/v1/webhooks${validate ? '?test=true' : ''}`, createBody(form));
			if (created.signing.secret && created.signing.scheme !== 'none') handOverSecret(created.id, created.signing.secret);
			navigate(`/webhooks/${encodeURIComponent(created.id)}`, { replace: true });
		});

	const save = guarded('save', async () => {
		if (!webhook || !original) return;
		const changes = patchBody(form, original);
		const answer = await patch<WebhookView>(webhookPath(webhook.id), changes);
		saved(formFromWebhook(answer));
		edits.reset();
		setNotice('Saved.');
		if (changes.signing && answer.signing.scheme !== 'none' && form.signingSecret === '' && original.signingScheme === 'none') {
			setNotice('Saved. A signing secret was generated: rotate it to see it once.');
		}
		await existing.reload();
	});

	const setActive = guarded('save', async () => {
		if (!webhook) return;
		const { enabled } = await patch<WebhookView>(webhookPath(webhook.id), { enabled: !form.enabled });
		setForm({ ...form, enabled });
		setNotice(enabled ? 'Active: deliveries go out again.' : 'Paused: deliveries wait until it is active again.');
		await existing.reload();
	});

	const mock = guarded('mock', async () => {
		if (!webhook) return;
		setMockResult(null);
		const answer = await post<TestSendResult>(`${webhookPath(webhook.id)}/mock`, { type: mockType });
		setMockResult({ title: `Mock ${mockType}`, result: answer });
	});

	const rotate = guarded('rotate', async () => {
		if (!webhook) return;
		setConfirm(null);
		const rotated = await post<WebhookView>(`${webhookPath(webhook.id)}/secret/rotate`, {});
		setSecret(rotated.signing.secret ?? null);
		await existing.reload();
	});

	const remove = guarded('delete', async () => {
		if (!webhook) return;
		try {
			await del(webhookPath(webhook.id));
			setConfirm(null);
			navigate('/webhooks', { replace: true });
		} catch (error) {
			if (error instanceof ApiFailure && error.code === 'webhook_in_use') {
				setBlockedBy((error.body?.profiles as { id: string; name: string }[] | undefined) ?? []);
				return;
			}
			setConfirm(null);
			throw error;
		}
	});

	const storedHint = (unchanged: boolean) => (webhook && unchanged ? 'Stored; leave it to keep it.' : undefined);
	const secretField = (
		id: string,
		field: 'password' | 'token' | 'signingSecret',
		path: string,
		label: string,
		hint: string | undefined,
		required = true,
		placeholder?: string,
	) => (
		<SecretField
			id={id}
			label={label}
			value={form[field]}
			onInput={(value) => update({ [field]: value }, path)}
			error={errorFor(path)}
			hint={hint}
			required={required}
			placeholder={placeholder}
		/>
	);

	const template = TEMPLATES[form.template];
	const scheme = SIGNING_SCHEMES.find((candidate) => candidate.value === form.signingScheme);

	return (
		<>
			<PageHeader
				title={webhook ? webhook.name : 'New webhook'}
				subtitle={webhook ? <span class="mono">{webhook.id}</span> : 'Choose a template, point it at your endpoint, test it, save it.'}
			>
				<a class="button ghost" href="/webhooks">
					All webhooks
				</a>
			</PageHeader>

			{secret && (
				<section class="panel secret-once" aria-labelledby="secret-title">
					<h2 id="secret-title">Signing secret: shown once</h2>
					<p>Copy it into your receiver now. From here on the dispatcher shows it masked; rotate it to get a new one.</p>
					<div class="secret-row">
						<code class="secret-value">{secret}</code>
						<CopyButton text={secret} label="Copy secret" />
						<button type="button" class="button small ghost" onClick={() => setSecret(null)}>
							Done
						</button>
					</div>
				</section>
			)}

			<div class={webhook ? 'editor-grid' : ''}>
				<form
					class="form"
					noValidate
					aria-label="Webhook configuration"
					onSubmit={(event) => {
						event.preventDefault();
						void (webhook ? save() : create(true)());
					}}
				>
					<ErrorNotice error={failure} />
					{notice && <Notice kind="success">{notice}</Notice>}

					<fieldset class="panel">
						<legend>Template</legend>
						<ChoiceCards
							label="Template"
							name="template"
							options={(Object.keys(TEMPLATES) as TemplateName[]).map((name) => ({ value: name, ...TEMPLATES[name] }))}
							value={form.template}
							onChange={(name) => setForm(webhook ? { ...form, template: name } : withTemplate(form, name))}
						/>
					</fieldset>

					<fieldset class="panel">
						<legend>Destination</legend>
						<NameFields
							idPrefix="wh"
							name={form.name}
							description={form.description}
							descriptionHint="What it is for (up to 512 characters)."
							errorFor={errorFor}
							onChange={(changes, path) => update(changes, path)}
						/>
						<Field
							id="wh-url"
							label="URL"
							required
							error={errorFor('/url')}
							hint={session.allowHttp ? 'https:// (this dispatcher also accepts http:// for development).' : 'Must be https://.'}
						>
							<input
								{...describedBy('wh-url', errorFor('/url'))}
								type="url"
								inputMode="url"
								class="mono"
								placeholder={template.placeholder}
								value={form.url}
								onInput={(event) => update({ url: event.currentTarget.value }, '/url')}
							/>
						</Field>
						<div class="row">
							<Field id="wh-method" label="Method">
								<select
									id="wh-method"
									value={form.method}
									onChange={(event) => update({ method: event.currentTarget.value as WebhookForm['method'] }, '/method')}
								>
									<option>POST</option>
									<option>PUT</option>
									<option>PATCH</option>
								</select>
							</Field>
							<Field id="wh-timeout" label="Timeout (seconds)" error={errorFor('/timeoutSeconds')} hint="0 to 60; default 30.">
								<input
									{...describedBy('wh-timeout', errorFor('/timeoutSeconds'))}
									type="number"
									min={0}
									max={60}
									step={1}
									value={form.timeoutSeconds}
									onInput={(event) => update({ timeoutSeconds: event.currentTarget.value }, '/timeoutSeconds')}
								/>
							</Field>
							<Field
								id="wh-rate"
								label="Rate limit (per second)"
								error={errorFor('/rateLimitPerSecond')}
								hint={`Blank for none. ${template.label} default: ${template.rateLimit || 'none'}.`}
							>
								<input
									{...describedBy('wh-rate', errorFor('/rateLimitPerSecond'))}
									type="number"
									min={0}
									step="any"
									value={form.rateLimit}
									onInput={(event) => update({ rateLimit: event.currentTarget.value }, '/rateLimitPerSecond')}
								/>
							</Field>
						</div>
						<ActiveField
							id="wh-active"
							checked={form.enabled}
							onChange={(next) => (webhook ? void setActive() : update({ enabled: next }, '/enabled'))}
							state={webhook ? stateText({ ...webhook, enabled: form.enabled }) : 'Off saves it paused.'}
						/>
					</fieldset>

					<fieldset class="panel">
						<legend>Authentication</legend>
						<AuthFields
							idPrefix="wh"
							label="Type"
							hint="How the dispatcher authenticates to your endpoint. Credentials are masked once saved."
							types={[
								{ value: 'none', label: 'None' },
								{ value: 'basic', label: 'Basic (username and password)' },
								{ value: 'bearer', label: 'Bearer token' },
							]}
							form={form}
							errorFor={errorFor}
							onChange={update}
							passwordHint={storedHint(form.password === original?.password)}
							token={{ label: 'Token', hint: storedHint(form.token === original?.token) ?? 'Sent as Authorization: Bearer <token>.', required: true }}
						/>
					</fieldset>

					<fieldset class="panel">
						<legend>Signing</legend>
						<div class="row">
							<Field id="wh-scheme" label="Scheme" error={errorFor('/signing/scheme')} hint={scheme?.hint}>
								<select
									{...describedBy('wh-scheme', errorFor('/signing/scheme'))}
									value={form.signingScheme}
									onChange={(event) =>
										update({ signingScheme: event.currentTarget.value as WebhookForm['signingScheme'] }, '/signing/scheme')
									}
								>
									{SIGNING_SCHEMES.map((option) => (
										<option key={option.value} value={option.value}>
											{option.label}
										</option>
									))}
								</select>
							</Field>
							{form.signingScheme !== 'none' &&
								secretField(
									'wh-secret',
									'signingSecret',
									'/signing/secret',
									webhook ? 'Secret' : 'Secret (optional)',
									webhook
										? 'Type a new one to replace it, or rotate below (the old one keeps signing for 24 h).'
										: form.signingScheme === 'mender'
											? 'A hex string, as Mender uses; blank generates one.'
											: form.signingScheme === 'standard-ed25519'
												? 'Blank generates a key pair (whsk_…); receivers get its public key whpk_….'
											: 'Blank generates one (whsec_…), shown once after saving.',
									false,
									webhook?.signing.secret,
								)}
						</div>
						{webhook && webhook.signing.scheme !== 'none' && (
							<div class="inline">
								<span class="mono">{webhook.signing.secret}</span>
								<button type="button" class="button small" onClick={() => setConfirm('rotate')} disabled={busy !== null}>
									Rotate secret
								</button>
								{webhook.signing.previousSecretExpiresAt && (
									<span class="muted small">The previous secret signs too until {formatTime(webhook.signing.previousSecretExpiresAt)}.</span>
								)}
							</div>
						)}
						{webhook?.signing.publicKey && (
							<div class="inline">
								<span class="muted small">Public key (give it to the receiver):</span>
								<code class="mono">{webhook.signing.publicKey}</code>
								<CopyButton text={webhook.signing.publicKey} label="Copy public key" />
							</div>
						)}
					</fieldset>

					<fieldset class="panel">
						<legend>Custom headers</legend>
						{form.headers.length === 0 && <p class="muted">None. Add one for an API gateway key, a tenant id…</p>}
						{form.headers.map((row, index) => {
							const error = errorFor(`/headers/${index}`) ?? (row.name ? edits.apiErrors[`/headers/${row.name}`]?.message : undefined) ?? null;
							const setRow = (changes: Partial<typeof row>) =>
								update({ headers: form.headers.map((other, at) => (at === index ? { ...other, ...changes } : other)) }, `/headers/${index}`);
							return (
								<div class="header-row" key={index}>
									<input
										aria-label={`Header ${index + 1} name`}
										class="mono"
										placeholder="X-Tenant"
										value={row.name}
										aria-invalid={error ? true : undefined}
										onInput={(event) => setRow({ name: event.currentTarget.value })}
									/>
									<input
										aria-label={`Header ${index + 1} value`}
										class="mono"
										value={row.value}
										onInput={(event) => setRow({ value: event.currentTarget.value })}
									/>
									<label class="inline">
										<input
											type="checkbox"
											aria-label={`Keep header ${index + 1} secret`}
											checked={row.secret}
											onChange={(event) => setRow({ secret: event.currentTarget.checked })}
										/>
										Secret
									</label>
									<button
										type="button"
										class="button small ghost"
										aria-label={`Remove header ${index + 1}`}
										onClick={() => update({ headers: form.headers.filter((_, at) => at !== index) }, '/headers')}
									>
										Remove
									</button>
									{error && (
										<p class="field-error" role="alert">
											{error}
										</p>
									)}
								</div>
							);
						})}
						<button type="button" class="button small" onClick={() => update({ headers: [...form.headers, { name: '', value: '', secret: true }] })}>
							Add header
						</button>
					</fieldset>

					<fieldset class="panel">
						<legend>Event subscriptions</legend>
						<p class="muted">
							Events sent here directly, whatever the alert profiles say. Leave empty to receive only what{' '}
							<a href="/profiles">alert profiles</a> route here.
						</p>
						{catalog.data ? (
							<EventPicker
								id="wh-events"
								catalog={catalog.data}
								value={form.events}
								onChange={(events) => update({ events }, '/events')}
								error={Object.entries(edits.apiErrors).find(([path]) => path.startsWith('/events'))?.[1].message ?? null}
							/>
						) : (
							<ErrorNotice error={catalog.error} />
						)}
					</fieldset>

					<div class="actions form-actions">
						{webhook ? (
							<SaveChanges
								saving={busy === 'save'}
								disabled={busy !== null || !dirty || hasLiveErrors}
								dirty={dirty}
								onDiscard={() => original && setForm(original)}
							>
								<button type="button" class="button" onClick={() => void test()} disabled={busy !== null}>
									{busy === 'test' ? 'Testing…' : 'Test'}
								</button>
							</SaveChanges>
						) : (
							<>
								<button type="submit" class="button primary" disabled={busy !== null || hasLiveErrors}>
									{busy === 'validate' ? 'Testing and saving…' : 'Validate & save'}
								</button>
								<button type="button" class="button" onClick={() => void test()} disabled={busy !== null || hasLiveErrors}>
									{busy === 'test' ? 'Testing…' : 'Test'}
								</button>
								<button type="button" class="button ghost" onClick={() => void create(false)()} disabled={busy !== null || hasLiveErrors}>
									Save without testing
								</button>
							</>
						)}
					</div>
					{result && <TestResultView title={result.title} result={result.result} />}
				</form>

				{webhook && (
					<aside class="side">
						<section class="panel" aria-labelledby="health-title">
							<h2 id="health-title">Health</h2>
							<dl class="facts">
								<dt>State</dt>
								<dd class={webhook.enabled ? '' : 'off'}>{stateText(webhook)}</dd>
								<dt>Last delivery</dt>
								<dd>
									{health.data ? (
										<>
											<DeliveryStatusBadge status={health.data.status} /> {health.data.responseCode ?? ''}{' '}
											<a href={`/deliveries/${encodeURIComponent(health.data.id)}`} title={formatTime(health.data.createdAt)}>
												{relativeTime(health.data.lastAttemptAt ?? health.data.createdAt)}
											</a>
										</>
									) : (
										'None yet'
									)}
								</dd>
								<dt>Failing since</dt>
								<dd class={webhook.failingSince ? 'failing' : ''}>{webhook.failingSince ? formatTime(webhook.failingSince) : '—'}</dd>
							</dl>
							<a href={`/deliveries?webhookId=${encodeURIComponent(webhook.id)}`}>Its deliveries</a>
						</section>

						<section class="panel" aria-labelledby="mock-title">
							<h2 id="mock-title">Send a mock event</h2>
							<p class="muted small">A type's sample event, sent now to this webhook. Not logged, not retried.</p>
							<Field id="wh-mock" label="Event type">
								<select id="wh-mock" value={mockType} onChange={(event) => setMockType(event.currentTarget.value)}>
									{catalog.data?.categories.map((group) => (
										<optgroup key={group.category} label={group.label}>
											{group.entries.map((entry) => (
												<option key={entry.type} value={entry.type}>
													{entry.type}
												</option>
											))}
										</optgroup>
									))}
								</select>
							</Field>
							<button type="button" class="button" onClick={() => void mock()} disabled={busy !== null}>
								{busy === 'mock' ? 'Sending…' : 'Send mock event'}
							</button>
							{mockResult && <TestResultView title={mockResult.title} result={mockResult.result} />}
						</section>

						<ActionPanel
							id="delete"
							title="Delete"
							text="Pending deliveries to it fail. Alert profiles that link it must be changed first."
							button="Delete webhook"
							danger
							onClick={() => {
								setBlockedBy(null);
								setConfirm('delete');
							}}
							disabled={busy !== null}
						/>
					</aside>
				)}
			</div>

			{webhook && (
				<Dialog
					title={blockedBy ? 'This webhook is in use' : confirm === 'rotate' ? 'Rotate the signing secret?' : `Delete ${webhook.name}?`}
					open={confirm !== null}
					onClose={() => setConfirm(null)}
					actions={
						blockedBy ? null : confirm === 'rotate' ? (
							<button type="button" class="button primary" onClick={() => void rotate()} disabled={busy !== null}>
								Rotate
							</button>
						) : (
							<button type="button" class="button danger" onClick={() => void remove()} disabled={busy !== null}>
								Delete
							</button>
						)
					}
				>
					{blockedBy ? (
						<div class="blocked" role="alert">
							<p>It cannot be deleted while these alert profiles link it. Unlink it from them (or delete them) first:</p>
							<ul>
								{blockedBy.map((profile) => (
									<li key={profile.id}>
										<a href={`/profiles/${encodeURIComponent(profile.id)}`} onClick={() => setConfirm(null)}>
											{profile.name}
										</a>
									</li>
								))}
							</ul>
						</div>
					) : confirm === 'rotate' ? (
						<p>A new secret signs from now on and is shown once. The current one keeps signing alongside it for 24 hours, so receivers can switch without dropping events.</p>
					) : (
						<p>This cannot be undone. Its delivery log stays.</p>
					)}
				</Dialog>
			)}
		</>
	);
}
