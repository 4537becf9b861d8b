/** What a test or mock send got back: status, duration, response body or error. */
import { formatDuration } from '../format';
import type { TestSendResult } from '../types';
import { CodeBlock } from './CodeBlock';
import { Badge } from './StatusBadge';

export function TestResultView({ result, title }: { result: TestSendResult; title: string }) {
	return (
		<section class="panel test-result" aria-label={title} data-ok={String(result.ok)}>
			<h3>
				{title}: <Badge tone={result.ok ? 'good' : 'bad'}>{result.ok ? 'Delivered' : 'Failed'}</Badge>
			</h3>
			<dl class="facts">
				<dt>Status</dt>
				<dd class="test-status">{result.statusCode ?? 'no response'}</dd>
				<dt>Duration</dt>
				<dd>{formatDuration(result.durationMs)}</dd>
				{result.error && (
					<>
						<dt>Error</dt>
						<dd>{result.error}</dd>
					</>
				)}
			</dl>
			{result.response !== null && result.response !== '' && <CodeBlock value={result.response} title="Response body" />}
		</section>
	);
}
