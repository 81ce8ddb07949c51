/**
 * The few n8n REST calls `npm run dev` and the e2e suite need. There is no CLI to create the owner, so it is
 * done as the editor's setup page does it; everything else uses the public API with an API key where it can.
 */
export interface HttpResult<T = unknown> {
	status: number;
	body: T;
	headers: Headers;
}

export class N8nApi {
	cookie = '';

	apiKey = '';

	constructor(readonly baseUrl: string) {}

	async request<T = unknown>(
		method: string,
		urlPath: string,
		body?: unknown,
		opts: { auth?: 'cookie' | 'apiKey' | 'none'; headers?: Record<string, string> } = {},
	): Promise<HttpResult<T>> {
		const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
		const auth = opts.auth ?? (urlPath.startsWith('/api/') ? 'apiKey' : 'cookie');
		if (auth === 'cookie' && this.cookie) headers.cookie = this.cookie;
		if (auth === 'apiKey' && this.apiKey) headers['x-n8n-api-key'] = this.apiKey;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(this.baseUrl + urlPath, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON (icons, HTML)
		}
		return { status: res.status, body: parsed as T, headers: res.headers };
	}

	/** request() that throws with the answer when the status is not 2xx; unwraps the internal API's `{data}`. */
	async call<T = Record<string, unknown>>(
		method: string,
		urlPath: string,
		body?: unknown,
	): Promise<T> {
		const res = await this.request<{ data?: T } & T>(method, urlPath, body);
		if (res.status < 200 || res.status >= 300) {
			throw new Error(
				`n8n ${method} ${urlPath} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`,
			);
		}
		if (
			urlPath.startsWith('/rest/') &&
			res.body &&
			typeof res.body === 'object' &&
			'data' in res.body
		)
			return res.body.data as T;
		return res.body as T;
	}

	private keepCookie(headers: Headers): void {
		const auth = headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
	}

	/** n8n allows 5 logins a minute per user: a 429 is waited out (up to about 90 s) rather than taken as a refusal. */
	async login(email: string, password: string): Promise<boolean> {
		const deadline = Date.now() + 90_000;
		for (;;) {
			const res = await this.request(
				'POST',
				'/rest/login',
				{ emailOrLdapLoginId: email, password },
				{ auth: 'none' },
			);
			if (res.status === 429 && Date.now() < deadline) {
				const retryAfter = Number(res.headers.get('retry-after'));
				await new Promise((resolve) =>
					setTimeout(
						resolve,
						Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 10_000,
					),
				);
				continue;
			}
			if (res.status !== 200) return false;
			this.keepCookie(res.headers);
			return true;
		}
	}

	/** Whether the session cookie still belongs to a logged-in user. */
	async cookieWorks(): Promise<boolean> {
		if (!this.cookie) return false;
		return (await this.request('GET', '/rest/login')).status === 200;
	}

	/** Creates the owner on a fresh instance, or logs in when it exists. */
	async ensureOwner(owner: {
		email: string;
		password: string;
		firstName: string;
		lastName: string;
	}): Promise<'created' | 'existing'> {
		if (await this.login(owner.email, owner.password)) return 'existing';
		const res = await this.request('POST', '/rest/owner/setup', owner, { auth: 'none' });
		if (res.status === 200) {
			this.keepCookie(res.headers);
			return 'created';
		}
		throw new Error(
			`could not create or log in as the n8n owner ${owner.email} (owner setup answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}). ` +
				'If the data folder was set up with another login, delete it to start afresh.',
		);
	}

	/** A public-API key with every scope the instance offers (n8n before 1.9x has no scopes: a key may do all). */
	async createApiKey(label: string): Promise<string> {
		const offered = await this.request<{ data?: string[] }>('GET', '/rest/api-keys/scopes');
		const scopes = offered.status === 404 ? undefined : offered.body.data;
		const created = await this.call<{ rawApiKey: string }>('POST', '/rest/api-keys', {
			label,
			...(scopes ? { scopes } : {}),
			expiresAt: null,
		});
		this.apiKey = created.rawApiKey;
		return this.apiKey;
	}

	async apiKeyWorks(): Promise<boolean> {
		if (!this.apiKey) return false;
		return (await this.request('GET', '/api/v1/workflows?limit=1')).status === 200;
	}

	async createCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<string> {
		const body = { name, type, data };
		const res = await this.request<{ id?: string }>('POST', '/api/v1/credentials', body);
		// n8n 1.x's public API checks the data against every authentication option at once (an API key
		// credential is refused for lacking a password); the editor's own route does not.
		if (res.status === 400 && this.cookie)
			return (await this.call<{ id: string }>('POST', '/rest/credentials', body)).id;
		if (res.status < 200 || res.status >= 300 || !res.body.id)
			throw new Error(
				`n8n POST /api/v1/credentials answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`,
			);
		return res.body.id;
	}

	async listWorkflows(): Promise<Array<{ id: string; name: string; active: boolean }>> {
		const all: Array<{ id: string; name: string; active: boolean }> = [];
		let cursor: string | undefined;
		do {
			const page = await this.call<{
				data: Array<{ id: string; name: string; active: boolean }>;
				nextCursor?: string | null;
			}>(
				'GET',
				`/api/v1/workflows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	async createWorkflow(workflow: WorkflowFile): Promise<string> {
		const created = await this.call<{ id: string }>('POST', '/api/v1/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
		});
		return created.id;
	}

	async activateWorkflow(id: string): Promise<void> {
		await this.call('POST', `/api/v1/workflows/${id}/activate`);
	}
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface WorkflowFile {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	meta?: Record<string, unknown>;
	[key: string]: unknown;
}
