import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import {
	bareMimeType,
	fallbackFileName,
	fileNameFromContentDisposition,
	reportDownloadPath,
	reportToken,
} from '../Ottu/helpers/reports';
import type { OttuStreamResponse } from '../Ottu/transport';
import { ottuApiRequest, storeWithinTimeout } from '../Ottu/transport';

type BinaryInput = Parameters<IPollFunctions['helpers']['prepareBinaryData']>[0];

/** The report's file streamed into n8n's binary data store, under `property`. A read: repeated when lost. */
export async function withFile(
	ctx: IPollFunctions,
	report: IDataObject,
	baseUrl: string,
	property: string,
): Promise<INodeExecutionData> {
	const token = reportToken(report, baseUrl);
	const response = (await ottuApiRequest.call(ctx, {
		method: 'GET',
		path: reportDownloadPath(token),
		stream: true,
		retry: 'read',
		timeout: 300_000,
	})) as OttuStreamResponse;
	const header = (name: string) => {
		const value = response.headers[name];
		return Array.isArray(value) ? value[0] : value;
	};
	const mimeType = bareMimeType(header('content-type')) ?? 'application/octet-stream';
	const fileName =
		fileNameFromContentDisposition(header('content-disposition')) ??
		fallbackFileName(token, mimeType);
	// Within the request's timeout: a file that stalls midway fails the poll instead of holding it.
	const binary = await storeWithinTimeout(
		response,
		async ({ body }) =>
			await ctx.helpers.prepareBinaryData(body as unknown as BinaryInput, fileName, mimeType),
	);
	return {
		json: report,
		binary: { [property]: binary },
	};
}
