import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { compileJsonata, evaluateMapping, renderTemplate } from '../../../core';
import type { EventEnvelope, TemplateName } from '../../../core';

function isEnvelopeLike(value: IDataObject): boolean {
	return (
		typeof value.type === 'string' &&
		!!value.data &&
		typeof value.data === 'object' &&
		!Array.isArray(value.data)
	);
}

/**
 * The value to send for one item, from the chosen payload source:
 * - `template`: the core's Slack / Teams / custom template rendered from the item as an event
 *   envelope (what the MDM Event Trigger emits);
 * - `jsonata`: a JSONata expression evaluated over the item's JSON;
 * - `json`: the JSON body as given.
 */
export async function buildPayload(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
): Promise<unknown> {
	const source = this.getNodeParameter('payloadSource', itemIndex, 'template') as string;

	if (source === 'template') {
		const template = this.getNodeParameter('template', itemIndex, 'custom') as TemplateName;
		if (!isEnvelopeLike(item.json)) {
			throw new NodeOperationError(this.getNode(), 'The item is not an event envelope', {
				itemIndex,
				description:
					'Payload "From Template" needs items shaped like the MDM Event Trigger output ({id, type, timestamp, data}). Use JSONata or JSON for other items.',
			});
		}
		return renderTemplate(template, item.json as unknown as EventEnvelope);
	}

	if (source === 'jsonata') {
		const expression = String(this.getNodeParameter('jsonataExpression', itemIndex, '') ?? '').trim();
		if (!expression) {
			throw new NodeOperationError(this.getNode(), 'The JSONata expression is empty', { itemIndex });
		}
		let compiled;
		try {
			// The core caches compilations, so this is cheap for every item after the first.
			compiled = compileJsonata(expression);
		} catch (error) {
			const position = (error as { position?: number }).position;
			throw new NodeOperationError(
				this.getNode(),
				`The JSONata expression does not compile${position !== undefined ? ` (at position ${position})` : ''}: ${(error as Error).message}`,
				{ itemIndex },
			);
		}
		let result: unknown;
		try {
			// Same evaluation as the dispatcher's profile payloads: the core's limits, plain JSON out.
			result = await evaluateMapping(compiled, item.json);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`The JSONata expression failed: ${(error as Error).message}`,
				{ itemIndex },
			);
		}
		if (result === undefined) {
			throw new NodeOperationError(this.getNode(), 'The JSONata expression produced no value', {
				itemIndex,
				description: 'Check the field paths against the input item',
			});
		}
		return result;
	}

	if (source === 'json') {
		const body = this.getNodeParameter('jsonBody', itemIndex, '{}') as unknown;
		if (typeof body !== 'string') return body;
		try {
			return JSON.parse(body) as unknown;
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`The JSON body is not valid JSON: ${(error as Error).message}`,
				{ itemIndex },
			);
		}
	}

	throw new NodeOperationError(this.getNode(), `Unknown payload source "${source}"`, { itemIndex });
}
