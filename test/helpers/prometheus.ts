/**
 * Parses Prometheus' text exposition format (what `GET /metrics` answers) into samples, so tests
 * read metrics as a scraper does: by name and labels.
 */
export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): Sample[] {
	const samples: Sample[] = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = LINE.exec(line);
		if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
		const labels: Record<string, string> = {};
		for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value.replace(/\\(.)/g, '$1');
		samples.push({ name: match[1], labels, value: Number(match[3]) });
	}
	return samples;
}

/** The value of the one sample with this name and (at least) these labels; 0 when absent. */
export function metricValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
	const found = samples.filter(
		(sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
	);
	return found.reduce((sum, sample) => sum + sample.value, 0);
}
