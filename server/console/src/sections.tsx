/**
 * The console's sections: the sidebar lists them in this order and each brings its own routes.
 * A new screen is one more entry here (and its path in `CONSOLE_SECTIONS`, server/http/console.ts).
 */
import type { VNode } from 'preact';
import { Catalog } from './screens/catalog/Catalog';
import { DeliveryDetail } from './screens/deliveries/DeliveryDetail';
import { DeliveryLog } from './screens/deliveries/DeliveryLog';
import { ProfileEditor } from './screens/profiles/ProfileEditor';
import { ProfileList } from './screens/profiles/ProfileList';
import { SourceEditor } from './screens/sources/SourceEditor';
import { SourceList } from './screens/sources/SourceList';
import { WebhookEditor } from './screens/webhooks/WebhookEditor';
import { WebhookList } from './screens/webhooks/WebhookList';
import type { Session } from './types';

export interface RouteContext {
	params: Record<string, string>;
	search: URLSearchParams;
	session: Session;
}

export interface Route {
	pattern: string;
	render: (context: RouteContext) => VNode;
}

export interface Section {
	path: string;
	label: string;
	routes: Route[];
}

export const SECTIONS: Section[] = [
	{
		path: '/webhooks',
		label: 'Webhooks',
		routes: [
			{ pattern: '/webhooks', render: () => <WebhookList /> },
			{ pattern: '/webhooks/new', render: ({ session }) => <WebhookEditor id={null} session={session} /> },
			{ pattern: '/webhooks/:id', render: ({ params, session }) => <WebhookEditor key={params.id} id={params.id as string} session={session} /> },
		],
	},
	{
		path: '/profiles',
		label: 'Alert profiles',
		routes: [
			{ pattern: '/profiles', render: () => <ProfileList /> },
			{ pattern: '/profiles/new', render: ({ search }) => <ProfileEditor id={null} webhookId={search.get('webhookId')} /> },
			{ pattern: '/profiles/:id', render: ({ params }) => <ProfileEditor key={params.id} id={params.id as string} webhookId={null} /> },
		],
	},
	{
		path: '/sources',
		label: 'Ingest sources',
		routes: [
			{ pattern: '/sources', render: () => <SourceList /> },
			{ pattern: '/sources/new', render: () => <SourceEditor id={null} /> },
			{ pattern: '/sources/:id', render: ({ params }) => <SourceEditor key={params.id} id={params.id as string} /> },
		],
	},
	{
		path: '/deliveries',
		label: 'Delivery log',
		routes: [
			{ pattern: '/deliveries', render: ({ search }) => <DeliveryLog search={search} /> },
			{ pattern: '/deliveries/:id', render: ({ params }) => <DeliveryDetail key={params.id} id={params.id as string} /> },
		],
	},
	{
		path: '/catalog',
		label: 'Event catalog',
		routes: [
			{ pattern: '/catalog', render: () => <Catalog selected={null} /> },
			{ pattern: '/catalog/:type', render: ({ params }) => <Catalog selected={params.type as string} /> },
		],
	},
];

export const HOME = '/webhooks';
