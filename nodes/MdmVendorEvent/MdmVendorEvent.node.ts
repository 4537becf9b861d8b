import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { mapVendorBody, vendorTitle } from '../../core';
import type { VendorName } from '../../core';
import { vendorBody } from './actions/normalize';

export class MdmVendorEvent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MDM Vendor Event',
		name: 'mdmVendorEvent',
		icon: { light: 'file:mdmVendorEvent.svg', dark: 'file:mdmVendorEvent.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["vendor"] }}',
		description:
			'Turn a Mender, Scalefusion, Kobiton, Hexnode or Nexthink webhook body into the canonical MDM event, as the MDM dispatcher does',
		defaults: { name: 'MDM Vendor Event' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Put Verify Signature in front of this node to check the vendor\'s signature; this node only maps the body. One canonical event comes out per device the body names.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Vendor',
				name: 'vendor',
				type: 'options',
				options: [
					{ name: 'Generic (JSONata Mapping)', value: 'generic' },
					{ name: 'Hexnode', value: 'hexnode' },
					{ name: 'Kobiton', value: 'kobiton' },
					{ name: 'Mender', value: 'mender' },
					{ name: 'Nexthink', value: 'nexthink' },
					{ name: 'Scalefusion', value: 'scalefusion' },
				],
				default: 'mender',
				description: 'Whose webhook body the items carry',
			},
			{
				displayName: 'Raw Body Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description:
					'Binary property holding the raw request body (the Webhook node\'s Raw Body output). When the item has none, JSON body is used.',
			},
			{
				displayName: 'Mapping (JSONata)',
				name: 'mapping',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				placeholder: '{ "type": "device." & state, "data": { "device": device } }',
				description: 'JSONata from the body to {type, ID?, timestamp?, data} or a list of them',
				displayOptions: { show: { vendor: ['generic'] } },
			},
			{
				displayName: 'Mapping Override (JSONata)',
				name: 'mappingOverride',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'Optional JSONata that replaces the built-in mapping: from the body to {type, ID?, timestamp?, data}',
				displayOptions: { hide: { vendor: ['generic'] } },
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const item = items[itemIndex];
			const pairedItem = { item: itemIndex };
			try {
				const vendor = this.getNodeParameter('vendor', itemIndex, 'mender') as VendorName;
				const mapping = String(
					this.getNodeParameter(vendor === 'generic' ? 'mapping' : 'mappingOverride', itemIndex, '') ?? '',
				).trim();
				const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '');
				const read = await vendorBody(this, item, itemIndex, binaryPropertyName);
				if ('error' in read) throw new NodeOperationError(this.getNode(), read.error, { itemIndex });

				const result = await mapVendorBody(vendor, read.body, { mapping: mapping || null });
				if (!result.ok) {
					throw new NodeOperationError(this.getNode(), `The ${vendorTitle(vendor)} body does not map to an MDM event`, {
						itemIndex,
						description: result.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
					});
				}
				for (const event of result.events) {
					out.push({
						json: {
							id: event.id,
							type: event.type,
							timestamp: event.timestamp ?? new Date().toISOString(),
							data: event.data as IDataObject,
						},
						pairedItem,
					});
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { ...item.json, error: (error as Error).message }, pairedItem });
					continue;
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
		}
		return [out];
	}
}
