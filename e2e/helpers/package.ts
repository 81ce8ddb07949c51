/**
 * What the built package offers (read from dist/, the same build n8n loads), so that tests of nodes or
 * operations still being written are reported as skipped instead of failing, and run once they land.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { REPO_ROOT } from '../../scripts/dev/runtime';
import { PACKAGE_NAME } from '../../scripts/dev/stack';

interface Description {
	name: string;
	properties: Array<{ name: string; options?: Array<{ value: unknown }>; displayOptions?: { show?: Record<string, unknown[]> } }>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

function load(rel: string): Description | undefined {
	const file = path.join(REPO_ROOT, rel);
	if (!fs.existsSync(file)) return undefined;
	const mod = createRequire(__filename)(file) as Record<string, new () => { description: Description }>;
	return new (Object.values(mod)[0])().description;
}

const nodes = pkg.n8n.nodes.map(load).filter((d): d is Description => d !== undefined);

/** Community type names of the nodes the package declares, e.g. n8n-nodes-ottu.ottuTrigger. */
export const declaredNodeTypes = new Set(nodes.map((d) => `${PACKAGE_NAME}.${d.name}`));

export function hasNodeType(type: string): boolean {
	return !type.startsWith(`${PACKAGE_NAME}.`) || declaredNodeTypes.has(type);
}

/** Whether the Ottu node has this resource and operation. */
export function hasOperation(resource: string, operation: string): boolean {
	const ottu = nodes.find((d) => d.name === 'ottu');
	if (!ottu) return false;
	const resources = ottu.properties.find((p) => p.name === 'resource')?.options?.map((o) => o.value) ?? [];
	if (!resources.includes(resource)) return false;
	return ottu.properties.some(
		(p) => p.name === 'operation' && (p.displayOptions?.show?.resource ?? []).includes(resource) && (p.options ?? []).some((o) => o.value === operation),
	);
}
