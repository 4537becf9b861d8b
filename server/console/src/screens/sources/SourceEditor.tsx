/**
 * Create and edit an ingest source: the vendor (fixed once created) and the fields it has — a
 * signature secret (Mender, Scalefusion), Basic or Bearer auth (Hexnode, Nexthink), nothing but
 * the URL token (Kobiton), or a JSONata mapping with an optional HMAC header and auth (generic) —
 * checked as you type. The ingest URL with its token, the secret and generated credentials are
 * shown once, right after create or rotate, with copy buttons; every other view has them masked.
 * A saved source also shows where to paste what in the vendor's product, what it has received
 * and its last refusal, rotation (the old URL and secret keep working 24 h) and delete.
 */
import { useEffect, useState } from 'preact/hooks';
import { VENDOR_NAMES } from '../../../../../core/vendors/types';
import { del, fieldErrors, get, patch, post } from '../../api';
import { CodeBlock } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field, describedBy } from '../../components/Field';
import { JsonataEditor } from '../../components/JsonataEditor';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { SecretInput } from '../../components/SecretInput';
import { Switch } from '../../components/Switch';
import { formatTime } from '../../format';
import { useResource } from '../../hooks';
import { navigate } from '../../router';
import { handOverSecret, takeSecret } from '../../secretOnce';
import type { FieldError, SourceView } from '../../types';
import { sourcePath } from './SourceList';
import {
	HMAC_ALGORITHM_OPTIONS,
	HMAC_ENCODING_OPTIONS,
	type Revealed,
	type SourceForm,
	VENDORS,
	createBody,
	credentialOf,
	emptyForm,
	formFromSource,
	liveErrors,
	patchBody,
	revealedOf,
	usesAuth,
	withVendor,
} from './sourceForm';
import { Counts, LastError, LastReceived } from './traffic';

type Busy = 'save' | 'active' | 'rotate' | 'delete' | null;

/** The URL, secret and credentials an answer showed in full, with copy buttons: once. */
function RevealedCredentials({ revealed, vendor, onDone }: { revealed: Revealed; vendor: string; onDone: () => void }) {
	const auth = revealed.auth;
	return (
		<section class="panel secret-once" aria-labelledby="revealed-title">
			<h2 id="revealed-title">{revealed.rotated ? 'New ingest URL: shown once' : 'Ingest URL: shown once'}</h2>
			<p>
				Paste {revealed.secret || auth ? 'these' : 'it'} into {vendor} now. From here on the dispatcher shows {revealed.secret || auth ? 'them' : 'it'}{' '}
				masked; rotate to get new ones.
				{revealed.rotated && ' The previous URL and secret keep working for 24 hours, so the MDM can be switched over without losing a webhook.'}
			</p>
			<dl class="facts revealed">
				<dt>Ingest URL</dt>
				<dd class="secret-row">
					<code class="secret-value ingest-url">{revealed.ingestUrl}</code>
					<CopyButton text={revealed.ingestUrl} label="Copy URL" />
				</dd>
				{revealed.secret && (
					<>
						<dt>Secret</dt>
						<dd class="secret-row">
							<code class="secret-value source-secret">{revealed.secret}</code>
							<CopyButton text={revealed.secret} label="Copy secret" />
						</dd>
					</>
				)}
				{auth?.type === 'bearer' && (
					<>
						<dt>Bearer token</dt>
						<dd class="secret-row">
							<code class="secret-value source-token">{auth.token}</code>
							<CopyButton text={auth.token} label="Copy token" />
						</dd>
					</>
				)}
				{auth?.type === 'basic' && (
					<>
						<dt>Username</dt>
						<dd class="mono">{auth.username}</dd>
						<dt>Password</dt>
						<dd class="secret-row">
							<code class="secret-value source-password">{auth.password}</code>
							<CopyButton text={auth.password} label="Copy password" />
						</dd>
					</>
				)}
			</dl>
			<button type="button" class="button small ghost" onClick={onDone}>
				Done
			</button>
		</section>
	);
}

