import type { IBinaryData, IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	bareMimeType,
	fallbackFileName,
	fileNameFromContentDisposition,
	reportDownloadPath,
	reportToken,
} from '../Ottu/helpers/reports';
import type { OttuStreamResponse } from '../Ottu/transport';
import { BodyLimitError, formatBytes, ottuBaseUrl, ottuDownload } from '../Ottu/transport';

type BinaryInput = Parameters<IPollFunctions['helpers']['prepareBinaryData']>[0];

/** The file, or why it is not there (it is larger than the Max Download Size). */
export type ReportFile = { binary: IBinaryData } | { missing: string };

async function store(
	ctx: IPollFunctions,
	response: OttuStreamResponse,
	token: string,
	maxBytes: number,
): Promise<ReportFile> {
	const header = (name: string) => {
		const value = response.headers[name];
		return Array.isArray(value) ? value[0] : value;
	};
	const mimeType = bareMimeType(header('content-type')) ?? 'application/octet-stream';
	const fileName =
		fileNameFromContentDisposition(header('content-disposition')) ??
		fallbackFileName(token, mimeType);
	const body = response.body as unknown as BinaryInput;
	// Too large is an answer (the report goes out without its file); anything else goes to ottuDownload.
	return await ctx.helpers.prepareBinaryData(body, fileName, mimeType).then(
		(binary): ReportFile => ({ binary }),
		async (error: unknown): Promise<ReportFile> => {
			const missing = tooLarge(error, maxBytes);
			return missing === undefined ? await Promise.reject(error) : { missing };
		},
	);
}

/**
 * Why a file too large to keep is missing: over the Max Download Size, or refused by n8n's binary data store
 * (database mode, used in queue mode, keeps files up to a size). Trying again next poll would not help.
 */
function tooLarge(error: unknown, maxBytes: number): string | undefined {
	if (error instanceof BodyLimitError && error.failure === 'too large')
		return `The file is larger than the Max Download Size of ${formatBytes(maxBytes)}; raise it in Download Options to get the file`;
	if (error instanceof Error && error.constructor.name === 'FileTooLargeError')
		return `The file is too large for n8n's binary data storage: ${error.message} Lower Max Download Size below that limit so that such files are not downloaded.`;
	return undefined;
}

/**
 * The report's file streamed into n8n's binary data store (never held in memory), within `maxBytes` and
 * a 5-minute deadline for the whole file. A read: a lost answer or a cut-off body is fetched again.
 */
export async function downloadReportFile(
	ctx: IPollFunctions,
	report: IDataObject,
	maxBytes: number,
): Promise<ReportFile> {
	const token = reportToken(report, await ottuBaseUrl.call(ctx));
	const request = {
		method: 'GET' as const,
		path: reportDownloadPath(token),
		timeout: 300_000,
		maxBytes,
	};
	return (await ottuDownload.call(ctx, request, async (response) =>
		store(ctx, response, token, maxBytes),
	)) as ReportFile;
}
