import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { REPORT_KIND_FILTERS } from '../Ottu/helpers/reports';
import { BODY_LIMITS, ottuApiRequestAllItems } from '../Ottu/transport';
import { downloadReportFile } from './download';
import type { EmitSettings } from './emit';
import { emitReports } from './emit';
import type { ReportState } from './seen';
import { listFrom, prune, selectNew } from './seen';

interface Settings extends EmitSettings {
	qs: IDataObject;
	includeDays: number;
}

interface DownloadOptions {
	maxSizeMb?: number;
	downloadBacklog?: boolean;
	downloadsPerWindow?: number;
	quotaWindowSeconds?: number;
}

/** A whole number of at least `min`, or an error naming the field. */
function wholeNumber(ctx: IPollFunctions, value: unknown, field: string, min: number): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < min) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field} must be a whole number of at least ${min}, got ${String(value)}`,
		);
	}
	return n;
}

function readDownloadOptions(
	ctx: IPollFunctions,
): Pick<Settings, 'maxBytes' | 'quota' | 'downloadBacklog'> {
	const options = ctx.getNodeParameter('downloadOptions', {}) as DownloadOptions;
	const maxSizeMb = Number(options.maxSizeMb ?? BODY_LIMITS.defaultDownloadMb);
	if (!Number.isFinite(maxSizeMb) || maxSizeMb <= 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Max Download Size must be a positive number of MB, got ${String(options.maxSizeMb)}`,
			{ description: `Enter a size such as ${BODY_LIMITS.defaultDownloadMb}` },
		);
	}
	const perWindow = wholeNumber(
		ctx,
		options.downloadsPerWindow ?? 20,
		'Downloads Per Quota Window',
		1,
	);
	const windowSeconds = wholeNumber(
		ctx,
		options.quotaWindowSeconds ?? 3600,
		'Quota Window (Seconds)',
		1,
	);
	return {
		maxBytes: Math.floor(maxSizeMb * 1024 * 1024),
		quota: { perWindow, windowMs: windowSeconds * 1000 },
		downloadBacklog: options.downloadBacklog === true,
	};
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
		...readDownloadOptions(ctx),
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
					"Whether to put the report's file in the output. Ottu allows 25 downloads an hour: the trigger takes at most 20 (see Download Options), so a long backlog arrives over several hours, oldest first.",
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
			{
				displayName: 'Download Options',
				name: 'downloadOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { download: [true] } },
				options: [
					{
						displayName: 'Download Files of Older Reports',
						name: 'downloadBacklog',
						type: 'boolean',
						default: false,
						description:
							'Whether to also download the files of the reports found on activation (Include Reports From the Last N Days). Off: those reports start the workflow without their file, which spares the download quota.',
					},
					{
						displayName: 'Downloads Per Quota Window',
						name: 'downloadsPerWindow',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 20,
						description:
							'Most files this trigger downloads per quota window. Ottu allows 25 an hour per user; 20 leaves 5 for Report → Download with the same credential. Reports beyond it wait, in order, for the next polls.',
					},
					{
						displayName: 'Max Download Size (MB)',
						name: 'maxSizeMb',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 512,
						description:
							'A larger file is not downloaded: its report starts the workflow without it, and file_missing says why',
					},
					{
						displayName: 'Quota Window (Seconds)',
						name: 'quotaWindowSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 3600,
						description:
							"The window of Ottu's download quota (an hour). Change it only if your Ottu instance is set up differently.",
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		// A test run ("Fetch Test Event") shows the newest report and remembers nothing.
		if (this.getMode() === 'manual') return await testEvent(this, settings);
		// n8n starts the next poll on time even while this one still downloads: one at a time.
		const key = `${this.getWorkflow().id ?? ''}/${this.getNode().id}`;
		if (running.has(key)) return null;
		running.add(key);
		try {
			return await pollReports(this, settings);
		} finally {
			running.delete(key);
		}
	}
}

/** The polls running in this process, by workflow and node. */
const running = new Set<string>();

async function pollReports(
	ctx: IPollFunctions,
	settings: Settings,
): Promise<INodeExecutionData[][] | null> {
	const now = Date.now();
	const state = ctx.getWorkflowStaticData('node') as ReportState & IDataObject;
	state.seen ??= {};
	const reports = await ottuApiRequestAllItems.call(ctx, {
		path: '/b/api/v1/reports/files/',
		qs: {
			...settings.qs,
			created_after: listFrom(now, state.activated !== true, settings.includeDays, state),
		},
	});
	const queue = selectNew(reports, state, now, settings.includeDays);
	const items = await emitReports(ctx, queue, state, settings);
	state.activated = true;
	prune(state, now);
	return items.length > 0 ? [items] : null;
}

async function testEvent(
	ctx: IPollFunctions,
	settings: Settings,
): Promise<INodeExecutionData[][] | null> {
	const [newest] = await ottuApiRequestAllItems.call(ctx, {
		path: '/b/api/v1/reports/files/',
		qs: settings.qs,
		limit: 1,
	});
	if (!newest) return null;
	if (!settings.download) return [[{ json: newest }]];
	const file = await downloadReportFile(ctx, newest, settings.maxBytes);
	if ('missing' in file) return [[{ json: { ...newest, file_missing: file.missing } }]];
	return [[{ json: newest, binary: { [settings.property]: file.binary } }]];
}
