import type { Service } from '../scripts/dev/stack';
import { stopService } from '../scripts/dev/stack';

export default async function globalTeardown(): Promise<void> {
	const shared = globalThis as { __OTTU_E2E_SERVICES__?: Service[] };
	await Promise.all((shared.__OTTU_E2E_SERVICES__ ?? []).map((s) => stopService(s)));
	shared.__OTTU_E2E_SERVICES__ = undefined;
}
