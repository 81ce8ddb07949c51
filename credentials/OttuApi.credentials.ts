import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { isCredentialOrigin, normalizeBaseUrl } from './ottuBaseUrl';

/** "http://" to anything but this machine (what normalizeBaseUrl refuses), for the credential's notice. */
const PLAIN_HTTP_NOT_LOCAL =
	'^\\s*[hH][tT][tT][pP]://(?!(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(/|$))';

function withoutAuthorization(headers: IHttpRequestOptions['headers']): IDataObject {
	return Object.fromEntries(
		Object.entries(headers ?? {}).filter(([name]) => !/^(authorization|cookie)$/i.test(name)),
	);
}

export class OttuApi implements ICredentialType {
	name = 'ottuApi';

	displayName = 'Ottu API';

	icon: Icon = {
		light: 'file:../icons/ottu.svg',
		dark: 'file:../icons/ottu.dark.svg',
	};

	documentationUrl = 'https://github.com/ottu-n8n/n8n-nodes-ottu#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://merchant.ottu.net',
			description:
				'Address of your Ottu instance. A bare host such as merchant.ottu.net is accepted. Plain http:// is only allowed for localhost (the Ottu sandbox).',
		},
		{
			displayName:
				'Plain http:// would send your API key unencrypted, so the Ottu node and the Test refuse it (only localhost, the Ottu sandbox, may use it). Enter the address with https://.',
			name: 'plainHttpNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { baseUrl: [{ _cnd: { regex: PLAIN_HTTP_NOT_LOCAL } }] } },
		},
		{
			// n8n shows a connection failure of the Test button as its bare code, with no way for a credential
			// to reword it; the Ottu node itself explains these in plain words.
			displayName:
				'If Test fails with only a code, the connection failed before Ottu could answer: ENOTFOUND, the host name does not exist (check it for a typo); ECONNREFUSED or ETIMEDOUT, nothing answers at this address; EPROTO, the address does not speak https; a CERT_… code, its certificate is not trusted. An answer from Ottu (a wrong key, a missing permission) is shown in words.',
			name: 'testCodesNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { baseUrl: [{ _cnd: { exists: true } }] } },
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'Private API key from the Ottu dashboard; has every permission',
				},
				{
					name: 'Basic Auth',
					value: 'basicAuth',
					description: 'An Ottu dashboard user; limited to the permissions that user has',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiKey'] } },
			description:
				'The private API key of your Ottu instance, from the Ottu dashboard (ask your Ottu administrator or account manager if you cannot see it); it looks like abcd1234.xxxxxxxx. Sent as "Authorization: Api-Key &lt;key&gt;". Keep it server-side.',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
		{
			displayName: 'Webhook HMAC Key',
			name: 'hmacSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The HMAC key from Ottu dashboard → Webhook Config → General. The Ottu Trigger uses it to verify that webhooks really come from Ottu; the Ottu node does not need it. The Test button cannot check it: a wrong key shows when the trigger receives a webhook.',
		},
		{
			displayName:
				'No Webhook HMAC Key: the Ottu node works without it, but the Ottu Trigger needs it and refuses to start listening until it is set. Copy it from Ottu dashboard → Webhook Config → General.',
			name: 'noHmacKeyNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { hmacSecret: [''] } },
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Checked here so that both the node and the credential Test button refuse an insecure URL.
		normalizeBaseUrl(credentials.baseUrl);
		// n8n would otherwise follow a redirect and send the credential along to wherever it points.
		const options: IHttpRequestOptions = {
			...requestOptions,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			headers: withoutAuthorization(requestOptions.headers),
		};
		// The Test button's request names the instance as `baseURL`, as the user typed it: normalised here.
		if (requestOptions.baseURL !== undefined)
			options.baseURL = normalizeBaseUrl(requestOptions.baseURL);
		if (!isCredentialOrigin(options.url, options.baseURL, credentials.baseUrl)) return options;
		const authorization =
			credentials.authentication === 'basicAuth'
				? 'Basic ' +
					Buffer.from(
						`${String(credentials.username ?? '')}:${String(credentials.password ?? '')}`,
						'utf8',
					).toString('base64')
				: `Api-Key ${String(credentials.apiKey ?? '')}`;
		return {
			...options,
			headers: {
				...options.headers,
				Authorization: authorization,
			},
		};
	}

	// Payment Methods is side-effect free and open to both API keys and Basic users.
	test: ICredentialTestRequest = {
		request: {
			// authenticate() normalises it (a bare host, a trailing slash) with the node's own rule.
			baseURL: '={{ $credentials.baseUrl }}',
			url: '/b/pbl/v2/payment-methods/',
			method: 'POST',
			body: { plugin: 'e_commerce' },
			json: true,
		},
		// Without these the Test button shows only the HTTP status text, e.g. "Unauthorized".
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Ottu refused these credentials (HTTP 401): the API key, or the username and password, is wrong for this Base URL',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Ottu accepted the login but this user may not read payment methods (HTTP 403): give the user that permission or use an API key',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Ottu API answered at this Base URL (HTTP 404): check the address of your Ottu instance',
				},
			},
			...[301, 302, 303, 307, 308].map((code) => ({
				type: 'responseCode' as const,
				properties: {
					value: code,
					message: `The Base URL answered with a redirect to another address (HTTP ${code}), which is not followed, so that the credential is never sent anywhere but this Base URL: enter the address of your Ottu instance itself`,
				},
			})),
		],
	};
}
