/** Loading API data into components. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
	data: T | null;
	error: Error | null;
	loading: boolean;
	reload: () => Promise<void>;
}

/** Runs `load` on mount and whenever `deps` change; `reload()` runs it again. */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
	const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
		data: null,
		error: null,
		loading: true,
	});
	const generation = useRef(0);
	const run = useCallback(async () => {
		const mine = ++generation.current;
		setState((previous) => ({ ...previous, loading: true }));
		try {
			const data = await load();
			if (mine === generation.current) setState({ data, error: null, loading: false });
		} catch (error) {
			if (mine === generation.current) setState((previous) => ({ data: previous.data, error: error as Error, loading: false }));
		}
		// `load` is a new closure each render; `deps` says when it really changes.
	}, deps);
	useEffect(() => {
		void run();
		return () => {
			generation.current++;
		};
	}, [run]);
	return { ...state, reload: run };
}

/** A flag that turns itself off after `ms` (for "Copied", "Saved"). */
export function useFlash(ms = 1600): [boolean, () => void] {
	const [on, setOn] = useState(false);
	const timer = useRef<number | undefined>(undefined);
	useEffect(() => () => window.clearTimeout(timer.current), []);
	return [
		on,
		() => {
			setOn(true);
			window.clearTimeout(timer.current);
			timer.current = window.setTimeout(() => setOn(false), ms);
		},
	];
}
