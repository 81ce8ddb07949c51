/**
 * The transport: everything the node sends to Ottu goes through here.
 *
 *   request.ts     ottuApiRequest: prepare, then attempt until an answer or the retry policy says stop
 *   prepare.ts     building the request (credential, Base URL, headers, timeout, policy)
 *   attempt.ts     one attempt and its classified outcome; redirects (redirects.ts), body bounds (body.ts)
 *   retry.ts       the retry policy and its limits
 *   errors.ts      every error the transport raises, in one place
 *   download.ts    report downloads; pagination.ts listings
 */
export type { OttuStreamResponse } from './attempt';
export { parseRetryAfter, storeWithinTimeout } from './attempt';
export { BODY_LIMITS, BodyLimitError, formatBytes } from './body';
export { ottuDownload } from './download';
export type { PageOptions } from './pagination';
export { LISTING_LIMITS, ottuApiRequestAllItems, PAGES_AT_ONCE } from './pagination';
export type { OttuFunctions, OttuRequest, RetryPolicy } from './prepare';
export { CREDENTIAL_TYPE, DEFAULT_TIMEOUT_MS } from './prepare';
export { outcomeUnknown } from './errors';
export { ottuApiRequest, ottuBaseUrl, settle } from './request';
export { backoffDelay, RETRY_LIMITS } from './retry';
