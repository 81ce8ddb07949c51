/**
 * The package as n8n sees it after installing it as a community package: every node and credential listed
 * in package.json registered under the community type names, with their icons served by n8n.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi } from '../scripts/dev/n8nApi';
import { REPO_ROOT } from '../scripts/dev/runtime';
import { PACKAGE_NAME } from '../scripts/dev/stack';
import type { E2eState } from './helpers/state';
import { ownerApi, readState } from './helpers/state';

interface TypeDescription {
	name: string;
	displayName: string;
	iconUrl?: string | { light: string; dark: string };
	properties?: Array<{ name: string; options?: Array<{ value: unknown }> }>;
	webhooks?: unknown[];
	polling?: boolean;
	version?: number | number[];
	defaultVersion?: number;
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** The `name` of each class the package's n8n section points at, read from the same build n8n loaded. */
async function declaredNames(entries: string[]): Promise<string[]> {
	const names: string[] = [];
	for (const rel of entries) {
		const mod = (await import(path.join(REPO_ROOT, rel))) as Record<
			string,
			new () => { description?: { name: string }; name?: string }
		>;
		const instance = new (Object.values(mod)[0])();
		names.push((instance.description?.name ?? instance.name)!);
	}
	return names;
}

function iconUrls(icon: TypeDescription['iconUrl']): string[] {
	if (!icon) return [];
	return typeof icon === 'string' ? [icon] : [icon.light, icon.dark];
}

describe('the package inside a real n8n', () => {
	let state: E2eState;
	let api: N8nApi;
	let nodeTypes: TypeDescription[];
	let credentialTypes: TypeDescription[];
	let nodeNames: string[];
	let credentialNames: string[];

	beforeAll(async () => {
		state = readState();
		api = await ownerApi(state);
		const nodes = await api.request<TypeDescription[]>('GET', '/types/nodes.json');
		const credentials = await api.request<TypeDescription[]>('GET', '/types/credentials.json');
		expect(nodes.status).toBe(200);
		expect(credentials.status).toBe(200);
		nodeTypes = nodes.body;
		credentialTypes = credentials.body;
		nodeNames = await declaredNames(pkg.n8n.nodes);
		credentialNames = await declaredNames(pkg.n8n.credentials);
	});

	it('registers the Ottu node and, when the package lists it, the Ottu Trigger under community type names', () => {
		const names = nodeNames;
		expect(names).toContain('ottu');
		for (const name of names) {
			const type = nodeTypes.find((t) => t.name === `${PACKAGE_NAME}.${name}`);
			expect(type).toBeDefined();
		}
		const ottu = nodeTypes.find((t) => t.name === `${PACKAGE_NAME}.ottu`)!;
		expect(ottu.displayName).toBe('Ottu');
		const resource = ottu.properties?.find((p) => p.name === 'resource');
		expect(resource?.options?.map((o) => o.value)).toContain('paymentTransaction');
		if (names.includes('ottuTrigger')) {
			const trigger = nodeTypes.find((t) => t.name === `${PACKAGE_NAME}.ottuTrigger`)!;
			expect(trigger.displayName).toBe('Ottu Trigger');
			expect(trigger.webhooks?.length).toBeGreaterThan(0);
			// New triggers are version 2 (no per-request expression in n8n); version 1 still loads for saved workflows.
			expect(trigger.version).toEqual([1, 2]);
			expect(trigger.defaultVersion).toBe(2);
		}
		if (names.includes('ottuReportTrigger')) {
			const reportTrigger = nodeTypes.find((t) => t.name === `${PACKAGE_NAME}.ottuReportTrigger`)!;
			expect(reportTrigger.displayName).toBe('Ottu Report Trigger');
			expect(reportTrigger.polling).toBe(true);
		}
	});

	it('registers the Ottu API credential', () => {
		const names = credentialNames;
		expect(names).toEqual(['ottuApi']);
		const credential = credentialTypes.find((t) => t.name === 'ottuApi');
		expect(credential?.displayName).toBe('Ottu API');
	});

	it('serves the icon of every node and credential of the package as SVG', async () => {
		const ours = [
			...nodeTypes.filter((t) => t.name.startsWith(`${PACKAGE_NAME}.`)),
			...credentialTypes.filter((t) => credentialNames.includes(t.name)),
		];
		expect(ours.length).toBeGreaterThanOrEqual(2);
		for (const type of ours) {
			const urls = iconUrls(type.iconUrl);
			expect(urls.length).toBeGreaterThan(0);
			for (const url of urls) {
				const res = await fetch(`${state.n8nUrl}/${url.replace(/^\//, '')}`);
				expect({ type: type.name, url, status: res.status }).toEqual({
					type: type.name,
					url,
					status: 200,
				});
				expect(res.headers.get('content-type')).toMatch(/svg/);
				expect(await res.text()).toMatch(/<svg[\s>]/);
			}
		}
	});
});
