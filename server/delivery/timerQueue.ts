/**
 * A min-heap of (due time, key) with one Node timer for the earliest entry: thousands of pending
 * retries cost one timer, not thousands.
 */
interface Entry<T> {
	dueMs: number;
	value: T;
}

export class TimerQueue<T> {
	private readonly heap: Entry<T>[] = [];
	private timer: NodeJS.Timeout | null = null;
	private timerDueMs = Infinity;
	private stopped = false;

	constructor(private readonly onDue: (values: T[]) => void) {}

	get size(): number {
		return this.heap.length;
	}

	push(value: T, dueMs: number): void {
		if (this.stopped) return;
		this.heap.push({ dueMs, value });
		this.siftUp(this.heap.length - 1);
		this.arm();
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private arm(): void {
		const head = this.heap[0];
		if (!head || head.dueMs >= this.timerDueMs) return;
		if (this.timer) clearTimeout(this.timer);
		this.timerDueMs = head.dueMs;
		// setTimeout caps near 24.8 days; re-arming after a shorter wait handles longer delays.
		const delay = Math.min(Math.max(0, head.dueMs - Date.now()), 2 ** 31 - 1);
		this.timer = setTimeout(() => this.fire(), delay);
		this.timer.unref();
	}

	private fire(): void {
		this.timer = null;
		this.timerDueMs = Infinity;
		const now = Date.now();
		const due: T[] = [];
		while (this.heap.length > 0 && this.heap[0].dueMs <= now) due.push(this.pop());
		if (due.length > 0) this.onDue(due);
		this.arm();
	}

	private pop(): T {
		const top = this.heap[0];
		const last = this.heap.pop() as Entry<T>;
		if (this.heap.length > 0) {
			this.heap[0] = last;
			this.siftDown(0);
		}
		return top.value;
	}

	private siftUp(index: number): void {
		const heap = this.heap;
		while (index > 0) {
			const parent = (index - 1) >> 1;
			if (heap[parent].dueMs <= heap[index].dueMs) break;
			[heap[parent], heap[index]] = [heap[index], heap[parent]];
			index = parent;
		}
	}

	private siftDown(index: number): void {
		const heap = this.heap;
		for (;;) {
			const left = index * 2 + 1;
			const right = left + 1;
			let smallest = index;
			if (left < heap.length && heap[left].dueMs < heap[smallest].dueMs) smallest = left;
			if (right < heap.length && heap[right].dueMs < heap[smallest].dueMs) smallest = right;
			if (smallest === index) return;
			[heap[smallest], heap[index]] = [heap[index], heap[smallest]];
			index = smallest;
		}
	}
}
