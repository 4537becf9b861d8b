/**
 * Sign-in with the admin API key. The key goes once to `POST /v1/session`, which answers with an
 * HttpOnly session cookie; the key is not kept anywhere in the page afterwards.
 */
import { useState } from 'preact/hooks';
import { ApiFailure, post } from '../api';
import { Notice } from '../components/Notice';
import type { Session } from '../types';

/** What the field says when sign-in is refused. */
function signInError(failure: unknown): string {
	if (failure instanceof ApiFailure && failure.status === 401) return 'That is not the admin API key.';
	// 429: "too many wrong API keys from this address: try again in 42 s" (the API's own words).
	const message = (failure as Error).message;
	return failure instanceof ApiFailure && failure.status === 429 ? `${message.charAt(0).toUpperCase()}${message.slice(1)}.` : message;
}

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
	const [error, setError] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);

	const submit = async (event: SubmitEvent) => {
		event.preventDefault();
		const form = event.currentTarget as HTMLFormElement;
		const input = form.elements.namedItem('apiKey') as HTMLInputElement;
		setBusy(true);
		setError(null);
		try {
			const session = await post<Session>('/v1/session', { apiKey: input.value });
			input.value = '';
			onSignedIn(session);
		} catch (failure) {
			setError(signInError(failure));
			input.select();
		} finally {
			setBusy(false);
		}
	};

	return (
		<main id="main" class="sign-in">
			<form class="panel sign-in-form" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
				<img src="/assets/favicon.svg" alt="" width={40} height={40} />
				<h1 id="sign-in-title" tabIndex={-1}>
					Sign in to the MDM dispatcher
				</h1>
				<p class="muted">
					Use the admin API key (<code>DISPATCHER_API_KEY</code>, or the key printed on first start). The browser keeps only a
					session cookie, never the key.
				</p>
				<div class={`field${error ? ' invalid' : ''}`}>
					<label for="apiKey">API key</label>
					<input
						id="apiKey"
						name="apiKey"
						type="password"
						autocomplete="current-password"
						required
						autofocus
						aria-invalid={error ? true : undefined}
						aria-describedby={error ? 'apiKey-error' : undefined}
					/>
					{error && (
						<p class="field-error" id="apiKey-error" role="alert">
							{error}
						</p>
					)}
				</div>
				<button type="submit" class="button primary" disabled={busy}>
					{busy ? 'Signing in…' : 'Sign in'}
				</button>
				<Notice kind="info">Sessions end after 8 hours without use, 24 hours at most, and when the dispatcher restarts.</Notice>
			</form>
		</main>
	);
}
