/** The n8n Data Table the payment-link examples write to, read and emptied through n8n's public API. */
import type { N8nApi } from '../../scripts/dev/n8nApi';
import { findDataTable, PAYMENT_LINKS_TABLE } from '../../scripts/dev/provision';

export interface PaymentLinkRow {
	id: number;
	order_no: string | null;
	session_id: string | null;
	checkout_url: string | null;
	amount: string | null;
	currency_code: string | null;
	customer_email: string | null;
	state: string | null;
	checked_at: string | null;
}

/** The id of `ottu_payment_links`, which provisioning created (the examples refer to it by name). */
export async function paymentLinksTable(api: N8nApi): Promise<string> {
	const id = await findDataTable(api, PAYMENT_LINKS_TABLE.name);
	if (!id) throw new Error(`the data table ${PAYMENT_LINKS_TABLE.name} was not provisioned`);
	return id;
}

/** Every row, page by page (the public API answers at most 250 a page). */
export async function tableRows(api: N8nApi, tableId: string): Promise<PaymentLinkRow[]> {
	const rows: PaymentLinkRow[] = [];
	let cursor: string | undefined;
	do {
		const page = await api.call<{ data: PaymentLinkRow[]; nextCursor?: string | null }>(
			'GET',
			`/api/v1/data-tables/${tableId}/rows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		rows.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return rows;
}

export async function clearTable(api: N8nApi, tableId: string): Promise<void> {
	await api.call('DELETE', `/api/v1/data-tables/${tableId}/rows/clear`);
}
