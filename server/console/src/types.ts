/**
 * The API's shapes, imported from the server's own definitions (type-only: nothing of the server
 * is bundled), so the console cannot drift from what the dispatcher answers.
 */
import type { EventTypeDefinition, FieldError } from '../../../core/types';
import type { WebhookCreateBody } from '../../api/schemas/webhook';
import type { TestSendResult } from '../../delivery/testSender';
import type { SourceInput, SourcePatch } from '../../domain/inputs';
import type { SessionInfo } from '../../http/session';
import type { SourceView } from '../../services/sourceService';
import type { WebhookView } from '../../services/webhookService';
import type { DeliveryRecord, DeliverySummary, SentRequest } from '../../store/types';

export type {
	AttemptRecord,
	DeliveryFilter,
	DeliveryStatus,
	DisabledReason,
	ProfileRecord,
	SentRequest,
	SourceHmac,
	SourceStats,
} from '../../store/types';
export type { VendorCredential, VendorName } from '../../../core/vendors/types';
export type { HmacAlgorithm, HmacEncoding } from '../../../core/signing/hmac';
export type { SourceInput, SourcePatch, SourceView };
export type { DestinationAuth, EventCategory, FieldError, HttpMethod, SigningSchemeName, TemplateName } from '../../../core/types';
export type { DeliveryRecord, DeliverySummary, TestSendResult, WebhookCreateBody, WebhookView };

/** `GET /v1/event-types` items. */
export type CatalogEntry = Pick<EventTypeDefinition, 'type' | 'category' | 'description' | 'schema' | 'sample'>;

/** `GET /v1/session`. */
export type Session = SessionInfo & { allowHttp: boolean };

/** A delivery in the list: the record without the request and the attempts. */
export type DeliveryItem = Omit<DeliveryRecord, 'attempts' | 'request'>;

/** `GET /v1/deliveries/:id`. */
export type DeliveryDetail = DeliveryRecord;

/** `GET /v1/profiles/:id/preview`. */
export type SampleRequest = Omit<SentRequest, 'body'> & { body: unknown };

export interface Page<T> {
	data: T[];
	nextCursor: string | null;
}

/** The API's one error shape. */
export interface ErrorBody {
	error: { code: string; message: string; details?: FieldError[]; [extra: string]: unknown };
}
