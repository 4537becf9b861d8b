/**
 * Webhooks: every destination with its template, URL, Active switch (pauses deliveries without
 * losing them), why it is off, and its health (last delivery, failing since).
 */
import { useState } from 'preact/hooks';
import { get, patch } from '../../api';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { Table } from '../../components/Table';
import { DeliveryStatusBadge } from '../../components/StatusBadge';
import { Switch } from '../../components/Switch';
import { formatTime, relativeTime } from '../../format';
import { useResource } from '../../hooks';
import type { DeliveryItem, WebhookView } from '../../types';
import { lastDelivery, stateText } from './health';
import { TEMPLATES } from './webhookForm';

interface Row {
	webhook: WebhookView;
	last: DeliveryItem | null;
}

export function WebhookList() {
	const list = useResource(async (): Promise<Row[]> => {
		const { data } = await get<{ data: WebhookView[] }>('/v1/webhooks');
		const lasts = await Promise.all(data.map((webhook) => lastDelivery(webhook.id)));
		return data.map((webhook, index) => ({ webhook, last: lasts[index] ?? null }));
	}, []);
	const [rows, setRows] = useState<Row[] | null>(null);
	const [toggleError, setToggleError] = useState<unknown>(null);
	const shown = rows ?? list.data;

	const toggle = async (row: Row, enabled: boolean) => {
		setToggleError(null);
		try {
			const webhook = await patch<WebhookView>(`/v1/webhooks/${encodeURIComponent(row.webhook.id)}`, { enabled });
			setRows((shown ?? []).map((other) => (other.webhook.id === webhook.id ? { ...other, webhook } : other)));
		} catch (error) {
			setToggleError(error);
		}
	};

	return (
		<>
			<PageHeader title="Webhooks" subtitle="Destinations events are delivered to. Switch one off to pause it: deliveries wait and go out when it is on again.">
				<a class="button primary" href="/webhooks/new">
					New webhook
				</a>
			</PageHeader>
			<ErrorNotice error={list.error ?? toggleError} />
			{shown && shown.length === 0 && (
				<Notice kind="info">
					No webhooks yet. <a href="/webhooks/new">Create one</a> for Slack, Microsoft Teams or your own endpoint.
				</Notice>
			)}
			{shown && shown.length > 0 && (
				<Table caption="Webhooks" class="webhooks" columns={['Active', 'Name', 'Template', 'URL', 'State', 'Health']}>
							{shown.map((row) => {
								const { webhook, last } = row;
								return (
									<tr key={webhook.id} data-webhook={webhook.name}>
										<td>
											<Switch checked={webhook.enabled} label={`${webhook.name} active`} onChange={(next) => void toggle(row, next)} />
										</td>
										<td>
											<a href={`/webhooks/${encodeURIComponent(webhook.id)}`} class="strong">
												{webhook.name}
											</a>
											{webhook.description && <div class="muted small">{webhook.description}</div>}
										</td>
										<td>{TEMPLATES[webhook.template].label}</td>
										<td class="url mono" title={webhook.url}>
											{webhook.url}
										</td>
										<td class={`state${webhook.enabled ? '' : ' off'}`}>{stateText(webhook)}</td>
										<td class="health">
											{last ? (
												<>
													<DeliveryStatusBadge status={last.status} /> {last.responseCode !== null && <span class="mono">{last.responseCode}</span>}{' '}
													<span class="muted small" title={formatTime(last.lastAttemptAt ?? last.createdAt)}>
														{relativeTime(last.lastAttemptAt ?? last.createdAt)}
													</span>
												</>
											) : (
												<span class="muted">No deliveries yet</span>
											)}
											{webhook.failingSince && (
												<div class="failing small" title={formatTime(webhook.failingSince)}>
													Failing since {formatTime(webhook.failingSince)}
												</div>
											)}
										</td>
									</tr>
								);
							})}
				</Table>
			)}
			{list.loading && !shown && <p class="muted">Loading webhooks…</p>}
		</>
	);
}
