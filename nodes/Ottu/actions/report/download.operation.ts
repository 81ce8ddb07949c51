import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { OttuInputError } from '../../helpers/errors';
import { bareMimeType, fallbackFileName, fileNameFromContentDisposition, reportDownloadPath, reportToken } from '../../helpers/reports';
import { optionalText } from '../../helpers/validation';
import type { OttuStreamResponse } from '../../transport';
import { ottuApiRequest, ottuBaseUrl } from '../../transport';

const show = { resource: ['report'], operation: ['download'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Report',
		name: 'report',
		type: 'string',
		default: '={{ $json.download_action }}',
		required: true,
		description:
			"The report to download: its download_action from Report → Get Many (the default takes it from the input item), its download URL, or its token. Tokens are short-lived: list the reports again if it expired.",
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
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const binaryPropertyName = optionalText(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), 'Put Output File in Field', 200);
	if (binaryPropertyName === undefined) {
		throw new OttuInputError('binaryPropertyName', 'Put Output File in Field is empty', 'Enter a field name for the file, e.g. data');
	}
	const options = this.getNodeParameter('downloadOptions', itemIndex, {}) as { fileName?: string };
	const token = reportToken(this.getNodeParameter('report', itemIndex), await ottuBaseUrl.call(this, itemIndex));

	// Streamed straight into n8n's binary data store: a large report never sits in memory.
	const response = (await ottuApiRequest.call(this, {
		method: 'GET',
		path: reportDownloadPath(token),
		stream: true,
		retry: 'read',
		timeout: 300_000,
		itemIndex,
	})) as OttuStreamResponse;
	const header = (name: string) => {
		const value = response.headers[name];
		return Array.isArray(value) ? value[0] : value;
	};
	const mimeType = bareMimeType(header('content-type')) ?? 'application/octet-stream';
	const fileName = optionalText(options.fileName, 'File Name') ?? fileNameFromContentDisposition(header('content-disposition')) ?? fallbackFileName(token, mimeType);
	const binary = await this.helpers.prepareBinaryData(response.body as unknown as BinaryInput, fileName, mimeType);
	return [
		{
			json: { token, file_name: binary.fileName ?? fileName, mime_type: binary.mimeType, file_size: binary.fileSize },
			binary: { [binaryPropertyName]: binary },
		},
	];
}
