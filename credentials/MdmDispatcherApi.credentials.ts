import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The dispatcher's admin API: a base URL and the bearer API key. Used by the MDM Event Trigger
 * to read the event catalog and to register / remove its webhook.
 */
export class MdmDispatcherApi implements ICredentialType {
	name = 'mdmDispatcherApi';

	displayName = 'MDM Dispatcher API';

	icon: Icon = {
		light: 'file:icons/mdmDispatcherApi.svg',
		dark: 'file:icons/mdmDispatcherApi.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-mdm-webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:8787',
			placeholder: 'https://dispatcher.example.com',
			description: 'Where the MDM webhook dispatcher listens, without the /v1 suffix',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The dispatcher admin API key (DISPATCHER_API_KEY)',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/event-types',
			method: 'GET',
		},
	};
}
