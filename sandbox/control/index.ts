import type { FastifyInstance } from 'fastify';

import type { SandboxContext } from '../context';
import { addFault, clearFaults, listFaults } from './faults';
import { seedCard, seedReportFiles } from './seeding';
import {
	ledger,
	moveClock,
	notify,
	payAs,
	setPgStatus,
	setSigning,
	settleChild,
	webhookLog,
} from './sessions';

/**
 * The test-only control API under /__sandbox/: never part of Ottu, never authenticated, and every
 * route of it is here. http/guards.ts admits a control request only from a loopback Host, with the
 * header `X-Ottu-Sandbox: 1` and a JSON body; sandbox/client.ts is its typed client.
 */

type Body = Record<string, unknown> | undefined;
type Session = { Params: { session_id: string }; Body: Body };

export function registerControl(app: FastifyInstance, ctx: SandboxContext): void {
	// State, clock and logs.
	app.post('/__sandbox/reset', async () => {
		ctx.store.reset();
		return { reset: true };
	});
	app.post<{ Body: Body }>('/__sandbox/clock', async (req) => moveClock(ctx, req.body));
	app.get('/__sandbox/requests', async () => ctx.store.requests);
	app.get<{ Querystring: { session_id?: string; wait?: string } }>(
		'/__sandbox/webhooks',
		async (req) => webhookLog(ctx, req.query),
	);
	app.get('/__sandbox/notifications', async () => ctx.store.notifications);
	app.get('/__sandbox/storage/requests', async () => ctx.reportStorage.requests);
	app.get('/__sandbox/reports/downloads', async () => ctx.store.reportDownloads);
	app.post<{ Body: Body }>('/__sandbox/signing', async (req) => setSigning(ctx, req.body));

	// A payment's life: the customer's side, the gateway's side, and what the ledger holds.
	const session = '/__sandbox/sessions/:session_id';
	app.post<Session>(`${session}/pay`, async (req) => payAs(ctx, req.params.session_id, req.body));
	app.post<Session>(`${session}/pg-status`, async (req) =>
		setPgStatus(ctx, req.params.session_id, req.body),
	);
	app.post<Session>(`${session}/notify`, async (req) =>
		notify(ctx, req.params.session_id, req.body),
	);
	app.get<Session>(`${session}/ledger`, async (req) => ledger(ctx, req.params.session_id));
	app.post<Session>('/__sandbox/children/:session_id/settle', async (req) =>
		settleChild(ctx, req.params.session_id, req.body),
	);

	// Fault injection.
	app.post('/__sandbox/faults', async (req, reply) =>
		reply.status(201).send(addFault(ctx, req.body)),
	);
	app.get('/__sandbox/faults', async () => listFaults(ctx));
	app.delete('/__sandbox/faults', async () => clearFaults(ctx));

	// Seeding.
	app.post('/__sandbox/cards', async (req, reply) =>
		reply.status(201).send(seedCard(ctx, req.body)),
	);
	app.post('/__sandbox/reports', async (req, reply) =>
		reply.status(201).send(seedReportFiles(ctx, req.body)),
	);
}
