import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { attachmentUrl } from '../core/attachments';
import { DrfError } from '../core/drf';
import { pay } from '../core/payments';
import type { Outcome } from '../core/stateMachine';
import type { Transaction } from '../core/store';
import { isDelivered } from '../core/webhooks';
import type { SandboxContext } from '../context';

/**
 * The customer's side: the page behind `checkout_url`. Plain HTML forms (no script), so a real browser or a
 * plain HTTP client can pay. After paying, the webhook's answer decides where the customer goes, as on Ottu:
 * 200 → the merchant's redirect_url, anything else → Ottu's summary page.
 */

const OUTCOMES: Outcome[] = ['paid', 'failed', 'authorized', 'canceled'];

function esc(value: unknown): string {
	return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1d2939}
.amount{font-size:2rem;font-weight:700}.gw{display:block;margin:.4rem 0}button{font-size:1rem;margin:.3rem .3rem 0 0;padding:.6rem 1rem;cursor:pointer}
.sandbox{background:#fef3c7;padding:.4rem .6rem;border-radius:.3rem;font-size:.85rem}</style></head>
<body><p class="sandbox">Ottu sandbox — no real money moves.</p>${body}</body></html>`;
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
	return reply.status(status).type('text/html; charset=utf-8').send(html);
}

function checkoutPage(ctx: SandboxContext, txn: Transaction, selected?: string): string {
	const gateways = txn.pg_codes
		.map((code, i) => {
			const g = ctx.store.gateway(code);
			const checked = selected ? code === selected : i === 0;
			return `<label class="gw"><input type="radio" name="pg_code" value="${esc(code)}" data-pg-code="${esc(code)}"${checked ? ' checked' : ''}> ${esc(g?.name ?? code)}</label>`;
		})
		.join('\n');
	const fileUrl =
		typeof txn.fields.attachment_upload_url === 'string' ? txn.fields.attachment_upload_url : '';
	// Ottu: the attachment is "available for download on the checkout page" (OpenAPI `attachment`).
	const attachment = fileUrl
		? `\n<p><a id="attachment" href="${esc(attachmentUrl(ctx, fileUrl))}">${esc(fileUrl.replace(/^.*\//, ''))}</a></p>`
		: '';
	return page(
		'Pay with Ottu (sandbox)',
		`<h1>Payment</h1>
<p>Order <span id="order-no">${esc(txn.order_no ?? '')}</span></p>${attachment}
<p class="amount"><span id="amount">${esc(txn.amount)}</span> <span id="currency">${esc(txn.currency_code)}</span></p>
<p>State: <span id="state" data-state="${esc(txn.state)}">${esc(txn.state)}</span></p>
<form id="checkout-form" method="post" action="/b/checkout/page/${esc(txn.session_id)}/pay/">
<fieldset><legend>Payment method</legend>
${gateways}
</fieldset>
<button type="submit" id="pay" name="outcome" value="paid" data-outcome="paid">Pay (test card success)</button>
<button type="submit" id="decline" name="outcome" value="failed" data-outcome="failed">Decline</button>
<button type="submit" id="authorize" name="outcome" value="authorized" data-outcome="authorized">Authorize only</button>
<button type="submit" id="cancel" name="outcome" value="canceled" data-outcome="canceled">Cancel</button>
</form>`,
	);
}

function summaryPage(txn: Transaction, message?: string): string {
	const attempt = txn.attempts[txn.attempts.length - 1];
	const retry = ['created', 'pending', 'attempted'].includes(txn.state)
		? `<p><a id="try-again" href="/b/checkout/redirect/start/?session_id=${esc(txn.session_id)}">Try again</a></p>`
		: '';
	return page(
		'Payment summary (sandbox)',
		`<h1 id="summary">Payment summary</h1>
${message ? `<p id="message" role="alert">${esc(message)}</p>` : ''}
<p class="amount"><span id="amount">${esc(txn.amount)}</span> <span id="currency">${esc(txn.currency_code)}</span></p>
<dl>
<dt>State</dt><dd id="state" data-state="${esc(txn.state)}">${esc(txn.state)}</dd>
<dt>Result</dt><dd id="result" data-result="${esc(attempt?.result ?? '')}">${esc(attempt?.result ?? '')}</dd>
<dt>Reference number</dt><dd id="reference-number">${esc(attempt?.reference_number ?? '')}</dd>
<dt>Order</dt><dd id="order-no">${esc(txn.order_no ?? '')}</dd>
</dl>${retry}`,
	);
}

function find(ctx: SandboxContext, sessionId: unknown): Transaction | undefined {
	const txn = typeof sessionId === 'string' ? ctx.store.transactions.get(sessionId) : undefined;
	return txn && txn.deleted !== 'hard' ? txn : undefined;
}

const notFound = page('Not found', '<h1 id="not-found">This payment link does not exist.</h1>');

type Page = { Params: { session_id: string } };

/**
 * The customer opens the payment link: the payment page, or the summary once the payment is over.
 */
function start(
	ctx: SandboxContext,
	request: FastifyRequest<{ Querystring: { session_id?: string; pg_code?: string } }>,
	reply: FastifyReply,
): FastifyReply {
	const txn = find(ctx, request.query.session_id);
	if (!txn) return sendHtml(reply, 404, notFound);
	if (!['created', 'pending', 'attempted'].includes(txn.state))
		return sendHtml(reply, 200, summaryPage(txn));
	// The customer opened the link.
	if (txn.state === 'created') txn.state = 'pending';
	return sendHtml(reply, 200, checkoutPage(ctx, txn, request.query.pg_code));
}

/**
 * Where the customer goes after paying: redirect_url only when the webhook answered 200, else the
 * summary.
 */
function afterPayment(txn: Transaction, delivered: boolean, reply: FastifyReply): FastifyReply {
	const redirectUrl = txn.fields.redirect_url as string | undefined;
	if (!redirectUrl || !delivered)
		return reply.redirect(`/b/checkout/page/${txn.session_id}/summary/`, 303);
	const target = new URL(redirectUrl);
	target.searchParams.set('order_no', txn.order_no ?? '');
	target.searchParams.set(
		'reference_number',
		txn.attempts[txn.attempts.length - 1].reference_number,
	);
	target.searchParams.set('session_id', txn.session_id);
	return reply.redirect(target.toString(), 302);
}

/** The customer submits the payment form with the outcome of their choice. */
async function submit(
	ctx: SandboxContext,
	request: FastifyRequest<Page>,
	reply: FastifyReply,
): Promise<FastifyReply> {
	const txn = find(ctx, request.params.session_id);
	if (!txn) return sendHtml(reply, 404, notFound);
	const form = (request.body ?? {}) as Record<string, unknown>;
	const outcome = form.outcome as Outcome;
	if (!OUTCOMES.includes(outcome))
		return sendHtml(reply, 400, summaryPage(txn, 'Choose Pay, Decline, Authorize only or Cancel.'));
	let delivery;
	try {
		delivery = pay(ctx, txn, outcome, {
			pg_code: typeof form.pg_code === 'string' ? form.pg_code : undefined,
		}).delivery;
	} catch (error) {
		if (error instanceof DrfError)
			return sendHtml(reply, 400, summaryPage(txn, String(error.body.detail)));
		throw error;
	}
	const attempt = delivery ? await delivery : undefined;
	// Ottu sends the customer to redirect_url only when the webhook answered 200 (201 keeps them on
	// the summary).
	return afterPayment(txn, !delivery || (attempt?.status === 200 && isDelivered(attempt)), reply);
}

/**
 * Hosted checkout: the pages behind checkout_url (public, as the customer's browser reaches them).
 */
export function registerHostedCheckout(app: FastifyInstance, ctx: SandboxContext): void {
	app.get<{ Querystring: { session_id?: string; pg_code?: string } }>(
		'/b/checkout/redirect/start/',
		async (request, reply) => start(ctx, request, reply),
	);
	app.get<Page>('/b/checkout/page/:session_id/', async (request, reply) =>
		reply.redirect(
			`/b/checkout/redirect/start/?session_id=${encodeURIComponent(request.params.session_id)}`,
			302,
		),
	);
	app.get<Page>('/b/checkout/page/:session_id/summary/', async (request, reply) => {
		const txn = find(ctx, request.params.session_id);
		if (!txn) return sendHtml(reply, 404, notFound);
		return sendHtml(reply, 200, summaryPage(txn));
	});
	app.post<Page>('/b/checkout/page/:session_id/pay/', async (request, reply) =>
		submit(ctx, request, reply),
	);
}
