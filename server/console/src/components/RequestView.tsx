/** An HTTP request as sent (or as it would be): method and URL, headers (secrets masked), body with a copy button. */
import { CodeBlock } from './CodeBlock';

interface Props {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
	copyLabel: string;
}

export function RequestView({ method, url, headers, body, copyLabel }: Props) {
	return (
		<>
			<p class="request-line mono">
				<span class="method">{method}</span> {url}
			</p>
			<table class="table headers">
				<caption class="offscreen">Headers</caption>
				<tbody>
					{Object.entries(headers).map(([name, value]) => (
						<tr key={name}>
							<th scope="row" class="mono">
								{name}
							</th>
							<td class="mono">{value}</td>
						</tr>
					))}
				</tbody>
			</table>
			<CodeBlock value={body} title="Body" label={copyLabel} />
		</>
	);
}
