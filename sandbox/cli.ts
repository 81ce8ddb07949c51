import { createSandbox } from './server';

/** A numeric setting from the environment, or undefined (the sandbox's Ottu default) when unset. */
function numberEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0)
		throw new Error(`${name} must be a non-negative number (got "${raw}")`);
	return value;
}

async function main(): Promise<void> {
	const port = Number(process.env.OTTU_SANDBOX_PORT ?? 8787);
	const sandbox = await createSandbox({
		port,
		apiKey: process.env.OTTU_SANDBOX_API_KEY || undefined,
		username: process.env.OTTU_SANDBOX_USERNAME || undefined,
		password: process.env.OTTU_SANDBOX_PASSWORD || undefined,
		hmacKey: process.env.OTTU_SANDBOX_HMAC_KEY || undefined,
		limits: {
			dailyRequests: numberEnv('OTTU_SANDBOX_DAILY_LIMIT'),
			reportDownloadsPerHour: numberEnv('OTTU_SANDBOX_DOWNLOADS_PER_HOUR'),
			reportDownloadWindowSeconds: numberEnv('OTTU_SANDBOX_DOWNLOAD_WINDOW_SECONDS'),
			inquiryPerMinute: numberEnv('OTTU_SANDBOX_INQUIRIES_PER_MINUTE'),
		},
		webhooks: {
			timeoutMs: numberEnv('OTTU_SANDBOX_WEBHOOK_TIMEOUT_MS'),
			attempts: numberEnv('OTTU_SANDBOX_WEBHOOK_ATTEMPTS'),
			backoffMs: numberEnv('OTTU_SANDBOX_WEBHOOK_BACKOFF_MS'),
		},
		inquiryThrottling: process.env.OTTU_SANDBOX_INQUIRY_THROTTLING !== 'off',
	});
	const user = sandbox.config.users[0];
	console.log(`Ottu sandbox listening on ${sandbox.url}`);
	console.log('Use these in an n8n "Ottu API" credential:');
	console.log(`  Base URL:          ${sandbox.url}`);
	console.log(`  API Key:           ${sandbox.config.apiKey}`);
	console.log(`  Basic Auth:        ${user.username} / ${user.password}`);
	console.log(`  Webhook HMAC Key:  ${sandbox.config.hmacKey}`);
	console.log(`Gateways (pg_codes): ${sandbox.config.gateways.map((g) => g.code).join(', ')}`);
	console.log(
		'Control API (see README): POST /__sandbox/reset, POST /__sandbox/clock, POST /__sandbox/sessions/{session_id}/pay,',
	);
	console.log(
		'  GET /__sandbox/sessions/{session_id}/ledger, GET /__sandbox/webhooks, GET /__sandbox/requests, POST /__sandbox/faults.',
	);
	console.log(
		'  Control requests need the header "X-Ottu-Sandbox: 1" and JSON bodies (sandbox/client.ts does both);',
	);
	console.log('  every request must be addressed to 127.0.0.1, localhost or [::1]. Ctrl-C stops.');
	const stop = async () => {
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
