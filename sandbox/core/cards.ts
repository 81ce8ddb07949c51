import type { SandboxContext } from '../context';
import { cardJson } from './payloads';
import type { Card } from './store';

/** A card is expired after the last day of its expiry month (sandbox clock). */
export function isExpired(card: Card, now: Date): boolean {
	const year = 2000 + Number(card.expiry_year);
	const month = Number(card.expiry_month);
	return now.getTime() >= Date.UTC(year, month, 1);
}

/** A saved card as the Cards API answers it. */
export function cardAnswer(ctx: SandboxContext, card: Card): Record<string, unknown> {
	return { ...cardJson(card), is_expired: isExpired(card, ctx.store.clock.date()) };
}
