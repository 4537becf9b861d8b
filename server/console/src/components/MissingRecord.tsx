/** An editor whose record could not be loaded (deleted, a wrong id): the error and the way back. */
import { ErrorNotice } from './Notice';
import { PageHeader } from './PageHeader';

export function MissingRecord({ title, error, back, backLabel }: { title: string; error: unknown; back: string; backLabel: string }) {
	return (
		<>
			<PageHeader title={title} />
			<ErrorNotice error={error} />
			<a href={back}>{backLabel}</a>
		</>
	);
}
