import type { SandboxContext } from '../context';

/**
 * The public address of a stored attachment file (the checkout object's `attachment`, the hosted
 * page's link).
 */
export function attachmentUrl(ctx: SandboxContext, fileUrl: string): string {
	return `${ctx.baseUrl()}/media/${fileUrl.split('/').map(encodeURIComponent).join('/')}`;
}
