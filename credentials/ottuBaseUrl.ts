/**
 * The Ottu instance address, in the one form both the credential and the node use. This module imports
 * nothing, so the credential can use it without loading the node.
 */

/**
 * Turns what a merchant pasted as their Ottu instance ("merchant.ottu.net", "https://merchant.ottu.net/")
 * into "https://merchant.ottu.net". Plain http is refused except on this machine, because the API key
 * would travel in clear.
 */
export function normalizeBaseUrl(input: unknown): string {
	const raw = typeof input === 'string' ? input.trim() : '';
	if (raw === '') {
		throw new Error(
			'The Ottu credential has no Base URL. Enter your instance address, e.g. https://merchant.ottu.net',
		);
	}
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
	const url = parseUrl(withScheme);
	if (!url) {
		throw new Error(
			`The Ottu credential's Base URL "${raw}" is not a web address. Enter it like https://merchant.ottu.net`,
		);
	}
	const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
	if (url.protocol === 'http:' && !local) {
		throw new Error(
			`The Ottu credential's Base URL uses plain http (${url.host}): your API key would be sent unencrypted. Use https://${url.host}`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new Error(
			`The Ottu credential's Base URL must start with https:// (got ${url.protocol}//)`,
		);
	}
	const path = url.pathname.replace(/\/+$/, '');
	return `${url.protocol}//${url.host}${path}`;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** The scheme, host and port of an address ("https://merchant.ottu.net"), or undefined when it is not one. */
export function originOf(url: string, base?: string): string | undefined {
	try {
		const parsed = base === undefined ? new URL(url) : new URL(url, base);
		return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Whether a request goes to the credential's own instance: same scheme, host and port. Only such requests
 * carry the credential (a pre-signed storage link Ottu redirects a download to gets none).
 */
export function isCredentialOrigin(
	url: string,
	base: string | undefined,
	credentialBaseUrl: unknown,
): boolean {
	const target = originOf(url, base);
	return target !== undefined && target === originOf(normalizeBaseUrl(credentialBaseUrl));
}
