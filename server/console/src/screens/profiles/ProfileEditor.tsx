/**
 * Create and edit an alert profile (Hexnode's Alert Profiles): events by category, a JSONata
 * condition and payload (compile errors come back from the API with their position), the linked
 * webhooks, and once saved the sample request for each linked webhook, exactly as it would be sent.
 */
import { useEffect, useState } from 'preact/hooks';
import { matchesEventPattern } from '../../../../../core/events/match';
import { del, fieldErrors, get, patch, post } from '../../api';
import { useCatalog } from '../../catalog';
import { CodeBlock } from '../../components/CodeBlock';
import { Dialog } from '../../components/Dialog';
import { EventPicker } from '../../components/EventPicker';
import { Field, describedBy } from '../../components/Field';
import { JsonataEditor } from '../../components/JsonataEditor';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { Switch } from '../../components/Switch';
import { useResource } from '../../hooks';
import { navigate } from '../../router';
import type { FieldError, ProfileRecord, WebhookView } from '../../types';
import { TEMPLATES } from '../webhooks/webhookForm';
import { SampleRequests } from './SampleRequests';

interface Props {
	id: string | null;
	/** A new profile pre-linked to this webhook. */
	webhookId: string | null;
}

type ProfileForm = Pick<ProfileRecord, 'name' | 'description' | 'events' | 'webhookIds' | 'enabled'> & {
	condition: string;
	payload: string;
};

const profilePath = (id: string) => `/v1/profiles/${encodeURIComponent(id)}`;

function toForm(profile: ProfileRecord): ProfileForm {
	return { ...profile, condition: profile.condition ?? '', payload: profile.payload ?? '' };
}

function toBody(form: ProfileForm) {
	return {
		name: form.name.trim(),
		description: form.description,
		events: form.events,
		webhookIds: form.webhookIds,
		enabled: form.enabled,
		condition: form.condition.trim() === '' ? null : form.condition,
		payload: form.payload.trim() === '' ? null : form.payload,
	};
}

