/** A webhook's state and health as the list and the editor describe them. */
import { get, query } from '../../api';
import type { DeliveryItem, DisabledReason, Page, WebhookView } from '../../types';

export const DISABLED_REASONS: Record<DisabledReason, string> = {
	manual: 'Paused by an admin',
	gone: 'Disabled: the endpoint answered 410 Gone',
	failing: 'Disabled: every delivery failed for 5 days',
};

export function stateText(webhook: WebhookView): string {
	if (webhook.enabled) return 'Active';
	return DISABLED_REASONS[webhook.disabledReason ?? 'manual'];
}

/** The newest delivery to a webhook (its last status), or null when it has had none. */
export async function lastDelivery(webhookId: string): Promise<DeliveryItem | null> {
	const page = await get<Page<DeliveryItem>>(`/v1/deliveries${query({ webhookId, limit: 1 })}`);
	return page.data[0] ?? null;
}
