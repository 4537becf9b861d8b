import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * How Send Webhook authenticates to the destination: HTTP Basic or a bearer token. The header is
 * built by the shared core (the same bytes the dispatcher sends), so this credential has no
 * `authenticate` block; it is tested offline by the Send Webhook node (`testedBy`).
 */
export class DestinationAuthApi implements ICredentialType {
	name = 'destinationAuthApi';

	displayName = 'Destination Auth API';

	icon: Icon = {
		light: 'file:icons/destinationAuthApi.svg',
		dark: 'file:icons/destinationAuthApi.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-mdm-webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Auth Type',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Basic Auth', value: 'basic' },
				{ name: 'Bearer Token', value: 'bearer' },
			],
			default: 'bearer',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			displayOptions: { show: { authType: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['basic'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['bearer'] } },
		},
	];
}
