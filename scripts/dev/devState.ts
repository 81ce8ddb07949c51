/** What `npm run dev` and `npm run dev -- --queue` share: their saved state, port settings, owner and example URLs. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Owner } from './provision';
import { loadExamples } from './provision';

/** The state a dev stack keeps between runs ({} the first time). */
export function readJsonState<T extends object>(file: string): T {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
	} catch {
		return {} as T;
	}
}

/** Saved readable by this user only: it holds the owner's password and the sandbox's keys. */
export function writeJsonState(file: string, state: object): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** A whole number from 1 to 65535 (a port, a count) from the environment, or the fallback. */
export function envNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > 65535)
		throw new Error(`${name}=${raw} is not a whole number from 1 to 65535`);
	return value;
}

/** The editor's owner, from N8N_DEV_EMAIL / N8N_DEV_PASSWORD or made up once. */
export function devOwner(): Owner {
	return {
		email: process.env.N8N_DEV_EMAIL || 'dev@n8n-nodes-ottu.dev',
		password: process.env.N8N_DEV_PASSWORD || `Ottu-${randomBytes(4).toString('hex')}-Dev1`,
		firstName: 'Ottu',
		lastName: 'Developer',
	};
}

/** Production URLs of an example's webhook nodes (Webhook: /webhook/<path>; Ottu Trigger: /webhook/<webhookId>/webhook). */
export function exampleWebhookUrls(file: string, baseUrl: string): string[] {
	const example = loadExamples().find((e) => e.file === file);
	return (example?.workflow.nodes ?? []).flatMap((node) => {
		if (node.type === 'n8n-nodes-base.webhook')
			return [`POST ${baseUrl}/webhook/${String(node.parameters.path)}`];
		if (node.type.endsWith('.ottuTrigger') && node.webhookId)
			return [`Ottu Trigger URL: ${baseUrl}/webhook/${node.webhookId}/webhook`];
		return [];
	});
}
