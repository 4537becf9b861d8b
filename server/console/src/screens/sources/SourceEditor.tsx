/**
 * Create and edit an ingest source: the vendor (fixed once created) and the fields it has — a
 * signature secret (Mender, Scalefusion), Basic or Bearer auth (Hexnode, Nexthink), nothing but
 * the URL token (Kobiton), or a JSONata mapping with an optional HMAC header and auth (generic) —
 * checked as you type. The ingest URL with its token, the secret and generated credentials are
 * shown once, right after create or rotate, with copy buttons; every other view has them masked.
 * A saved source also shows where to paste what in the vendor's product, what it has received
 * and its last refusal, rotation (the old URL and secret keep working 24 h) and delete.
 */
import { useState } from 'preact/hooks';
import { VENDOR_NAMES } from '../../../../../core/vendors/types';
import { del, get, patch, post } from '../../api';
import { ActionPanel } from '../../components/ActionPanel';
import { ActiveField } from '../../components/ActiveField';
import { AuthFields } from '../../components/AuthFields';
import { ChoiceCards } from '../../components/ChoiceCards';
import { CodeBlock } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field, describedBy } from '../../components/Field';
import { JsonataEditor } from '../../components/JsonataEditor';
import { MissingRecord } from '../../components/MissingRecord';
import { NameFields } from '../../components/NameFields';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { SaveChanges } from '../../components/SaveChanges';
import { SecretField } from '../../components/SecretField';
import { formatTime } from '../../format';
import { useEditedRecord } from '../../editedRecord';
import { useFormEdits } from '../../formEdits';
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

/** One value shown once: its name, the value, a button that copies it. */
function RevealedValue({ term, value, kind, copy }: { term: string; value: string; kind: string; copy: string }) {
	return (
		<>
			<dt>{term}</dt>
			<dd class="secret-row">
				<code class={`secret-value ${kind}`}>{value}</code>
				<CopyButton text={value} label={copy} />
			</dd>
		</>
	);
}

