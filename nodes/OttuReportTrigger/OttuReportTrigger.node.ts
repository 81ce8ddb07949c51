import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { REPORT_KIND_FILTERS } from '../Ottu/helpers/reports';
import { ottuApiRequestAllItems, ottuBaseUrl } from '../Ottu/transport';
import { withFile } from './download';
import type { ReportState } from './seen';
import { listFrom, selectNew } from './seen';

interface Settings {
	qs: IDataObject;
	includeDays: number;
	download: boolean;
	property: string;
}

function readSettings(ctx: IPollFunctions): Settings {
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const includeDays = Number(ctx.getNodeParameter('includeDays', 0));
	const property = String(ctx.getNodeParameter('binaryPropertyName', 'data')).trim();
	if (!Number.isInteger(includeDays) || includeDays < 0 || includeDays > 30) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Include Reports From the Last N Days must be a whole number from 0 to 30, got ${String(includeDays)}`,
			{
				description:
					'Ottu keeps listing reports for 30 days; 0 emits only reports finished after activation',
			},
		);
	}
	const download = ctx.getNodeParameter('download', false) === true;
	if (download && property === '') {
		throw new NodeOperationError(ctx.getNode(), 'Put Output File in Field is empty', {
			description: 'Enter a field name for the file, e.g. data',
		});
	}
	const qs: IDataObject = {};
	if (typeof filters.interval === 'string') qs.interval = filters.interval;
	if (typeof filters.source === 'string') qs.source = filters.source;
	return {
		qs,
		includeDays,
		download,
		property,
	};
}

export class OttuReportTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ottu Report Trigger',
		name: 'ottuReportTrigger',
		icon: {
			light: 'file:../../icons/ottu.svg',
			dark: 'file:../../icons/ottu.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["download"] ? "New report files, downloaded" : "New report files" }}',
		description: 'Starts the workflow when Ottu finishes a new report file',
		defaults: { name: 'Ottu Report Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'ottuApi',
				required: true,
			},
		],
		polling: true,
		properties: [
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [...REPORT_KIND_FILTERS],
			},
			{
				displayName: 'Include Reports From the Last N Days',
				name: 'includeDays',
				type: 'number',
				typeOptions: {
					minValue: 0,
					maxValue: 30,
				},
				default: 0,
				description:
					'On activation, also start the workflow for the reports of the last N days; 0 starts it only for reports finished from now on',
			},
			{
				displayName: 'Download File',
				name: 'download',
				type: 'boolean',
				default: false,
				description:
					"Whether to put the report's file in the output (counts against Ottu's 25 downloads per hour)",
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				required: true,
				hint: 'The name of the output binary field to put the file in',
				displayOptions: { show: { download: [true] } },
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		const now = Date.now();
		// A test run ("Fetch Test Event") shows the newest report and remembers nothing.
		if (this.getMode() === 'manual') {
			const [newest] = await ottuApiRequestAllItems.call(this, {
				path: '/b/api/v1/reports/files/',
				qs: settings.qs,
				limit: 1,
			});
			return newest ? [[await output(this, newest, settings)]] : null;
		}
		const state = this.getWorkflowStaticData('node') as ReportState & IDataObject;
		const first = state.activated !== true;
		const reports = await ottuApiRequestAllItems.call(this, {
			path: '/b/api/v1/reports/files/',
			qs: {
				...settings.qs,
				created_after: listFrom(now, first, settings.includeDays),
			},
		});
		const { emit, next } = selectNew(reports, state, now, settings.includeDays);
		// Files first: if a download fails, nothing is remembered and the next poll tries these again.
		const items: INodeExecutionData[] = [];
		for (const report of emit) items.push(await output(this, report, settings));
		state.seen = next.seen;
		state.activated = true;
		if (next.floor !== undefined) state.floor = next.floor;
		return items.length > 0 ? [items] : null;
	}
}

async function output(
	ctx: IPollFunctions,
	report: IDataObject,
	settings: Settings,
): Promise<INodeExecutionData> {
	if (!settings.download) return { json: report };
	return await withFile(ctx, report, await ottuBaseUrl.call(ctx), settings.property);
}
