import { originOf } from '../../../credentials/ottuBaseUrl';

/** Redirects followed for one request at most (Ottu itself answers without any; storage adds one). */
export const MAX_REDIRECTS = 5;

export type RedirectDecision = { follow: string; sameOrigin: boolean } | { refuse: string };

export interface RedirectRule {
	method: string;
	/** Downloads may leave the instance for the storage Ottu redirects them to; API calls never do. */
	mayLeaveOrigin: boolean;
	/** Redirects already followed for this request. */
	hops: number;
}

export function isRedirect(status: number): boolean {
	return status >= 300 && status < 400 && status !== 304;
}

/**
 * Whether to follow a redirect from `from` to `location`, decided by the transport itself (n8n's helper would
 * re-send the credential, the body and the Tracking-Key). Only GETs are followed; never from https to http;
 * to another scheme, host or port only where `mayLeaveOrigin`, and the credential then stays behind.
 */
export function redirectDecision(
	from: string,
	location: string | undefined,
	rule: RedirectRule,
): RedirectDecision {
	if (!location) return { refuse: 'a redirect without a Location' };
	let target: URL;
	try {
		target = new URL(location, from);
	} catch {
		return { refuse: 'a redirect to an unreadable address' };
	}
	if (target.protocol !== 'https:' && target.protocol !== 'http:')
		return { refuse: `a redirect to a ${target.protocol} address` };
	const where = target.origin;
	if (new URL(from).protocol === 'https:' && target.protocol === 'http:')
		return { refuse: `a redirect to plain http (${where})` };
	if (rule.method.toUpperCase() !== 'GET') return { refuse: `a redirect to ${where}` };
	if (rule.hops >= MAX_REDIRECTS)
		return { refuse: `more than ${MAX_REDIRECTS} redirects (the last to ${where})` };
	const sameOrigin = originOf(from) === where;
	if (!sameOrigin && !rule.mayLeaveOrigin)
		return { refuse: `a redirect to another address (${where})` };
	return {
		follow: target.href,
		sameOrigin,
	};
}