export function ProfileEditor({ id, webhookId }: Props) {
	const catalog = useCatalog();
	const existing = useResource(() => (id ? get<ProfileRecord>(profilePath(id)) : Promise.resolve(null)), [id]);
	const webhooks = useResource(() => get<{ data: WebhookView[] }>('/v1/webhooks').then((answer) => answer.data), []);
	const [form, setForm] = useState<ProfileForm | null>(
		id ? null : { name: '', description: '', events: [], webhookIds: webhookId ? [webhookId] : [], enabled: true, condition: '', payload: '' },
	);
	const [saved, setSaved] = useState<ProfileRecord | null>(null);
	const [errors, setErrors] = useState<Record<string, FieldError>>({});
	const [failure, setFailure] = useState<unknown>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	const [confirmDelete, setConfirmDelete] = useState(false);

	useEffect(() => {
		if (existing.data) {
			setForm(toForm(existing.data));
			setSaved(existing.data);
		}
	}, [existing.data]);

	if (id && existing.error && !existing.data) {
		return (
			<>
				<PageHeader title="Alert profile" />
				<ErrorNotice error={existing.error} />
			</>
		);
	}
	if (!form) return <PageHeader title="Alert profile" subtitle="Loading…" />;

	const dirty = saved !== null && JSON.stringify(toBody(form)) !== JSON.stringify(toBody(toForm(saved)));
	const update = (changes: Partial<ProfileForm>, ...paths: string[]) => {
		setForm({ ...form, ...changes });
		setNotice(null);
		if (paths.some((path) => Object.keys(errors).some((key) => key === path || key.startsWith(`${path}/`)))) {
			setErrors(Object.fromEntries(Object.entries(errors).filter(([key]) => !paths.some((path) => key === path || key.startsWith(`${path}/`)))));
		}
	};
	const errorAt = (path: string): FieldError | null =>
		errors[path] ?? Object.entries(errors).find(([key]) => key.startsWith(`${path}/`))?.[1] ?? null;

	const submit = async (event: Event) => {
		event.preventDefault();
		setBusy(true);
		setFailure(null);
		setNotice(null);
		try {
			if (saved) {
				const body = toBody(form);
				const next = await patch<ProfileRecord>(profilePath(saved.id), body);
				setSaved(next);
				setForm(toForm(next));
				setErrors({});
				setNotice('Saved.');
			} else {
				const created = await post<ProfileRecord>('/v1/profiles', toBody(form));
				navigate(`/profiles/${encodeURIComponent(created.id)}`, { replace: true });
			}
		} catch (error) {
			setFailure(error);
			setErrors(fieldErrors(error));
		} finally {
			setBusy(false);
		}
	};

	const remove = async () => {
		if (!saved) return;
		setBusy(true);
		try {
			await del(profilePath(saved.id));
			navigate('/profiles', { replace: true });
		} catch (error) {
			setFailure(error);
			setConfirmDelete(false);
		} finally {
			setBusy(false);
		}
	};

	const webhookList = webhooks.data ?? [];
	const firstSample = catalog.data?.entries.find((entry) => form.events.some((pattern) => matchesEventPattern(pattern, entry.type))) ?? catalog.data?.entries[0];

	return (
		<>
			<PageHeader title={saved ? saved.name : 'New alert profile'} subtitle={saved ? <span class="mono">{saved.id}</span> : 'Pick events, an optional condition, and the webhooks to send them to.'}>
				<a class="button ghost" href="/profiles">
					All alert profiles
				</a>
			</PageHeader>
			<div class="editor-grid">
				<form class="form" noValidate aria-label="Alert profile" onSubmit={(event) => void submit(event)}>
					<ErrorNotice error={failure} />
					{notice && <Notice kind="success">{notice}</Notice>}
					<fieldset class="panel">
						<legend>Profile</legend>
						<Field id="pr-name" label="Name" required error={errorAt('/name')?.message} hint="Unique, up to 50 characters.">
							<input
								{...describedBy('pr-name', errorAt('/name')?.message)}
								value={form.name}
								onInput={(event) => update({ name: event.currentTarget.value }, '/name')}
							/>
						</Field>
						<Field id="pr-description" label="Description" error={errorAt('/description')?.message}>
							<textarea
								{...describedBy('pr-description', errorAt('/description')?.message, false)}
								rows={2}
								value={form.description}
								onInput={(event) => update({ description: event.currentTarget.value }, '/description')}
							/>
						</Field>
						<div class="field inline">
							<span>Active</span>
							<Switch checked={form.enabled} label="Profile active" onChange={(enabled) => update({ enabled }, '/enabled')} />
						</div>
					</fieldset>

					<fieldset class="panel">
						<legend>Events</legend>
						{catalog.data ? (
							<EventPicker
								id="pr-events"
								catalog={catalog.data}
								value={form.events}
								onChange={(events) => update({ events }, '/events')}
								error={errorAt('/events')?.message ?? null}
							/>
						) : (
							<ErrorNotice error={catalog.error} />
						)}
					</fieldset>

					<fieldset class="panel">
						<legend>Condition and payload (JSONata)</legend>
						<JsonataEditor
							id="pr-condition"
							label="Condition"
							value={form.condition}
							onChange={(condition) => update({ condition }, '/condition')}
							error={errorAt('/condition')}
							placeholder={'data.device.platform = "ios"'}
							hint="Over the event envelope ({id, type, timestamp, data}); the profile sends when it is truthy. Blank: always."
						/>
						<JsonataEditor
							id="pr-payload"
							label="Payload"
							value={form.payload}
							onChange={(payload) => update({ payload }, '/payload')}
							error={errorAt('/payload')}
							rows={6}
							placeholder={'{ "text": "Device " & data.device.name & " is " & type }'}
							hint="Builds the body from the event, replacing the webhook's template. Blank: the template's body."
						/>
						{firstSample && (
							<details class="sample-event">
								<summary>
									The envelope your JSONata reads (sample of <code>{firstSample.type}</code>)
								</summary>
								<CodeBlock
									title="Sample event"
									value={{ id: 'evt_sample', type: firstSample.type, timestamp: '2026-11-22T10:00:00.000Z', data: firstSample.sample }}
								/>
							</details>
						)}
					</fieldset>

					<fieldset class="panel">
						<legend>Webhooks</legend>
						{webhookList.length === 0 && !webhooks.loading && (
							<Notice kind="warning">
								No webhooks yet: <a href="/webhooks/new">create one</a> first.
							</Notice>
						)}
						<div class="checks" role="group" aria-label="Linked webhooks">
							{webhookList.map((webhook) => (
								<label class="check" key={webhook.id}>
									<input
										type="checkbox"
										checked={form.webhookIds.includes(webhook.id)}
										onChange={(event) =>
											update(
												{
													webhookIds: event.currentTarget.checked
														? [...form.webhookIds, webhook.id]
														: form.webhookIds.filter((other) => other !== webhook.id),
												},
												'/webhookIds',
											)
										}
									/>
									<span>
										{webhook.name} <span class="muted small">({TEMPLATES[webhook.template].label}{webhook.enabled ? '' : ', paused'})</span>
									</span>
								</label>
							))}
						</div>
						{errorAt('/webhookIds') && (
							<p class="field-error" role="alert">
								{errorAt('/webhookIds')?.message}
							</p>
						)}
					</fieldset>

					<div class="actions form-actions">
						<button type="submit" class="button primary" disabled={busy || (saved !== null && !dirty)}>
							{busy ? 'Saving…' : saved ? 'Save changes' : 'Create profile'}
						</button>
						{saved && (
							<button type="button" class="button danger" onClick={() => setConfirmDelete(true)} disabled={busy}>
								Delete
							</button>
						)}
					</div>
				</form>

				<aside class="side wide">
					<section class="panel" aria-labelledby="sample-title">
						<h2 id="sample-title">Sample request</h2>
						{saved && catalog.data ? (
							<>
								{dirty && <Notice kind="warning">This shows the saved profile; save to see your changes.</Notice>}
								<SampleRequests profile={saved} catalog={catalog.data} webhooks={webhookList} />
							</>
						) : (
							<p class="muted">Save the profile to see the exact request each linked webhook would get.</p>
						)}
					</section>
				</aside>
			</div>
			{saved && (
				<Dialog
					title={`Delete ${saved.name}?`}
					open={confirmDelete}
					onClose={() => setConfirmDelete(false)}
					actions={
						<button type="button" class="button danger" onClick={() => void remove()} disabled={busy}>
							Delete
						</button>
					}
				>
					<p>Its events stop going to its webhooks. Deliveries already made stay in the log.</p>
				</Dialog>
			)}
		</>
	);
}
