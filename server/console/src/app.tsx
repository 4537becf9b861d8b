/**
 * The shell: asks `/v1/session` whether this browser is signed in, shows sign-in when not (and
 * whenever the API answers 401), else the sidebar and the screen of the current route.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get, onSignedOut } from './api';
import { Notice } from './components/Notice';
import { matchPath, navigate, onLinkClick, useLocation } from './router';
import { SignIn } from './screens/SignIn';
import { HOME, SECTIONS } from './sections';
import type { Session } from './types';

type State = { kind: 'checking' } | { kind: 'signed-out' } | { kind: 'signed-in'; session: Session };

const SIGN_IN = '/sign-in';

/** Only same-origin paths are followed after sign-in. */
function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(SIGN_IN) ? next : HOME;
}

export function App() {
	const location = useLocation();
	const [state, setState] = useState<State>({ kind: 'checking' });

	useEffect(() => {
		get<Session>('/v1/session').then(
			(session) => setState({ kind: 'signed-in', session }),
			() => setState({ kind: 'signed-out' }),
		);
		return onSignedOut(() => setState({ kind: 'signed-out' }));
	}, []);

	// Keep the address bar honest: sign-in when signed out, a screen when signed in.
	useEffect(() => {
		if (state.kind === 'signed-out' && location.path !== SIGN_IN) {
			navigate(`${SIGN_IN}?next=${encodeURIComponent(location.href)}`, { replace: true });
		} else if (state.kind === 'signed-in' && (location.path === SIGN_IN || location.path === '/')) {
			navigate(safeNext(location.search.get('next')), { replace: true });
		}
	}, [state.kind, location.href]);

	// After navigation, focus the new screen's heading (keyboard and screen-reader users start there).
	const firstPath = useRef(location.path);
	useEffect(() => {
		if (location.path === firstPath.current) return;
		firstPath.current = '';
		window.requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: false }));
	}, [location.path]);

	if (state.kind === 'checking') return <p class="loading-shell">Loading…</p>;
	if (state.kind === 'signed-out' || location.path === SIGN_IN) {
		return <SignIn onSignedIn={(session) => setState({ kind: 'signed-in', session })} />;
	}

	const signOut = async () => {
		try {
			await del('/v1/session');
		} finally {
			setState({ kind: 'signed-out' });
			navigate(SIGN_IN, { replace: true });
		}
	};

	if (location.path === '/') return null;
	const section = SECTIONS.find((candidate) => location.path === candidate.path || location.path.startsWith(`${candidate.path}/`));
	let screen = null;
	for (const route of section?.routes ?? []) {
		const params = matchPath(route.pattern, location.path);
		if (params) {
			screen = route.render({ params, search: location.search, session: state.session });
			break;
		}
	}

	return (
		<div class="shell" onClick={onLinkClick}>
			<a class="skip-link" href="#main">
				Skip to content
			</a>
			<header class="topbar">
				<a class="brand" href={HOME}>
					<img src="/assets/favicon.svg" alt="" width={24} height={24} />
					<span>MDM dispatcher</span>
				</a>
				<nav class="sections" aria-label="Sections">
					<ul>
						{SECTIONS.map((candidate) => (
							<li key={candidate.path}>
								<a href={candidate.path} aria-current={candidate === section ? 'page' : undefined}>
									{candidate.label}
								</a>
							</li>
						))}
					</ul>
				</nav>
				<button type="button" class="button ghost sign-out" onClick={() => void signOut()}>
					Sign out
				</button>
			</header>
			<main id="main" tabIndex={-1}>
				{screen ?? (
					<>
						<h1 tabIndex={-1}>Not found</h1>
						<Notice kind="info">
							There is no screen at <code>{location.path}</code>. <a href={HOME}>Go to webhooks</a>.
						</Notice>
					</>
				)}
			</main>
		</div>
	);
}
