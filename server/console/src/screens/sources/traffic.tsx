/** What a source has received (its `stats`), as the list and the editor show it. */
import { formatTime, relativeTime } from '../../format';
import type { SourceStats } from '../../types';

/** "3 received: 2 accepted, 0 duplicates, 1 rejected · 4 events", each number findable by `data-count`. */
export function Counts({ stats }: { stats: SourceStats }) {
	const count = (name: keyof SourceStats, value: number) => (
		<span class="strong" data-count={name}>
			{value}
		</span>
	);
	return (
		<span class="counts">
			{count('received', stats.received)} received: {count('accepted', stats.accepted)} accepted, {count('duplicates', stats.duplicates)}{' '}
			duplicate{stats.duplicates === 1 ? '' : 's'}, {count('rejected', stats.rejected)} rejected · {count('events', stats.events)} event
			{stats.events === 1 ? '' : 's'}
		</span>
	);
}

export function LastReceived({ stats }: { stats: SourceStats }) {
	if (!stats.lastReceivedAt) return <span class="muted">Nothing yet</span>;
	return <span title={formatTime(stats.lastReceivedAt)}>{relativeTime(stats.lastReceivedAt)}</span>;
}

/** The last refusal: its status and code, message and time. */
export function LastError({ stats }: { stats: SourceStats }) {
	const error = stats.lastError;
	if (!error) return <span class="muted">None</span>;
	return (
		<span class="last-error">
			<span class="failing">
				<span class="mono">{error.status}</span> <code>{error.code}</code>
			</span>{' '}
			<span class="muted small" title={formatTime(error.at)}>
				{relativeTime(error.at)}
			</span>
			<span class="small error-message">{error.message}</span>
		</span>
	);
}
