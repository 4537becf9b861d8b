import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { rawBody } from '../../VerifySignature/actions/verify';

/**
 * The vendor's body of one item, parsed: the same bytes Verify Signature checks (the Webhook
 * node's "Raw Body" binary property when present, else `json.body`).
 */
export async function vendorBody(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<{ body: unknown } | { error: string }> {
	const raw = await rawBody(ctx, item, itemIndex, binaryPropertyName);
	if (!raw) return { error: `No binary property "${binaryPropertyName}" and no json.body on the item` };
	let text = raw.body.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	try {
		return { body: JSON.parse(text) as unknown };
	} catch {
		return { error: 'The body is not JSON' };
	}
}
