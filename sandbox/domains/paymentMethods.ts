import type { FastifyInstance } from 'fastify';

import { fieldErrors } from '../core/drf';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { Gateway } from '../core/gateways';
import type { Principal, SandboxContext } from '../context';

/** Ottu OpenAPI `PaymentMethodsRequest.tags`: business-vertical tags, an enum. */
const TAGS = [
	'e_commerce',
	'crm',
	'pos',
	'invoicing',
	'subscriptions',
	'marketplace',
	'mobile_app',
	'ticket_booking',
	'donations',
	'government',
	'education',
	'healthcare',
	'insurance',
	'logistics',
	'hospitality',
	'real_estate',
	'retail',
	'telecom',
	'utilities',
	'demo',
	'test',
];

const schema: Schema = {
	plugin: { kind: 'string', required: true, max: 50, choices: ['e_commerce', 'payment_request'] },
	currencies: { kind: 'list', of: { kind: 'string', max: 3 }, allowEmpty: true },
	customer_id: { kind: 'string', max: 64, allowBlank: true },
	operation: { kind: 'string', choices: ['purchase', 'authorize'] },
	tokenizable: { kind: 'bool' },
	auto_debit: { kind: 'bool' },
	pg_names: { kind: 'list', of: { kind: 'string' }, allowEmpty: true },
	type: { kind: 'string', choices: ['sandbox', 'production'] },
	tags: { kind: 'list', of: { kind: 'string', choices: TAGS }, allowEmpty: true },
	payment_services: {
		kind: 'list',
		of: { kind: 'string', choices: ['apple_pay', 'google_pay', 'samsung_pay', 'wallet'] },
		allowEmpty: true,
	},
};

type Row = Record<string, unknown>;

/**
 * Whether the gateway passes the request's filters (and, for a Basic user, may be used by them).
 */
function matches(g: Gateway, data: Row, principal: Principal | undefined): boolean {
	const currencies = data.currencies as string[] | undefined;
	const pgNames = data.pg_names as string[] | undefined;
	const tags = data.tags as string[] | undefined;
	const services = data.payment_services as string[] | undefined;
	if (!g.plugins.includes(data.plugin as 'e_commerce')) return false;
	if (currencies?.length && !currencies.some((c) => g.accepted_currencies.includes(c)))
		return false;
	if (data.operation && g.operation !== data.operation) return false;
	if (data.tokenizable === true && !g.is_tokenizable) return false;
	if (data.auto_debit === true && !g.auto_debit_enabled) return false;
	if (pgNames?.length && !pgNames.includes(g.pg_name)) return false;
	if (data.type === 'sandbox' && !g.is_sandbox) return false;
	if (data.type === 'production' && g.is_sandbox) return false;
	if (tags?.length && !tags.some((t) => g.tags.includes(t))) return false;
	if (services?.length && !services.some((s) => g.payment_services.some((p) => p.code === s)))
		return false;
	// Basic users only see the gateways they may use.
	return !(
		principal?.kind === 'user' &&
		principal.user.permissions !== '*' &&
		!principal.user.permissions.includes(`use_pg:${g.code}`)
	);
}

/** The gateways this customer has paid with before (newest first). */
function usedBy(ctx: SandboxContext, customerId: string | undefined): string[] {
	const used: string[] = [];
	if (!customerId) return used;
	const paid = [...ctx.store.transactions.values()]
		.filter((t) => t.fields.customer_id === customerId && t.settled_pg_code && !t.deleted)
		.sort((a, b) => b.updated_at - a.updated_at);
	for (const t of paid) if (!used.includes(t.settled_pg_code!)) used.push(t.settled_pg_code!);
	return used;
}

function methodJson(ctx: SandboxContext, g: Gateway): Row {
	return {
		code: g.code,
		name: g.name,
		is_sandbox: g.is_sandbox,
		logo: `${ctx.baseUrl()}/static/pg/${g.pg_name}.svg`,
		wallets: g.wallets,
		payment_services: g.payment_services,
		default_currency: g.default_currency,
		accepted_currencies: g.accepted_currencies,
		operation: g.operation,
		operations: g.operations,
		is_tokenizable: g.is_tokenizable,
		auto_debit_enabled: g.auto_debit_enabled,
		tags: g.tags,
	};
}

/** Payment Methods API: the gateways a checkout may use, and those the customer used before. */
export function registerPaymentMethods(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/pbl/v2/payment-methods/', async (request) => {
		const { data, errors } = validate(schema, (request.body ?? {}) as Row);
		if (Object.keys(errors).length > 0) throw fieldErrors(errors);
		const methods = ctx.store.gateways.filter((g) => matches(g, data, request.principal));
		return {
			customer_payment_methods: usedBy(ctx, data.customer_id as string | undefined)
				.map((code) => methods.find((g) => g.code === code))
				.filter((g) => g !== undefined)
				.map((g) => methodJson(ctx, g)),
			payment_methods: methods.map((g) => methodJson(ctx, g)),
		};
	});
}
