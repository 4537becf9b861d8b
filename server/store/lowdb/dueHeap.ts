/**
 * A min-heap of (due time, id): the lowdb queue's order of pending deliveries. Entries are never
 * removed from the middle; the queue marks superseded ones stale and skips them when they surface.
 */
interface Entry {
	dueMs: number;
	id: string;
}

export class DueHeap {
	private readonly heap: Entry[] = [];

	get size(): number {
		return this.heap.length;
	}

	push(id: string, dueMs: number): void {
		this.heap.push({ dueMs, id });
		this.siftUp(this.heap.length - 1);
	}

	peek(): Entry | undefined {
		return this.heap[0];
	}

	pop(): Entry | undefined {
		const top = this.heap[0];
		const last = this.heap.pop();
		if (top === undefined || last === undefined) return undefined;
		if (this.heap.length > 0) {
			this.heap[0] = last;
			this.siftDown(0);
		}
		return top;
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
