/**
 * `tsx scripts/dev/installRuntime.ts`: installs the n8n that OTTU_N8N_VERSION names (default: the pinned one)
 * into the per-user cache and exits. `.ci/run` starts it early in the background for the versions the smoke
 * set runs on; a later `npm run test:e2e` on that version waits for it (one installer at a time).
 */
import { ensureRuntime, N8N_VERSION, NODE_VERSION } from './runtime';

const started = Date.now();
ensureRuntime((m) => console.log(`[n8n ${N8N_VERSION}] ${m}`)).then(
	() =>
		console.log(
			`[n8n ${N8N_VERSION}] ready on Node ${NODE_VERSION} (${Math.round((Date.now() - started) / 1000)} s)`,
		),
	(error: Error) => {
		console.error(`[n8n ${N8N_VERSION}] install failed: ${error.message}`);
		process.exitCode = 1;
	},
);
