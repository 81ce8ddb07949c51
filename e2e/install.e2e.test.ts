/**
 * The real install path: the packed package is published to a local npm registry (verdaccio) and installed by
 * name, as users install it: through n8n's Community Nodes installer (the REST call the Settings page makes,
 * and once by clicking through that page in Chromium), and with `npm install n8n-nodes-ottu` in `~/.n8n/nodes`
 * as the README says. Each path gets its own fresh n8n, which must load the nodes and run a workflow.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Browser } from 'playwright-core';

import { N8nApi } from '../scripts/dev/n8nApi';
import type { WorkflowFile } from '../scripts/dev/n8nApi';
import { credentialData } from '../scripts/dev/provision';
import type { LocalRegistry } from '../scripts/dev/registry';
import {
	npmRedirectBin,
	publishTarball,
	registryFlag,
	startRegistry,
} from '../scripts/dev/registry';
import { N8N_VERSION, runtimePaths } from '../scripts/dev/runtime';
import type { Service } from '../scripts/dev/stack';
import { freePort, startN8n, stopService } from '../scripts/dev/stack';
import { launchBrowser, newPage } from './helpers/browser';
import { waitForWebhook } from './helpers/n8n';
import { E2E_DIR, readState } from './helpers/state';

const state = readState();
const PKG = 'n8n-nodes-ottu';
const DIR = path.join(E2E_DIR, 'install');
const OWNER = {
	email: 'install@n8n-nodes-ottu.dev',
	password: 'Install-e2e-Pw1',
	firstName: 'Install',
	lastName: 'Path',
};
const log = (m: string) => fs.appendFileSync(path.join(DIR, 'install.log'), `${m}\n`);

function packageJsonAbove(dir: string): string | undefined {
	for (let d = dir; ; d = path.dirname(d)) {
		if (fs.existsSync(path.join(d, 'package.json'))) return d;
		if (path.dirname(d) === d) return undefined;
	}
}

function packedTarball(): string {
	const packDir = path.join(state.userFolder, 'pack');
	const file = fs.readdirSync(packDir).find((f) => f.endsWith('.tgz'));
	if (!file) throw new Error(`no packed tarball in ${packDir} (globalSetup packs it)`);
	return path.join(packDir, file);
}

/** A fresh n8n with its own user folder; `npmBin` goes first on its PATH. */
async function freshN8n(
	name: string,
	npmBin?: string,
	userFolder = path.join(DIR, name),
): Promise<{ n8n: Service; api: N8nApi }> {
	const runtime = runtimePaths();
	const pathVar = [npmBin, path.dirname(runtime.nodeBin), process.env.PATH].filter(Boolean);
	const n8n = await startN8n({
		runtime,
		userFolder,
		port: await freePort(),
		brokerPort: await freePort(),
		logFile: path.join(DIR, `${name}.log`),
		extraEnv: { PATH: pathVar.join(path.delimiter), N8N_COMMUNITY_PACKAGES_ENABLED: 'true' },
	});
	const api = new N8nApi(n8n.url!);
	await api.ensureOwner(OWNER);
	return { n8n, api };
}

/** The package's node types n8n offers; n8n 1.x writes its type list to a file a moment after a change. */
async function packageTypes(api: N8nApi): Promise<string[]> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const res = await api.request<unknown>('GET', '/types/nodes.json');
		const body = typeof res.body === 'string' ? safeJson(res.body) : res.body;
		if (Array.isArray(body))
			return (body as Array<{ name: string }>)
				.map((t) => t.name)
				.filter((n) => n.startsWith(`${PKG}.`))
				.sort();
		if (Date.now() > deadline)
			throw new Error(
				`GET /types/nodes.json answered ${res.status}: ${String(res.body).slice(0, 300)}`,
			);
		await new Promise((r) => setTimeout(r, 500));
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * What the user types into the installer. n8n 1.x checks a bare name's latest version over HTTP at the public
 * registry, which the test cannot point at the local one, so on 1.x it names the exact version.
 */
function installSpec(): string {
	if (!N8N_VERSION.startsWith('1.')) return PKG;
	const version = /-(\d+\.\d+\.\d+)\.tgz$/.exec(packedTarball())![1];
	return `${PKG}@${version}`;
}

const EXPECTED_TYPES = [
	`${PKG}.ottu`,
	`${PKG}.ottuReportTrigger`,
	`${PKG}.ottuTool`,
	`${PKG}.ottuTrigger`,
];

