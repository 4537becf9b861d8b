/**
 * One delivery: every attempt (when, code, duration, error, response) and the request it sent
 * (secrets masked) with a copy button; retry when it has finished. Refreshes itself while pending.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../../api';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RequestView } from '../../components/RequestView';
import { DeliveryStatusBadge } from '../../components/StatusBadge';
import { Table } from '../../components/Table';
import { formatDuration, formatTime, relativeTime } from '../../format';
import { useResource } from '../../hooks';
import type { DeliveryDetail as Delivery } from '../../types';

const POLL_MS = 1000;

export function DeliveryDetail({ id }: { id: string }) {
	const delivery = useResource(() => get<Delivery>(`/v1/deliveries/${encodeURIComponent(id)}`), [id]);
	const [retryError, setRetryError] = useState<unknown>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	const data = delivery.data;

	useEffect(() => {
		if (data?.status !== 'pending') return;
		const timer = window.setTimeout(() => void delivery.reload(), POLL_MS);
		return () => window.clearTimeout(timer);
	}, [data]);

	const retry = async () => {
		setBusy(true);
		setRetryError(null);
		setNotice(null);
		try {
			await post(`/v1/deliveries/${encodeURIComponent(id)}/retry`);
			setNotice('Re-queued: it goes out again now, with the same request id.');
			await delivery.reload();
		} catch (error) {
			setRetryError(error);
		} finally {
			setBusy(false);
		}
	};

	return (
		<>
			<PageHeader title={data ? `Delivery of ${data.eventType}` : 'Delivery'} subtitle={<span class="mono">{id}</span>}>
				<a class="button ghost" href="/deliveries">
					Delivery log
				</a>
				<button type="button" class="button primary" onClick={() => void retry()} disabled={busy || !data || data.status === 'pending'}>
					{busy ? 'Retrying…' : 'Retry'}
				</button>
			</PageHeader>
			<ErrorNotice error={delivery.error ?? retryError} />
			{notice && <Notice kind="success">{notice}</Notice>}
			{data && (
				<>
					<section class="panel" aria-label="Summary">
						<dl class="facts wide">
							<dt>Status</dt>
							<dd>
								<DeliveryStatusBadge status={data.status} /> <span class="mono delivery-code">{data.responseCode ?? ''}</span>
							</dd>
							<dt>Request id</dt>
							<dd>
								<span class="mono">{data.id}</span> <CopyButton text={data.id} label="Copy id" />
							</dd>
							<dt>Event</dt>
							<dd class="mono">{data.eventId}</dd>
							<dt>Webhook</dt>
							<dd>
								<a href={`/webhooks/${encodeURIComponent(data.webhookId)}`} class="mono">
									{data.webhookId}
								</a>
							</dd>
							<dt>Profile</dt>
							<dd>
								{data.profileId ? (
									<a href={`/profiles/${encodeURIComponent(data.profileId)}`} class="mono">
										{data.profileId}
									</a>
								) : (
									'Direct subscription'
								)}
							</dd>
							<dt>Created</dt>
							<dd>{formatTime(data.createdAt)}</dd>
							<dt>Next attempt</dt>
							<dd>{data.nextAttemptAt ? `${formatTime(data.nextAttemptAt)} (${relativeTime(data.nextAttemptAt)})` : '—'}</dd>
						</dl>
					</section>

					<section class="panel" aria-labelledby="attempts-title">
						<h2 id="attempts-title">Attempts ({data.attempts.length})</h2>
						{data.attempts.length === 0 ? (
							<p class="muted">None yet.</p>
						) : (
							<Table caption="Attempts" class="attempts" columns={['#', 'At', 'Code', 'Duration', 'Error', 'Response']}>
										{data.attempts.map((attempt, index) => (
											<tr key={attempt.at + index}>
												<td>{index + 1}</td>
												<td>{formatTime(attempt.at)}</td>
												<td class="mono">{attempt.statusCode ?? '—'}</td>
												<td>{formatDuration(attempt.durationMs)}</td>
												<td>{attempt.error ?? '—'}</td>
												<td>
													{attempt.response ? (
														<details>
															<summary>{attempt.response.length} bytes</summary>
															<pre class="response">{attempt.response}</pre>
														</details>
													) : (
														'—'
													)}
												</td>
											</tr>
										))}
							</Table>
						)}
					</section>

					<section class="panel" aria-labelledby="request-title">
						<h2 id="request-title">Request payload</h2>
						{data.request ? (
							<RequestView {...data.request} copyLabel="Copy payload" />
						) : (
							<p class="muted">Not sent yet.</p>
						)}
					</section>
				</>
			)}
		</>
	);
}
