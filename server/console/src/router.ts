/**
 * Path routing with the History API: `/webhooks/wh_1` is a real URL the dispatcher serves the
 * shell for, so links can be shared, opened in a new tab and used with the browser's back button.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Location {
	path: string;
	search: URLSearchParams;
	/** path + query, as pushed. */
	href: string;
}

const listeners = new Set<() => void>();
const notify = () => {
	for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

function current(): Location {
	return { path: window.location.pathname, search: new URLSearchParams(window.location.search), href: window.location.pathname + window.location.search };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
	if (to === window.location.pathname + window.location.search) return;
	if (options.replace) window.history.replaceState(null, '', to);
	else window.history.pushState(null, '', to);
	notify();
}

export function useLocation(): Location {
	const [location, setLocation] = useState(current);
	useEffect(() => {
		const update = () => setLocation(current());
		listeners.add(update);
		return () => {
			listeners.delete(update);
		};
	}, []);
	return location;
}

/** A click on a same-origin link: navigate in the page unless the user asked for a new tab. */
export function onLinkClick(event: MouseEvent): void {
	if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
	const anchor = (event.target as Element | null)?.closest('a');
	if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== window.location.origin) return;
	event.preventDefault();
	navigate(anchor.pathname + anchor.search);
}

/** `/webhooks/:id` against `/webhooks/wh_1` → `{id: 'wh_1'}`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
	const want = pattern.split('/');
	const got = path.replace(/\/+$/, '').split('/');
	if (want.length !== got.length) return null;
	const params: Record<string, string> = {};
	for (let i = 0; i < want.length; i++) {
		const segment = want[i] as string;
		const value = got[i] as string;
		if (segment.startsWith(':')) {
			if (value === '') return null;
			params[segment.slice(1)] = decodeURIComponent(value);
		} else if (segment !== value) {
			return null;
		}
	}
	return params;
}