/** The URL, secret and credentials an answer showed in full, with copy buttons: once. */
function RevealedCredentials({ revealed, vendor, onDone }: { revealed: Revealed; vendor: string; onDone: () => void }) {
	const auth = revealed.auth;
	const several = Boolean(revealed.secret || auth);
	return (
		<section class="panel secret-once" aria-labelledby="revealed-title">
			<h2 id="revealed-title">{revealed.rotated ? 'New ingest URL: shown once' : 'Ingest URL: shown once'}</h2>
			<p>
				Paste {several ? 'these' : 'it'} into {vendor} now. From here on the dispatcher shows {several ? 'them' : 'it'} masked; rotate to get new
				ones.
				{revealed.rotated && ' The previous URL and secret keep working for 24 hours, so the MDM can be switched over without losing a webhook.'}
			</p>
			<dl class="facts revealed">
				<RevealedValue term="Ingest URL" value={revealed.ingestUrl} kind="ingest-url" copy="Copy URL" />
				{revealed.secret && <RevealedValue term="Secret" value={revealed.secret} kind="source-secret" copy="Copy secret" />}
				{auth?.type === 'bearer' && <RevealedValue term="Bearer token" value={auth.token} kind="source-token" copy="Copy token" />}
				{auth?.type === 'basic' && (
					<>
						<dt>Username</dt>
						<dd class="mono">{auth.username}</dd>
						<RevealedValue term="Password" value={auth.password} kind="source-password" copy="Copy password" />
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
	const { existing, form, setForm, original, saved } = useEditedRecord(id, (sourceId) => get<SourceView>(sourcePath(sourceId)), formFromSource, () => emptyForm());
	const edits = useFormEdits();
	const [failure, setFailure] = useState<unknown>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const [revealed, setRevealed] = useState<Revealed | null>(() => (id ? takeSecret<Revealed>(id) : null));
	const [busy, setBusy] = useState<Busy>(null);
	const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);

	if (id && existing.error && !existing.data) {
		return <MissingRecord title="Ingest source" error={existing.error} back="/sources" backLabel="Back to ingest sources" />;
	}
	if (!form) return <PageHeader title="Ingest source" subtitle="Loading…" />;

	const source = existing.data;
	const vendor = VENDORS[form.vendor];
	const live = liveErrors(form, source !== null);
	const hasLiveErrors = Object.keys(live).length > 0;
	const errorFor = (path: string) => edits.errorFor(path, live);
	// The API's error keeps its position (line and column in the editor); a live one has none.
	const mappingMessage = errorFor('/mapping');
	const mappingError: FieldError | null = edits.apiErrors['/mapping'] ?? (mappingMessage ? { path: '/mapping', message: mappingMessage } : null);
	const dirty = original !== null && Object.keys(patchBody(form, original)).length > 0;

	const update = (changes: Partial<SourceForm>, ...paths: string[]) => {
		setForm({ ...form, ...changes });
		edits.edited(paths);
		setNotice(null);
	};

	const guarded = (what: Busy, work: () => Promise<void>) => async () => {
		if (what === 'save' && hasLiveErrors) {
			edits.touchAll();
			return;
		}
		setBusy(what);
		setFailure(null);
		setNotice(null);
		try {
			await work();
		} catch (error) {
			setFailure(error);
			edits.failed(error);
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
		saved(formFromSource(await patch<SourceView>(sourcePath(source.id), patchBody(form, original))));
		edits.reset();
		await existing.reload();
		setNotice('Saved.');
	});

	const setActive = guarded('active', async () => {
		if (!source || !original) return;
		const { enabled } = await patch<SourceView>(sourcePath(source.id), { enabled: !form.enabled });
		setForm({ ...form, enabled });
		await existing.reload();
		setNotice(enabled ? 'Active: its URL takes webhooks again.' : `Off: its URL answers 404 source_disabled to ${vendor.label} (counted) until it is on again.`);
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

	const credential = credentialOf(form.vendor);
	const storedHint = (unchanged: boolean) => (source && unchanged ? 'Stored; leave it to keep it.' : undefined);
	// The secret a signing vendor, or a generic source with HMAC, checks.
	const secretField = (
		<SecretField
			id="src-secret"
			label={source ? 'Secret' : 'Secret (optional)'}
			value={form.secret}
			onInput={(secret) => update({ secret }, '/secret')}
			error={errorFor('/secret')}
			hint={source ? 'Type a new one to replace it now, or rotate below (the old one keeps working for 24 h).' : vendor.secretHint}
			required={false}
			placeholder={source?.secret}
		/>
	);
	const hmacSelect = <K extends 'hmacAlgorithm' | 'hmacEncoding'>(field: K, label: string, options: readonly SourceForm[K][]) => {
		const fieldId = field === 'hmacAlgorithm' ? 'src-hmac-algorithm' : 'src-hmac-encoding';
		return (
			<Field id={fieldId} label={label}>
				<select id={fieldId} value={form[field]} onChange={(event) => update({ [field]: event.currentTarget.value }, `/hmac/${field.slice(4).toLowerCase()}`)}>
					{options.map((option) => (
						<option key={option}>{option}</option>
					))}
				</select>
			</Field>
		);
	};

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
							<ChoiceCards
								label="Vendor"
								name="vendor"
								options={VENDOR_NAMES.map((name) => ({ value: name, ...VENDORS[name] }))}
								value={form.vendor}
								onChange={(name) => setForm(withVendor(form, name))}
							/>
						)}
					</fieldset>

					<fieldset class="panel">
						<legend>Source</legend>
						<NameFields
							idPrefix="src"
							name={form.name}
							description={form.description}
							descriptionHint="Which tenant or environment it is (up to 512 characters)."
							errorFor={errorFor}
							onChange={(changes, path) => update(changes, path)}
						/>
						<ActiveField
							id="src-active"
							checked={form.enabled}
							onChange={(next) => (source ? void setActive() : update({ enabled: next }, '/enabled'))}
							state={form.enabled ? 'Takes webhooks.' : 'Off: its URL answers 404 source_disabled (counted).'}
						/>
					</fieldset>

					<fieldset class="panel">
						<legend>Authentication</legend>
						{credential === 'token' && (
							<Notice kind="info">
								{vendor.label} cannot sign or authenticate its callbacks: the token in the ingest URL is the credential. Keep the URL secret; rotate it
								if it leaks.
							</Notice>
						)}
						{credential === 'signature' && secretField}
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
											{hmacSelect('hmacAlgorithm', 'Algorithm', HMAC_ALGORITHM_OPTIONS)}
											{hmacSelect('hmacEncoding', 'Encoding', HMAC_ENCODING_OPTIONS)}
											<Field id="src-hmac-prefix" label="Prefix" error={errorFor('/hmac/prefix')} hint="Before the digest, e.g. sha256=.">
												<input
													{...describedBy('src-hmac-prefix', errorFor('/hmac/prefix'))}
													class="mono"
													value={form.hmacPrefix}
													onInput={(event) => update({ hmacPrefix: event.currentTarget.value }, '/hmac/prefix')}
												/>
											</Field>
										</div>
										{secretField}
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
								<AuthFields
									idPrefix="src"
									label={form.vendor === 'generic' ? 'Basic or Bearer auth' : 'Auth the sender presents'}
									hint={`What ${vendor.label} sends in its Authorization header. Masked once saved.`}
									types={[
										...(form.vendor === 'generic' ? [{ value: 'none' as const, label: `None (the URL token${form.hmacOn ? ' and the HMAC' : ''} only)` }] : []),
										{ value: 'bearer', label: 'Bearer token' },
										{ value: 'basic', label: 'Basic (username and password)' },
									]}
									form={form}
									errorFor={errorFor}
									onChange={update}
									passwordHint={storedHint(form.password === original?.password)}
									token={{
										label: source || form.vendor === 'generic' ? 'Token' : 'Token (optional)',
										hint:
											storedHint(form.token === original?.token) ??
											(form.vendor === 'generic' ? 'The sender sends Authorization: Bearer <token>.' : 'Blank generates one (32 random bytes), shown once.'),
										required: source !== null || form.vendor === 'generic',
									}}
								/>
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
							<SaveChanges
								saving={busy === 'save'}
								disabled={busy !== null || !dirty || hasLiveErrors}
								dirty={dirty}
								onDiscard={() => original && setForm(original)}
							/>
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

						<ActionPanel
							id="rotate"
							title="Rotate"
							text={`A new URL token${source.secret ? ' and secret' : ''}, shown once. The current ones keep working for 24 hours.${
								source.auth.type !== 'none' ? ' Basic or Bearer credentials change above, at once.' : ''
							}`}
							button={source.secret ? 'Rotate URL and secret' : 'Rotate URL'}
							onClick={() => setConfirm('rotate')}
							disabled={busy !== null}
						/>
						<ActionPanel
							id="delete"
							title="Delete"
							text="Its URL answers 404 from then on. Events it brought in stay in the delivery log."
							button="Delete source"
							danger
							onClick={() => setConfirm('delete')}
							disabled={busy !== null}
						/>
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
