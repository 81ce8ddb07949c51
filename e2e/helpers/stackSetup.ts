/**
 * The start-up both e2e suites share (e2e/globalSetup.ts and e2e/queue/globalSetup.ts): Chromium, the pinned n8n,
 * the package built into a fresh folder, the Ottu sandbox with new keys, then the suite's n8n (one process or the
 * queue-mode stack, started by the caller), and the owner, API key, credential and example workflows in it.
 * Each step's duration is logged and kept in `timings`, as the suites report them.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Owner, ProvisionResult } from '../../scripts/dev/provision';
import { provision } from '../../scripts/dev/provision';
import type { Runtime } from '../../scripts/dev/runtime';
import { ensureRuntime } from '../../scripts/dev/runtime';
import type { SandboxKeys, Service } from '../../scripts/dev/stack';
import { buildPackage, freePort, startSandbox } from '../../scripts/dev/stack';
import { ensureChromium } from './browser';

export interface StackSetupOptions {
	/** Log line prefix, e.g. `e2e` gives `[e2e] …`. */
	label: string;
	/** The suite's folder (logs, n8n data, state file): emptied first. */
	dir: string;
	/** Start of the sandbox API key, e.g. `sbx.e2e`. */
	apiKeyPrefix: string;
	/** The n8n owner to create; its password is generated. */
	owner: Omit<Owner, 'password'>;
	/** After the package is built, e.g. installing it into an n8n user folder; its timing line says `buildStep`. */
	buildStep: string;
	afterBuild?: () => void;
	/** The sandbox is up: the caller keeps it for its teardown. */
	onSandbox: (sandbox: Service) => void;
	/** Starts the suite's n8n against the sandbox and returns its URL (the caller keeps what it started). */
	startN8n: (ctx: {
		runtime: Runtime;
		mark: (name: string, since: number) => void;
		log: (m: string) => void;
	}) => Promise<string>;
	/** Stops whatever was started, when a step fails. */
	cleanUp: () => Promise<void>;
}

export interface StackSetupResult {
	runtime: Runtime;
	keys: SandboxKeys;
	sandbox: Service;
	owner: Owner;
	n8nUrl: string;
	apiKey: string;
	credentialId: string;
	workflows: Record<string, string>;
	skipped: ProvisionResult['skipped'];
	timings: Record<string, number>;
	log: (m: string) => void;
}

export async function setUpStack(options: StackSetupOptions): Promise<StackSetupResult> {
	const log = (m: string) => console.log(`[${options.label}] ${m}`);
	const t0 = Date.now();
	const timings: Record<string, number> = {};
	const mark = (name: string, since: number) => {
		timings[name] = Math.round((Date.now() - since) / 100) / 10;
		log(`${name}: ${timings[name]} s`);
	};
	console.log('');

	// Chromium first: when it is missing, fail at once with the fix rather than after the n8n install.
	let t = Date.now();
	ensureChromium(log);
	mark('chromium', t);

	t = Date.now();
	const runtime = await ensureRuntime(log);
	mark('n8n install (0 when cached)', t);

	fs.rmSync(options.dir, { recursive: true, force: true });
	fs.mkdirSync(options.dir, { recursive: true });
	t = Date.now();
	buildPackage(log, path.join(options.dir, '..', 'e2e-build-stamp'));
	options.afterBuild?.();
	mark(options.buildStep, t);

	try {
		const keys: SandboxKeys = {
			apiKey: `${options.apiKeyPrefix}.${randomBytes(12).toString('hex')}`,
			username: 'merchant',
			password: randomBytes(12).toString('hex'),
			hmacKey: randomBytes(16).toString('hex'),
		};
		t = Date.now();
		const sandbox = await startSandbox({
			port: await freePort(),
			keys,
			logFile: path.join(options.dir, 'sandbox.log'),
		});
		options.onSandbox(sandbox);
		mark('sandbox start', t);

		const n8nUrl = await options.startN8n({ runtime, mark, log });

		const owner: Owner = {
			...options.owner,
			password: `E2e-${randomBytes(6).toString('hex')}-Pw1`,
		};
		t = Date.now();
		const provisionState: { apiKey?: string; credentialId?: string } = {};
		const result = await provision({
			n8nUrl,
			owner,
			sandboxUrl: sandbox.url,
			keys,
			state: provisionState,
			log,
		});
		mark('owner, API key, credential, examples', t);
		for (const s of result.skipped) log(`examples/${s.file} not imported: ${s.reason}`);
		timings.total = Math.round((Date.now() - t0) / 100) / 10;
		return {
			runtime,
			keys,
			sandbox,
			owner,
			n8nUrl,
			apiKey: provisionState.apiKey!,
			credentialId: result.credentialId,
			workflows: Object.fromEntries(result.workflows.map((w) => [w.file, w.id])),
			skipped: result.skipped,
			timings,
			log,
		};
	} catch (error) {
		await options.cleanUp();
		throw error;
	}
}
