import type {
	IBinaryData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { OttuInputError } from '../../helpers/errors';
import {
	bareMimeType,
	fallbackFileName,
	fileNameFromContentDisposition,
	reportDownloadPath,
	reportToken,
} from '../../helpers/reports';
import { optionalText } from '../../helpers/validation';
import type { OttuStreamResponse } from '../../transport';
import { BODY_LIMITS, ottuBaseUrl, ottuDownload } from '../../transport';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Download',
	value: 'download',
	description:
		'Download a report file (CSV or XLSX) as binary data. Ottu allows 25 downloads per hour.',
	action: 'Download a report',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Report',
		name: 'report',
		type: 'string',
		default: '={{ $json.download_action }}',
		required: true,
		description:
			'The report to download: its download_action from Report → Get Many (the default takes it from the input item), its download URL, or its token. Tokens are short-lived: list the reports again if it expired.',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	{
		displayName: 'Download Options',
		name: 'downloadOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. ottu-daily.csv',
				description: 'Use this name instead of the one Ottu gives',
			},
			{
				displayName: 'Max Download Size (MB)',
				name: 'maxSizeMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 512,
				description:
					'Stop with an error when the file is larger than this. The Timeout option is the time allowed for the whole file (5 minutes when not set).',
			},
		],
	},
];

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** Streams the answer into n8n's binary data store under its file name (the option's, Ottu's or one made up). */
async function storeFile(
	ctx: IExecuteFunctions,
	response: OttuStreamResponse,
	token: string,
	fileNameOption: unknown,
): Promise<{ binary: IBinaryData; fileName: string }> {
	const header = (name: string) => {
		const value = response.headers[name];
		return Array.isArray(value) ? value[0] : value;
	};
	const mimeType = bareMimeType(header('content-type')) ?? 'application/octet-stream';
	const fileName =
		optionalText(fileNameOption, 'File Name') ??
		fileNameFromContentDisposition(header('content-disposition')) ??
		fallbackFileName(token, mimeType);
	return {
		fileName,
		binary: await ctx.helpers.prepareBinaryData(
			response.body as unknown as BinaryInput,
			fileName,
			mimeType,
		),
	};
}

interface DownloadOptions {
	fileName?: string;
	maxSizeMb?: number;
}

function binaryField(ctx: IExecuteFunctions, itemIndex: number): string {
	const name = optionalText(
		ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
		'Put Output File in Field',
		200,
	);
	if (name === undefined) {
		throw new OttuInputError(
			'binaryPropertyName',
			'Put Output File in Field is empty',
			'Enter a field name for the file, e.g. data',
		);
	}
	return name;
}

function maxDownloadBytes(options: DownloadOptions): number {
	const maxSizeMb = Number(options.maxSizeMb ?? BODY_LIMITS.defaultDownloadMb);
	if (!Number.isFinite(maxSizeMb) || maxSizeMb <= 0) {
		throw new OttuInputError(
			'downloadOptions.maxSizeMb',
			`Max Download Size must be a positive number of MB, got ${String(options.maxSizeMb)}`,
			`Enter a size such as ${BODY_LIMITS.defaultDownloadMb}`,
		);
	}
	return Math.floor(maxSizeMb * 1024 * 1024);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const binaryPropertyName = binaryField(this, itemIndex);
	const options = this.getNodeParameter('downloadOptions', itemIndex, {}) as DownloadOptions;
	const token = reportToken(
		this.getNodeParameter('report', itemIndex),
		await ottuBaseUrl.call(this, itemIndex),
	);
	const maxBytes = maxDownloadBytes(options);

	// Streamed straight into n8n's binary data store: a large report never sits in memory.
	const request = {
		method: 'GET' as const,
		path: reportDownloadPath(token),
		timeout: 300_000,
		maxBytes,
		itemIndex,
	};
	const { binary, fileName } = (await ottuDownload.call(this, request, async (response) =>
		storeFile(this, response, token, options.fileName),
	)) as { binary: IBinaryData; fileName: string };
	return [
		{
			json: {
				token,
				file_name: binary.fileName ?? fileName,
				mime_type: binary.mimeType,
				file_size: binary.fileSize,
			},
			binary: { [binaryPropertyName]: binary },
		},
	];
}