export function SourceEditor({ id }: { id: string | null }) {
	const existing = useResource(() => (id ? get<SourceView>(sourcePath(id)) : Promise.resolve(null)), [id]);
	const [form, setForm] = useState<SourceForm | null>(id ? null : emptyForm());
	const [original, setOriginal] = useState<SourceForm | null>(null);
	const [touched, setTouched] = useState<Set<string>>(new Set());
	const [apiErrors, setApiErrors] = useState<Record<string, FieldError>>({});
	const [failure, setFailure] = useState<unknown>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const [revealed, setRevealed] = useState<Revealed | null>(() => (id ? takeSecret<Revealed>(id) : null));
	const [busy, setBusy] = useState<Busy>(null);
	const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);

	useEffect(() => {
		if (existing.data) {
			const loaded = formFromSource(existing.data);
			setForm(loaded);
			setOriginal(loaded);
		}
	}, [existing.data]);

	if (id && existing.error && !existing.data) {
		return (
			<>
				<PageHeader title="Ingest source" />
				<ErrorNotice error={existing.error} />
				<a href="/sources">Back to ingest sources</a>
			</>
		);
	}
	if (!form) return <PageHeader title="Ingest source" subtitle="Loading…" />;

	const source = existing.data;
	const vendor = VENDORS[form.vendor];
	const live = liveErrors(form, source !== null);
	const hasLiveErrors = Object.keys(live).length > 0;
	const shown = (path: string) => touched.has(path) || touched.has('*');
	const errorFor = (path: string) => (shown(path) ? live[path] : undefined) ?? apiErrors[path]?.message ?? null;
	const mappingError: FieldError | null = apiErrors['/mapping'] ?? (shown('/mapping') && live['/mapping'] ? { path: '/mapping', message: live['/mapping'] } : null);
	const dirty = original !== null && Object.keys(patchBody(form, original)).length > 0;

	const update = (changes: Partial<SourceForm>, ...paths: string[]) => {
		setForm({ ...form, ...changes });
		setTouched(new Set([...touched, ...paths]));
		setNotice(null);
		const stale = Object.keys(apiErrors).filter((key) => paths.some((path) => key === path || key.startsWith(`${path}/`)));
		if (stale.length > 0) setApiErrors(Object.fromEntries(Object.entries(apiErrors).filter(([key]) => !stale.includes(key))));
	};

	const guarded = (what: Busy, work: () => Promise<void>) => async () => {
		if (what === 'save' && hasLiveErrors) {
			setTouched(new Set(['*']));
			return;
		}
		setBusy(what);
		setFailure(null);
		setNotice(null);
		try {
			await work();
		} catch (error) {
			setFailure(error);
			setApiErrors(fieldErrors(error));
			setConfirm(null);
		} finally {
			setBusy(null);
		}
	};

	const create = guarded('save', async () => {
		const created = await post<SourceView>('/v1/sources', createBody(form));
		handOverSecret<Revealed>(created.id, revealedOf(created, false));
		navigate(`/sources/${encodeURIComponent(created.id)}`, { replace: true });
	});

	const save = guarded('save', async () => {
		if (!source || !original) return;
		const saved = await patch<SourceView>(sourcePath(source.id), patchBody(form, original));
		const loaded = formFromSource(saved);
		setForm(loaded);
		setOriginal(loaded);
		setTouched(new Set());
		setApiErrors({});
		await existing.reload();
		setNotice('Saved.');
	});

	const setActive = guarded('active', async () => {
		if (!source || !original) return;
		const saved = await patch<SourceView>(sourcePath(source.id), { enabled: !form.enabled });
		setForm({ ...form, enabled: saved.enabled });
		setOriginal({ ...original, enabled: saved.enabled });
		await existing.reload();
		setNotice(saved.enabled ? 'Active: its URL takes webhooks again.' : `Off: its URL answers 404 source_disabled to ${vendor.label} (counted) until it is on again.`);
	});

	const rotate = guarded('rotate', async () => {
		if (!source) return;
		const rotated = await post<SourceView>(`${sourcePath(source.id)}/rotate`, {});
		setConfirm(null);
		setRevealed(revealedOf(rotated, true));
		await existing.reload();
	});

	const remove = guarded('delete', async () => {
		if (!source) return;
		await del(sourcePath(source.id));
		setConfirm(null);
		navigate('/sources', { replace: true });
	});

	const secretField = (field: 'secret' | 'password' | 'token', fieldId: string, path: string, label: string, hint: string | undefined, required: boolean, placeholder?: string) => {
		const error = errorFor(path);
		return (
			<Field id={fieldId} label={label} required={required} error={error} hint={hint}>
				<SecretInput
					id={fieldId}
					value={form[field]}
					placeholder={placeholder}
					invalid={Boolean(error)}
					describedBy={error ? `${fieldId}-error` : `${fieldId}-hint`}
					onInput={(value) => update({ [field]: value }, path)}
				/>
			</Field>
		);
	};
	const credential = credentialOf(form.vendor);
	const storedHint = (unchanged: boolean) => (source && unchanged ? 'Stored; leave it to keep it.' : undefined);

	return (
		<>
			<PageHeader
				title={source ? source.name : 'New ingest source'}
				subtitle={
					source ? (
						<>
							<span class="mono">{source.id}</span> · {vendor.label}
						</>
					) : (
						'Choose the MDM, name the source, create it: you get the URL (and secret) to paste into the MDM.'
					)
				}
			>
				<a class="button ghost" href="/sources">
					All ingest sources
				</a>
			</PageHeader>

			{revealed && <RevealedCredentials revealed={revealed} vendor={vendor.label} onDone={() => setRevealed(null)} />}

			<div class={source ? 'editor-grid' : ''}>
				<form
					class="form"
					noValidate
					aria-label="Ingest source configuration"
					onSubmit={(event) => {
						event.preventDefault();
						void (source ? save() : create());
					}}
				>
					<ErrorNotice error={failure} />
					{notice && <Notice kind="success">{notice}</Notice>}

					<fieldset class="panel">
						<legend>Vendor</legend>
						{source ? (
							<p>
								<span class="strong">{vendor.label}</span> <span class="muted small">(fixed once created)</span>: {vendor.description}
							</p>
						) : (
							<div class="template-choice vendor-choice" role="radiogroup" aria-label="Vendor">
								{VENDOR_NAMES.map((name) => (
									<label key={name} class={`template-card${form.vendor === name ? ' selected' : ''}`}>
										<input type="radio" name="vendor" value={name} checked={form.vendor === name} onChange={() => setForm(withVendor(form, name))} />
										<span class="strong">{VENDORS[name].label}</span>
										<span class="muted small">{VENDORS[name].description}</span>
									</label>
								))}
							</div>
						)}
					</fieldset>

					<fieldset class="panel">
						<legend>Source</legend>
						<Field id="src-name" label="Name" required error={errorFor('/name')} hint="Unique, up to 50 characters.">
							<input
								{...describedBy('src-name', errorFor('/name'))}
								value={form.name}
								maxLength={60}
								onInput={(event) => update({ name: event.currentTarget.value }, '/name')}
							/>
						</Field>
						<Field id="src-description" label="Description" error={errorFor('/description')} hint="Which tenant or environment it is (up to 512 characters).">
							<textarea
								{...describedBy('src-description', errorFor('/description'))}
								rows={2}
								value={form.description}
								onInput={(event) => update({ description: event.currentTarget.value }, '/description')}
							/>
						</Field>
						<div class="field inline">
							<span id="src-active-label">Active</span>
							<Switch
								id="src-active"
								checked={form.enabled}
								label="Active"
								onChange={(next) => (source ? void setActive() : update({ enabled: next }, '/enabled'))}
							/>
							<span class="muted small">{form.enabled ? 'Takes webhooks.' : 'Off: its URL answers 404 source_disabled (counted).'}</span>
						</div>
					</fieldset>

					<fieldset class="panel">
						<legend>Authentication</legend>
						{credential === 'token' && (
							<Notice kind="info">
								{vendor.label} cannot sign or authenticate its callbacks: the token in the ingest URL is the credential. Keep the URL secret; rotate it
								if it leaks.
							</Notice>
						)}
						{credential === 'signature' &&
							secretField(
								'secret',
								'src-secret',
								'/secret',
								source ? 'Secret' : 'Secret (optional)',
								source ? 'Type a new one to replace it now, or rotate below (the old one keeps working for 24 h).' : vendor.secretHint,
								false,
								source?.secret,
							)}
						{form.vendor === 'generic' && (
							<>
								<label class="check">
									<input
										type="checkbox"
										checked={form.hmacOn}
										disabled={Boolean(source?.hmac)}
										onChange={(event) => update({ hmacOn: event.currentTarget.checked }, '/hmac')}
									/>
									<span>
										Check an HMAC signature of the body{' '}
										{source?.hmac && <span class="muted small">(set at creation; change its header or secret here)</span>}
									</span>
								</label>
								{form.hmacOn && (
									<>
										<div class="row">
											<Field id="src-hmac-header" label="Signature header" required error={errorFor('/hmac/header')} hint="e.g. X-Hub-Signature-256.">
												<input
													{...describedBy('src-hmac-header', errorFor('/hmac/header'))}
													class="mono"
													value={form.hmacHeader}
													onInput={(event) => update({ hmacHeader: event.currentTarget.value }, '/hmac/header')}
												/>
											</Field>
											<Field id="src-hmac-algorithm" label="Algorithm">
												<select
													id="src-hmac-algorithm"
													value={form.hmacAlgorithm}
													onChange={(event) => update({ hmacAlgorithm: event.currentTarget.value as SourceForm['hmacAlgorithm'] }, '/hmac/algorithm')}
												>
													{HMAC_ALGORITHM_OPTIONS.map((option) => (
														<option key={option}>{option}</option>
													))}
												</select>
											</Field>
											<Field id="src-hmac-encoding" label="Encoding">
												<select
													id="src-hmac-encoding"
													value={form.hmacEncoding}
													onChange={(event) => update({ hmacEncoding: event.currentTarget.value as SourceForm['hmacEncoding'] }, '/hmac/encoding')}
												>
													{HMAC_ENCODING_OPTIONS.map((option) => (
														<option key={option}>{option}</option>
													))}
												</select>
											</Field>
											<Field id="src-hmac-prefix" label="Prefix" error={errorFor('/hmac/prefix')} hint="Before the digest, e.g. sha256=.">
												<input
													{...describedBy('src-hmac-prefix', errorFor('/hmac/prefix'))}
													class="mono"
													value={form.hmacPrefix}
													onInput={(event) => update({ hmacPrefix: event.currentTarget.value }, '/hmac/prefix')}
												/>
											</Field>
										</div>
										{secretField(
											'secret',
											'src-secret',
											'/secret',
											source ? 'Secret' : 'Secret (optional)',
											source ? 'Type a new one to replace it now, or rotate below (the old one keeps working for 24 h).' : vendor.secretHint,
											false,
											source?.secret,
										)}
									</>
								)}
								{errorFor('/hmac') && (
									<p class="field-error" role="alert">
										{errorFor('/hmac')}
									</p>
								)}
							</>
						)}
						{usesAuth(form.vendor) && (
							<>
								<Field
									id="src-auth"
									label={form.vendor === 'generic' ? 'Basic or Bearer auth' : 'Auth the sender presents'}
									error={errorFor('/auth')}
									hint={`What ${vendor.label} sends in its Authorization header. Masked once saved.`}
								>
									<select
										{...describedBy('src-auth', errorFor('/auth'))}
										value={form.authType}
										onChange={(event) => update({ authType: event.currentTarget.value as SourceForm['authType'] }, '/auth')}
									>
										{form.vendor === 'generic' && <option value="none">None (the URL token{form.hmacOn ? ' and the HMAC' : ''} only)</option>}
										<option value="bearer">Bearer token</option>
										<option value="basic">Basic (username and password)</option>
									</select>
								</Field>
								{form.authType === 'basic' && (
									<div class="row">
										<Field id="src-username" label="Username" required error={errorFor('/auth/username')}>
											<input
												{...describedBy('src-username', errorFor('/auth/username'), false)}
												autocomplete="off"
												value={form.username}
												onInput={(event) => update({ username: event.currentTarget.value }, '/auth/username')}
											/>
										</Field>
										{secretField('password', 'src-password', '/auth/password', 'Password', storedHint(form.password === original?.password), true)}
									</div>
								)}
								{form.authType === 'bearer' &&
									secretField(
										'token',
										'src-token',
										'/auth/token',
										source || form.vendor === 'generic' ? 'Token' : 'Token (optional)',
										storedHint(form.token === original?.token) ??
											(form.vendor === 'generic' ? 'The sender sends Authorization: Bearer <token>.' : 'Blank generates one (32 random bytes), shown once.'),
										source !== null || form.vendor === 'generic',
									)}
							</>
						)}
					</fieldset>

					<fieldset class="panel">
						<legend>{form.vendor === 'generic' ? 'Mapping (JSONata)' : 'Mapping override (JSONata, optional)'}</legend>
						<JsonataEditor
							id="src-mapping"
							label={form.vendor === 'generic' ? 'Mapping' : 'Mapping override'}
							value={form.mapping}
							onChange={(mapping) => update({ mapping }, '/mapping')}
							error={mappingError}
							rows={5}
							placeholder={'{ "type": "device." & state, "id": eventId, "data": { "device": { "id": serial } } }'}
							hint={
								form.vendor === 'generic'
									? "Over the sender's body, to {type, id?, timestamp?, data} or a list of them."
									: `Blank: the built-in ${vendor.label} mapping (docs/vendors.md). Set, it replaces it; the signature or auth check stays.`
							}
						/>
					</fieldset>

					<div class="actions form-actions">
						{source ? (
							<>
								<button type="submit" class="button primary" disabled={busy !== null || !dirty || hasLiveErrors}>
									{busy === 'save' ? 'Saving…' : 'Save changes'}
								</button>
								{dirty && (
									<button type="button" class="button ghost" onClick={() => original && setForm(original)}>
										Discard changes
									</button>
								)}
							</>
						) : (
							<button type="submit" class="button primary" disabled={busy !== null || hasLiveErrors}>
								{busy === 'save' ? 'Creating…' : 'Create source'}
							</button>
						)}
					</div>
				</form>

				{source && (
					<aside class="side">
						<section class="panel" aria-labelledby="setup-title">
							<h2 id="setup-title">Ingest URL</h2>
							<p class="mono small ingest-url-masked">{source.ingestUrl}</p>
							<p class="muted small">
								The token in the URL{source.secret ? ' and the secret are' : ' is'} shown only when the source is created or rotated. Lost it? Rotate for a
								new one.
							</p>
							{source.previousCredentialsExpireAt && (
								<p class="small previous-credentials">
									The previous URL{source.secret ? ' and secret' : ''} keep working until {formatTime(source.previousCredentialsExpireAt)}.
								</p>
							)}
							<h3>Where to paste it</h3>
							<p class="small setup">{source.setup}</p>
							{source.nexthinkTemplate && <CodeBlock title="Payload for Nexthink" label="Copy payload template" value={source.nexthinkTemplate} />}
						</section>

						<section class="panel" aria-labelledby="traffic-title">
							<h2 id="traffic-title">Received</h2>
							<p class="traffic">
								<Counts stats={source.stats} />
							</p>
							<dl class="facts">
								<dt>Last request</dt>
								<dd>
									<LastReceived stats={source.stats} />
								</dd>
								<dt>Last error</dt>
								<dd class="last-error-cell">
									<LastError stats={source.stats} />
								</dd>
							</dl>
							<button type="button" class="button small" onClick={() => void existing.reload()} disabled={existing.loading}>
								{existing.loading ? 'Refreshing…' : 'Refresh'}
							</button>
						</section>

						<section class="panel" aria-labelledby="rotate-title">
							<h2 id="rotate-title">Rotate</h2>
							<p class="muted small">
								A new URL token{source.secret ? ' and secret' : ''}, shown once. The current ones keep working for 24 hours.
								{source.auth.type !== 'none' && ' Basic or Bearer credentials change above, at once.'}
							</p>
							<button type="button" class="button" onClick={() => setConfirm('rotate')} disabled={busy !== null}>
								{source.secret ? 'Rotate URL and secret' : 'Rotate URL'}
							</button>
						</section>

						<section class="panel danger" aria-labelledby="delete-title">
							<h2 id="delete-title">Delete</h2>
							<p class="muted small">Its URL answers 404 from then on. Events it brought in stay in the delivery log.</p>
							<button type="button" class="button danger" onClick={() => setConfirm('delete')} disabled={busy !== null}>
								Delete source
							</button>
						</section>
					</aside>
				)}
			</div>

			{source && (
				<Dialog
					title={confirm === 'rotate' ? (source.secret ? 'Rotate the URL and secret?' : 'Rotate the URL?') : `Delete ${source.name}?`}
					open={confirm !== null}
					onClose={() => setConfirm(null)}
					actions={
						confirm === 'rotate' ? (
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
					{confirm === 'rotate' ? (
						<p>
							A new ingest URL{source.secret ? ' and secret are' : ' is'} made and shown once. The current one{source.secret ? 's keep' : ' keeps'} working
							for 24 hours: update {vendor.label} within that time.
						</p>
					) : (
						<p>{vendor.label} webhooks sent to its URL are refused (404) from then on. This cannot be undone.</p>
					)}
				</Dialog>
			)}
		</>
	);
}
