/**
 * The delivery log (Scalefusion's Logs page): summary cards for the chosen range; filters for
 * dates, status, response code, request id, event type, webhook and profile; newest first with
 * cursor paging; replay of everything that matches after a confirmation that says how many.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../../api';
import { useCatalog } from '../../catalog';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { Table } from '../../components/Table';
import { DeliveryStatusBadge } from '../../components/StatusBadge';
import { formatTime, fromLocalInput, toLocalInput } from '../../format';
import { useResource } from '../../hooks';
import { navigate } from '../../router';
import type { DeliveryItem, DeliverySummary, Page, ProfileRecord, WebhookView } from '../../types';
import { type FilterValues, RANGES, rangeOf, readFilters, toFilter } from './filters';

/** Bulk replay re-queues at most this many per call (the API's limit). */
const BULK_LIMIT = 10_000;
const PAGE_SIZE = 50;

export function DeliveryLog({ search }: { search: URLSearchParams }) {
	const values = readFilters(search);
	const cursor = search.get('cursor');
	const key = search.toString();
	const catalog = useCatalog();
	const names = useResource(async () => {
		const [webhooks, profiles] = await Promise.all([
			get<{ data: WebhookView[] }>('/v1/webhooks'),
			get<{ data: ProfileRecord[] }>('/v1/profiles'),
		]);
		return { webhooks: webhooks.data, profiles: profiles.data };
	}, []);
	const page = useResource(() => get<Page<DeliveryItem>>(`/v1/deliveries${query({ ...toFilter(values), limit: PAGE_SIZE, cursor })}`), [key]);
	const summary = useResource(() => get<DeliverySummary>(`/v1/deliveries/summary${query(toFilter(rangeOf(values)))}`), [key]);
	const [draft, setDraft] = useState<FilterValues>(values);
	const [replay, setReplay] = useState<{ count: number } | null>(null);
	const [replayError, setReplayError] = useState<unknown>(null);
	const [done, setDone] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);

	// The URL changed (back button, a link, Apply): the form shows what is applied.
	useEffect(() => setDraft(readFilters(search)), [key]);

	const apply = (next: FilterValues) => navigate(`/deliveries${query(next)}`);
	const set = (field: keyof FilterValues, value: string) => setDraft({ ...draft, [field]: value || undefined });
	const webhookName = (id: string) => names.data?.webhooks.find((webhook) => webhook.id === id)?.name ?? id;
	const profileName = (id: string) => names.data?.profiles.find((profile) => profile.id === id)?.name ?? id;

	const askReplay = async () => {
		setReplayError(null);
		setDone(null);
		try {
			const matching = await get<DeliverySummary>(`/v1/deliveries/summary${query(toFilter(values))}`);
			setReplay({ count: Math.min(BULK_LIMIT, matching.succeeded + matching.failed) });
		} catch (error) {
			setReplayError(error);
		}
	};
	const doReplay = async () => {
		setBusy(true);
		try {
			const { status, ...rest } = toFilter(values);
			const filter = status === 'succeeded' || status === 'failed' ? { ...rest, status } : rest;
			const answer = await post<{ requeued: number }>('/v1/deliveries/retry', { filter });
			setDone(`Re-queued ${answer.requeued} ${answer.requeued === 1 ? 'delivery' : 'deliveries'}.`);
			setReplay(null);
			await Promise.all([page.reload(), summary.reload()]);
		} catch (error) {
			setReplayError(error);
			setReplay(null);
		} finally {
			setBusy(false);
		}
	};

	const cards: { label: string; value: number | undefined; tone: string; status?: string }[] = [
		{ label: 'Total', value: summary.data?.total, tone: 'plain' },
		{ label: 'Succeeded', value: summary.data?.succeeded, tone: 'good', status: 'succeeded' },
		{ label: 'Failed', value: summary.data?.failed, tone: 'bad', status: 'failed' },
		{ label: 'Pending', value: summary.data?.pending, tone: 'wait', status: 'pending' },
	];

	return (
		<>
			<PageHeader title="Delivery log" subtitle="Every delivery, newest first. Open one for its attempts and the exact request.">
				<button type="button" class="button" onClick={() => void Promise.all([page.reload(), summary.reload()])}>
					Refresh
				</button>
				<button type="button" class="button primary" onClick={() => void askReplay()} disabled={values.status === 'pending'}>
					Replay matching…
				</button>
			</PageHeader>

			<section class="cards" aria-label={`Summary ${values.from || values.to ? 'for the chosen range' : 'for all time'}`}>
				{cards.map((card) => (
					<a
						key={card.label}
						class={`card ${card.tone}`}
						href={`/deliveries${query({ ...rangeOf(values), status: card.status })}`}
						aria-label={`${card.label}: ${card.value ?? '…'}`}
					>
						<span class="card-label">{card.label}</span>
						<span class="card-value" data-summary={card.label.toLowerCase()}>
							{card.value ?? '…'}
						</span>
					</a>
				))}
			</section>

			<form
				class="panel filters"
				aria-label="Filters"
				onSubmit={(event) => {
					event.preventDefault();
					apply(draft);
				}}
			>
				<div class="range-buttons" role="group" aria-label="Range">
					{RANGES.map((range) => (
						<button
							type="button"
							key={range.label}
							class="button small ghost"
							onClick={() =>
								apply({ ...draft, from: range.ms === null ? undefined : new Date(Date.now() - range.ms).toISOString(), to: undefined })
							}
						>
							{range.label}
						</button>
					))}
				</div>
				<div class="filter-grid">
					<label>
						From
						<input type="datetime-local" value={toLocalInput(draft.from)} onChange={(event) => set('from', fromLocalInput(event.currentTarget.value) ?? '')} />
					</label>
					<label>
						To
						<input type="datetime-local" value={toLocalInput(draft.to)} onChange={(event) => set('to', fromLocalInput(event.currentTarget.value) ?? '')} />
					</label>
					<label>
						Status
						<select value={draft.status ?? ''} onChange={(event) => set('status', event.currentTarget.value)}>
							<option value="">Any</option>
							<option value="succeeded">Succeeded</option>
							<option value="failed">Failed</option>
							<option value="pending">Pending</option>
						</select>
					</label>
					<label>
						Response code
						<input
							type="number"
							min={100}
							max={599}
							inputMode="numeric"
							placeholder="e.g. 500"
							value={draft.responseCode ?? ''}
							onInput={(event) => set('responseCode', event.currentTarget.value)}
						/>
					</label>
					<label>
						Request id
						<input class="mono" placeholder="msg_…" value={draft.requestId ?? ''} onInput={(event) => set('requestId', event.currentTarget.value)} />
					</label>
					<label>
						Event type
						<select value={draft.eventType ?? ''} onChange={(event) => set('eventType', event.currentTarget.value)}>
							<option value="">Any</option>
							{catalog.data?.entries.map((entry) => (
								<option key={entry.type}>{entry.type}</option>
							))}
						</select>
					</label>
					<label>
						Webhook
						<select value={draft.webhookId ?? ''} onChange={(event) => set('webhookId', event.currentTarget.value)}>
							<option value="">Any</option>
							{names.data?.webhooks.map((webhook) => (
								<option key={webhook.id} value={webhook.id}>
									{webhook.name}
								</option>
							))}
						</select>
					</label>
					<label>
						Profile
						<select value={draft.profileId ?? ''} onChange={(event) => set('profileId', event.currentTarget.value)}>
							<option value="">Any</option>
							{names.data?.profiles.map((profile) => (
								<option key={profile.id} value={profile.id}>
									{profile.name}
								</option>
							))}
						</select>
					</label>
				</div>
				<div class="actions">
					<button type="submit" class="button primary">
						Apply filters
					</button>
					<button type="button" class="button ghost" onClick={() => apply({})}>
						Reset
					</button>
				</div>
			</form>

			<ErrorNotice error={page.error ?? summary.error ?? replayError} />
			{done && <Notice kind="success">{done}</Notice>}

			{page.data && page.data.data.length === 0 && <Notice kind="info">No deliveries match.</Notice>}
			{page.data && page.data.data.length > 0 && (
				<Table caption="Deliveries" class="deliveries" columns={['Date and time', 'Event type', 'Request id', 'Webhook', 'Profile', 'Status', 'Response', 'Attempts', '']}>
							{page.data.data.map((delivery) => (
								<tr key={delivery.id} data-delivery={delivery.id}>
									<td>{formatTime(delivery.createdAt)}</td>
									<td class="mono">{delivery.eventType}</td>
									<td class="mono small">{delivery.id}</td>
									<td>
										<a href={`/webhooks/${encodeURIComponent(delivery.webhookId)}`}>{webhookName(delivery.webhookId)}</a>
									</td>
									<td>
										{delivery.profileId ? (
											<a href={`/profiles/${encodeURIComponent(delivery.profileId)}`}>{profileName(delivery.profileId)}</a>
										) : (
											<span class="muted">direct</span>
										)}
									</td>
									<td>
										<DeliveryStatusBadge status={delivery.status} />
									</td>
									<td class="mono">{delivery.responseCode ?? '—'}</td>
									<td>{delivery.attemptCount}</td>
									<td>
										<a class="button small" href={`/deliveries/${encodeURIComponent(delivery.id)}`} aria-label={`Payload and attempts of ${delivery.id}`}>
											View
										</a>
									</td>
								</tr>
							))}
				</Table>
			)}
			<nav class="pager" aria-label="Pages">
				{cursor && (
					<a class="button" href={`/deliveries${query(values)}`}>
						Newest
					</a>
				)}
				{page.data?.nextCursor && (
					<a class="button" href={`/deliveries${query({ ...values, cursor: page.data.nextCursor })}`}>
						Older
					</a>
				)}
			</nav>

			<Dialog
				title="Replay matching deliveries?"
				open={replay !== null}
				onClose={() => setReplay(null)}
				actions={
					<button type="button" class="button primary" onClick={() => void doReplay()} disabled={busy || replay?.count === 0}>
						{busy ? 'Re-queuing…' : `Replay ${replay?.count ?? 0}`}
					</button>
				}
			>
				<p class="replay-count">
					{replay?.count === 0
						? 'No finished delivery matches these filters (pending ones are already queued).'
						: `${replay?.count} finished ${replay?.count === 1 ? 'delivery matches' : 'deliveries match'} these filters. Each is sent again with its own request id (webhook-id), so receivers can drop what they already have.`}
				</p>
				{replay && replay.count >= BULK_LIMIT && <Notice kind="warning">At most {BULK_LIMIT} are replayed per run.</Notice>}
			</Dialog>
		</>
	);
}
