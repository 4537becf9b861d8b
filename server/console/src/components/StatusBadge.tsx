/** Coloured labels for delivery statuses and webhook states. */
import type { DeliveryStatus } from '../types';

const DELIVERY: Record<DeliveryStatus, string> = { succeeded: 'Succeeded', failed: 'Failed', pending: 'Pending' };
const TONE: Record<DeliveryStatus, string> = { succeeded: 'good', failed: 'bad', pending: 'wait' };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
	return <span class={`badge ${TONE[status]}`}>{DELIVERY[status]}</span>;
}

export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'wait' | 'plain'; children: string }) {
	return <span class={`badge ${tone}`}>{children}</span>;
}
