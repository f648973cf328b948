// What an AWS call's failure means, in one place for every caller: the SDK's (or Node's) error reduced to the
// contract's `$error` shape ({name, message}), and classified as denied, throttled, timed out, unreachable,
// not found, or an answer that says a setting is absent ("not configured", evidence in its own right). The
// collection's scheduler counts by these kinds, the query engines retry on `throttled`, and messages name them.

export interface CallError {
  name: string;
  message: string;
}

/** Why a call failed, as the summary counts it. */
export type ErrorKind = 'denied' | 'throttled' | 'timeout' | 'network' | 'not-found' | 'role' | 'other';

// Answers that say a setting is absent: evidence in their own right, stored as `$error` by the contract.
const NOT_CONFIGURED = new Set([
  'NoSuchBucketPolicy', 'NoSuchLifecycleConfiguration', 'ServerSideEncryptionConfigurationNotFoundError',
  'ObjectLockConfigurationNotFoundError', 'NoSuchPublicAccessBlockConfiguration', 'InsightNotEnabledException',
  'AWSOrganizationsNotInUseException',
]);
const DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError',
  'AuthFailure', 'InvalidClientTokenId', 'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException',
  'OptInRequired', 'SignatureDoesNotMatch', 'AllAccessDisabled', 'CredentialsProviderError', 'InvalidAccessKeyId',
]);
const THROTTLED = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'EC2ThrottledException',
  'BandwidthLimitExceeded', 'PriorRequestNotComplete', 'TransactionInProgressException',
]);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const NOT_FOUND = new Set([
  'NoSuchBucket', 'TrailNotFoundException', 'NotFoundException', 'ResourceNotFoundException', 'NoSuchEntity',
  'EventDataStoreNotFoundException', 'NotFound',
]);

export function classify(error: CallError, status?: number): ErrorKind | 'not-configured' {
  const { name } = error;
  if (NOT_CONFIGURED.has(name)) return 'not-configured';
  if (THROTTLED.has(name) || status === 429) return 'throttled';
  if (DENIED.has(name) || status === 403) return 'denied';
  if (TIMEOUT.has(name)) return 'timeout';
  if (NETWORK.has(name)) return 'network';
  if (NOT_FOUND.has(name) || status === 404) return 'not-found';
  return 'other';
}

const MAX_MESSAGE = 2000;

/** The name and message of anything thrown by the SDK (or by us), in the contract's `$error` shape. */
export function toCallError(err: unknown): { error: CallError; status?: number } {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown }; $metadata?: { httpStatusCode?: unknown } };
    // Node's network errors carry the useful part in `code` (ECONNREFUSED...), the SDK's in `name`; fetch's in its cause.
    const codeOf = (v: unknown): string | undefined => (typeof v === 'string' && /^E[A-Z]+$/.test(v) ? v : undefined);
    const code = codeOf(e.code) ?? codeOf(e.cause?.code);
    const name = code ?? (typeof e.name === 'string' && e.name !== '' ? e.name : 'Error');
    const message = (typeof e.message === 'string' ? e.message : String(err)).slice(0, MAX_MESSAGE);
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    return status === undefined ? { error: { name, message } } : { error: { name, message }, status };
  }
  return { error: { name: 'Error', message: String(err).slice(0, MAX_MESSAGE) } };
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}
