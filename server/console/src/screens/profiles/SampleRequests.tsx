/**
 * The "Sample Request" of a saved profile: for each linked webhook, the request the dispatcher
 * would send for a chosen event type's sample, from `GET /v1/profiles/:id/preview`: method, URL,
 * headers (secrets masked), body.
 */
import { useState } from 'preact/hooks';
import { matchesEventPattern } from '../../../../../core/events/match';
import { get, query } from '../../api';
import type { Catalog } from '../../catalog';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Notice';
import { RequestView } from '../../components/RequestView';
import { useResource } from '../../hooks';
import type { ProfileRecord, SampleRequest, WebhookView } from '../../types';
import { TEMPLATES } from '../webhooks/webhookForm';

interface Props {
	profile: ProfileRecord;
	catalog: Catalog;
	webhooks: WebhookView[];
}

export function SampleRequests({ profile, catalog, webhooks }: Props) {
	const types = catalog.entries.filter((entry) => profile.events.some((pattern) => matchesEventPattern(pattern, entry.type))).map((entry) => entry.type);
	const [type, setType] = useState(types[0] ?? 'webhook.test');
	const chosen = types.includes(type) ? type : (types[0] ?? 'webhook.test');
	return (
		<div class="samples">
			<Field id="sample-event" label="Event type" hint="One of the types this profile routes; its catalog sample is the event (the condition is not applied to it).">
				<select id="sample-event" value={chosen} onChange={(event) => setType(event.currentTarget.value)} aria-describedby="sample-event-hint">
					{types.map((candidate) => (
						<option key={candidate}>{candidate}</option>
					))}
				</select>
			</Field>
			{profile.webhookIds.map((webhookId) => (
				<Sample
					key={`${webhookId}:${chosen}:${profile.updatedAt}`}
					profileId={profile.id}
					webhook={webhooks.find((candidate) => candidate.id === webhookId)}
					webhookId={webhookId}
					type={chosen}
				/>
			))}
		</div>
	);
}

function Sample({ profileId, webhookId, webhook, type }: { profileId: string; webhookId: string; webhook?: WebhookView; type: string }) {
	const preview = useResource(
		() => get<SampleRequest>(`/v1/profiles/${encodeURIComponent(profileId)}/preview${query({ event: type, webhookId })}`),
		[profileId, webhookId, type],
	);
	const title = webhook ? `${webhook.name} (${TEMPLATES[webhook.template].label})` : webhookId;
	return (
		<article class="sample" aria-label={`Sample request for ${webhook?.name ?? webhookId}`}>
			<h3>{title}</h3>
			<ErrorNotice error={preview.error} />
			{preview.data && (
				<RequestView method={preview.data.method} url={preview.data.url} headers={preview.data.headers} body={preview.data.body} copyLabel="Copy body" />
			)}
			{preview.loading && !preview.data && <p class="muted">Building the request…</p>}
		</article>
	);
}
