import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * The vendor's body of one item: the Webhook node's "Raw Body" binary property when present
 * (parsed as JSON), else `json.body` (a string is parsed, an object taken as it is).
 * Undefined when the item has neither, or the text is not JSON.
 */
export async function vendorBody(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<{ body: unknown } | { error: string }> {
	let text: string | undefined;
	if (binaryPropertyName && item.binary?.[binaryPropertyName]) {
		text = (await ctx.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName)).toString('utf8');
	} else if (typeof item.json.body === 'string') {
		text = item.json.body;
	} else if (item.json.body !== undefined && item.json.body !== null) {
		return { body: item.json.body as IDataObject };
	}
	if (text === undefined) return { error: `No binary property "${binaryPropertyName}" and no json.body on the item` };
	try {
		return { body: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown };
	} catch {
		return { error: 'The body is not JSON' };
	}
}
