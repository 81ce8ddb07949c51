import type { FastifyInstance } from 'fastify';

import { fieldErrors } from '../core/drf';
import type { Schema } from '../core/schema';
import { validate } from '../core/schema';
import type { SandboxContext } from '../context';

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

export function registerPaymentMethods(app: FastifyInstance, ctx: SandboxContext): void {
	app.post('/b/pbl/v2/payment-methods/', async (request) => {
		const { data, errors } = validate(schema, (request.body ?? {}) as Record<string, unknown>);
		if (Object.keys(errors).length > 0) throw fieldErrors(errors);
		const currencies = data.currencies as string[] | undefined;
		const pgNames = data.pg_names as string[] | undefined;
		const tags = data.tags as string[] | undefined;
		const services = data.payment_services as string[] | undefined;
		const principal = request.principal;
		const methods = ctx.store.gateways.filter((g) => {
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
			if (
				principal?.kind === 'user' &&
				principal.user.permissions !== '*' &&
				!principal.user.permissions.includes(`use_pg:${g.code}`)
			)
				return false;
			return true;
		});
		// The gateways this customer has paid with before (newest first), among the ones listed.
		const customerId = data.customer_id as string | undefined;
		const used: string[] = [];
		if (customerId) {
			const paid = [...ctx.store.transactions.values()]
				.filter((t) => t.fields.customer_id === customerId && t.settled_pg_code && !t.deleted)
				.sort((a, b) => b.updated_at - a.updated_at);
			for (const t of paid) if (!used.includes(t.settled_pg_code!)) used.push(t.settled_pg_code!);
		}
		const json = (g: (typeof methods)[number]) => ({
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
		});
		return {
			customer_payment_methods: used
				.map((code) => methods.find((g) => g.code === code))
				.filter((g) => g !== undefined)
				.map(json),
			payment_methods: methods.map(json),
		};
	});
}