/** Creates a credential and a payment link through a published workflow of the fresh n8n. */
async function runsAWorkflow(api: N8nApi, label: string): Promise<void> {
	await api.createApiKey(`install e2e ${label}`);
	const credentialId = await api.createCredential('Ottu Sandbox', 'ottuApi', {
		...credentialData(state.sandboxUrl, state.keys),
	});
	const webhookPath = `install-${label}`;
	const workflow: WorkflowFile = {
		name: `Installed by ${label}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Create payment link',
				type: `${PKG}.ottu`,
				typeVersion: 1,
				position: [300, 0],
				parameters: {
					resource: 'paymentTransaction',
					operation: 'create',
					type: 'payment_request',
					amount: '7',
					currencyCode: 'KWD',
					pgCodes: ['knet-test'],
					orderNo: `INSTALL-${label}`,
				},
				credentials: { ottuApi: { id: credentialId, name: 'Ottu Sandbox' } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Create payment link', type: 'main', index: 0 }]] },
		},
	};
	const id = await api.createWorkflow(workflow);
	await api.activateWorkflow(id);
	await waitForWebhook(api.baseUrl, webhookPath);
	const res = await fetch(`${api.baseUrl}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	const body = (await res.json()) as { session_id?: string; order_no?: string };
	expect(res.status).toBe(200);
	expect(body.order_no).toBe(`INSTALL-${label}`);
	expect(body.session_id).toEqual(expect.any(String));
}

describe(`installing ${PKG} by name on n8n ${N8N_VERSION}`, () => {
	let registry: LocalRegistry;
	let npmBin: string;
	const running: Service[] = [];

	beforeAll(async () => {
		fs.rmSync(DIR, { recursive: true, force: true });
		fs.mkdirSync(DIR, { recursive: true });
		registry = await startRegistry(path.join(DIR, 'registry'), runtimePaths().nodeBin, log);
		publishTarball(registry, packedTarball());
		const realNpm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
		npmBin = npmRedirectBin(DIR, registry, realNpm);
	}, 120_000);

	afterAll(async () => {
		for (const service of running) await stopService(service);
		if (registry) await stopService(registry);
	});

	it("through n8n's Community Nodes installer (POST /rest/community-packages): the nodes load and a workflow runs", async () => {
		const { n8n, api } = await freshN8n('rest', npmBin);
		running.push(n8n);
		expect(await packageTypes(api)).toEqual([]);
		const installed = await api.call<{
			packageName: string;
			installedNodes: Array<{ type: string }>;
		}>('POST', '/rest/community-packages', { name: installSpec() });
		expect(installed.packageName).toBe(PKG);
		expect(installed.installedNodes.map((n) => n.type).sort()).toEqual([
			`${PKG}.ottu`,
			`${PKG}.ottuReportTrigger`,
			`${PKG}.ottuTrigger`,
		]);
		expect(await packageTypes(api)).toEqual(EXPECTED_TYPES);
		await runsAWorkflow(api, 'rest');

		// The same n8n, uninstalled, then installed again by a user clicking through Settings → Community nodes.
		await api.call('DELETE', `/rest/community-packages?name=${PKG}`);
		expect(await packageTypes(api)).toEqual([]);
		let browser: Browser | undefined;
		try {
			browser = await launchBrowser();
			const page = await newPage(browser);
			const split = api.cookie.indexOf('=');
			await page
				.context()
				.addCookies([
					{ name: api.cookie.slice(0, split), value: api.cookie.slice(split + 1), url: n8n.url! },
				]);
			await page.goto(`${n8n.url}/settings/community-nodes`);
			await page
				.getByRole('button', { name: /install/i })
				.first()
				.click({ timeout: 60_000 });
			await page
				.locator(
					'input[data-test-id="package-name-input"], [data-test-id="package-name-input"] input',
				)
				.first()
				.fill(installSpec());
			await page.locator('[data-test-id="user-agreement-checkbox"]').click();
			const answered = page.waitForResponse(
				(r) =>
					r.request().method() === 'POST' &&
					new URL(r.url()).pathname === '/rest/community-packages',
				{ timeout: 120_000 },
			);
			await page.locator('[data-test-id="install-community-package-button"]').click();
			expect((await answered).status()).toBe(200);
			await page.screenshot({ path: path.join(DIR, 'community-nodes-installed.png') });
		} finally {
			await browser?.close();
		}
		expect(await packageTypes(api)).toEqual(EXPECTED_TYPES);
	}, 400_000);

	it('with `npm install n8n-nodes-ottu` in ~/.n8n/nodes, as the README says: n8n loads the nodes at start', async () => {
		// A home folder outside this repository: npm installs into the nearest folder above that has a
		// package.json, which inside the repository would be the repository itself.
		const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ottu-npm-install-'));
		const nodesDir = path.join(home, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		expect(packageJsonAbove(nodesDir)).toBeUndefined();
		execFileSync('npm', ['install', PKG, '--no-audit', '--no-fund', registryFlag(registry)], {
			cwd: nodesDir,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		expect(fs.existsSync(path.join(nodesDir, 'node_modules', PKG, 'package.json'))).toBe(true);
		// The nodes use n8n's own n8n-workflow: npm does not add a second copy (an optional peer dependency).
		expect(fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow'))).toBe(false);
		const { n8n, api } = await freshN8n('npm', undefined, home);
		running.push(n8n);
		expect(await packageTypes(api)).toEqual(EXPECTED_TYPES);
		await runsAWorkflow(api, 'npm');
	}, 300_000);
});
