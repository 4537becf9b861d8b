/** Alert profiles: which events go to which webhooks, under which condition. */
import { useState } from 'preact/hooks';
import { get, patch } from '../../api';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { Table } from '../../components/Table';
import { Switch } from '../../components/Switch';
import { useResource } from '../../hooks';
import type { ProfileRecord, WebhookView } from '../../types';

export function ProfileList() {
	const list = useResource(async () => {
		const [profiles, webhooks] = await Promise.all([
			get<{ data: ProfileRecord[] }>('/v1/profiles'),
			get<{ data: WebhookView[] }>('/v1/webhooks'),
		]);
		return { profiles: profiles.data, webhooks: new Map(webhooks.data.map((webhook) => [webhook.id, webhook])) };
	}, []);
	const [changed, setChanged] = useState<Record<string, ProfileRecord>>({});
	const [error, setError] = useState<unknown>(null);

	const toggle = async (profile: ProfileRecord, enabled: boolean) => {
		setError(null);
		try {
			const saved = await patch<ProfileRecord>(`/v1/profiles/${encodeURIComponent(profile.id)}`, { enabled });
			setChanged({ ...changed, [saved.id]: saved });
		} catch (failure) {
			setError(failure);
		}
	};

	const profiles = list.data?.profiles.map((profile) => changed[profile.id] ?? profile);
	return (
		<>
			<PageHeader title="Alert profiles" subtitle="Route events to webhooks, with an optional JSONata condition and payload.">
				<a class="button primary" href="/profiles/new">
					New alert profile
				</a>
			</PageHeader>
			<ErrorNotice error={list.error ?? error} />
			{profiles && profiles.length === 0 && (
				<Notice kind="info">
					No alert profiles yet. <a href="/profiles/new">Create one</a> to send, say, compliance violations to a Teams webhook.
				</Notice>
			)}
			{profiles && profiles.length > 0 && list.data && (
				<Table caption="Alert profiles" columns={['Active', 'Name', 'Events', 'Condition', 'Webhooks']}>
							{profiles.map((profile) => (
								<tr key={profile.id} data-profile={profile.name}>
									<td>
										<Switch checked={profile.enabled} label={`${profile.name} active`} onChange={(next) => void toggle(profile, next)} />
									</td>
									<td>
										<a class="strong" href={`/profiles/${encodeURIComponent(profile.id)}`}>
											{profile.name}
										</a>
										{profile.description && <div class="muted small">{profile.description}</div>}
									</td>
									<td>
										<ul class="chips">
											{profile.events.map((type) => (
												<li key={type} class="chip">
													<code>{type}</code>
												</li>
											))}
										</ul>
									</td>
									<td class="mono small">{profile.condition ?? <span class="muted">always</span>}</td>
									<td>
										{profile.webhookIds.map((webhookId, index) => (
											<span key={webhookId}>
												{index > 0 && ', '}
												<a href={`/webhooks/${encodeURIComponent(webhookId)}`}>{list.data?.webhooks.get(webhookId)?.name ?? webhookId}</a>
											</span>
										))}
									</td>
								</tr>
							))}
				</Table>
			)}
			{list.loading && !list.data && <p class="muted">Loading alert profiles…</p>}
		</>
	);
}
