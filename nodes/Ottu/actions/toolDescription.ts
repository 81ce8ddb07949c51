import type { INodeProperties } from 'n8n-workflow';

import { resources } from './resources';

/**
 * What an AI agent reads about each operation of the Ottu tool: its action, and for operations that move money
 * or cannot be undone, that warning ("Refund a payment in Ottu. It moves real money and cannot be undone.").
 */
export function operationToolDescriptions(): Record<string, string> {
	const out: Record<string, string> = {};
	for (const resource of Object.values(resources)) {
		for (const operation of Object.values(resource.operations)) {
			const note = operation.toolNote ? ` It ${operation.toolNote}.` : '';
			out[`${resource.option.value}:${operation.option.value}`] =
				`${operation.option.action} in Ottu.${note}`;
		}
	}
	return out;
}

/**
 * The tool's description parameters, shown only on the Ottu tool (n8n's "@tool"). n8n describes a tool to an
 * agent by the operation's action alone under its own "Set Automatically" (which it adds only when a node has no
 * `toolDescription`), and people read that same action as the node's name, so the warnings cannot go there.
 * Here the default description is the operation's own, computed when the agent asks (n8n evaluates a
 * `toolDescription` expression then), so it follows the chosen operation.
 */
export function toolDescriptionProperties(manualDefault: string): INodeProperties[] {
	const tool = { '@tool': [true] };
	return [
		{
			displayName: 'Tool Description',
			name: 'descriptionType',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: tool },
			options: [
				{
					name: 'From the Operation',
					value: 'operation',
					description:
						'The action, with its warning for the agent when it moves money or cannot be undone (e.g. "Refund a payment in Ottu. It moves real money and cannot be undone.").',
				},
				{
					name: 'Action Name Only',
					value: 'auto',
					description: 'What n8n sets automatically: the action alone, without warnings',
				},
				{
					name: 'Set Manually',
					value: 'manual',
					description: 'Write the description yourself',
				},
			],
			default: 'operation',
		},
		{
			displayName: 'Description',
			name: 'toolDescription',
			type: 'hidden',
			displayOptions: { show: { ...tool, descriptionType: ['operation'] } },
			default: `={{ ${JSON.stringify(operationToolDescriptions())}[$parameter["resource"] + ":" + $parameter["operation"]] }}`,
		},
		{
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			typeOptions: { rows: 2 },
			required: true,
			displayOptions: { show: { ...tool, descriptionType: ['manual'] } },
			default: manualDefault,
			description:
				'What the AI agent reads about this tool. Say which operations move money or cannot be undone.',
		},
	];
}
