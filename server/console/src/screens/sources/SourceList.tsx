/**
 * Ingest sources: every MDM that posts its own webhooks here, with its vendor, its ingest URL
 * (the token masked: it is shown only when created or rotated), an Active switch (off: the URL
 * answers 404 `source_disabled`, counted), what it has received and its last refusal.
 */
import { useState } from 'preact/hooks';
import { get, patch } from '../../api';
import { ErrorNotice, Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { Switch } from '../../components/Switch';
import { Table } from '../../components/Table';
import { useResource } from '../../hooks';
import type { SourceView } from '../../types';
import { VENDORS } from './sourceForm';
import { Counts, LastError, LastReceived } from './traffic';

export const sourcePath = (id: string) => `/v1/sources/${encodeURIComponent(id)}`;

/** `/ingest/<id>/********`: the origin is this dispatcher's (the whole URL is the cell's title). */
function ingestPath(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}

export function SourceList() {
	const list = useResource(() => get<{ data: SourceView[] }>('/v1/sources').then((answer) => answer.data), []);
	const [changed, setChanged] = useState<Record<string, SourceView>>({});
	const [toggleError, setToggleError] = useState<unknown>(null);
	const sources = list.data?.map((source) => changed[source.id] ?? source);

	const toggle = async (source: SourceView, enabled: boolean) => {
		setToggleError(null);
		try {
			const saved = await patch<SourceView>(sourcePath(source.id), { enabled });
			setChanged({ ...changed, [saved.id]: saved });
		} catch (error) {
			setToggleError(error);
		}
	};
	const refresh = async () => {
		await list.reload();
		setChanged({});
	};

	return (
		<>
			<PageHeader
				title="Ingest sources"
				subtitle="MDMs that send their own webhooks here: each gets a URL to paste into the MDM. Switch one off to refuse what it sends (answered 404, counted)."
			>
				<button type="button" class="button" onClick={() => void refresh()} disabled={list.loading}>
					{list.loading && list.data ? 'Refreshing…' : 'Refresh'}
				</button>
				<a class="button primary" href="/sources/new">
					New source
				</a>
			</PageHeader>
			<ErrorNotice error={list.error ?? toggleError} />
			{sources && sources.length === 0 && (
				<Notice kind="info">
					No ingest sources yet. <a href="/sources/new">Create one</a> for Mender, Scalefusion, Kobiton, Hexnode, Nexthink or any JSON sender.
				</Notice>
			)}
			{sources && sources.length > 0 && (
				<Table caption="Ingest sources" class="sources" columns={['Active', 'Name', 'Vendor', 'Ingest URL', 'Received', 'Last request', 'Last error']}>
					{sources.map((source) => (
						<tr key={source.id} data-source={source.name}>
							<td>
								<Switch checked={source.enabled} label={`${source.name} active`} onChange={(next) => void toggle(source, next)} />
							</td>
							<td>
								<a href={`/sources/${encodeURIComponent(source.id)}`} class="strong">
									{source.name}
								</a>
								{source.description && <div class="muted small">{source.description}</div>}
								{!source.enabled && <div class="state off small">Off: its URL answers 404</div>}
							</td>
							<td>{VENDORS[source.vendor].label}</td>
							<td class="ingest-path mono small" title={source.ingestUrl}>
								{ingestPath(source.ingestUrl)}
							</td>
							<td class="traffic">
								<Counts stats={source.stats} />
							</td>
							<td>
								<LastReceived stats={source.stats} />
							</td>
							<td class="last-error-cell">
								<LastError stats={source.stats} />
							</td>
						</tr>
					))}
				</Table>
			)}
			{list.loading && !list.data && <p class="muted">Loading ingest sources…</p>}
		</>
	);
}
