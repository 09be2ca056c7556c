/** What discovery needs to know about a failed AWS call. */
export interface AwsErrorInfo {
  /** The AWS error code (`AccessDeniedException`, `TooManyRequestsException`, ...). */
  code: string;
  message: string;
  httpStatus?: number;
  throttling: boolean;
  accessDenied: boolean;
  notFound: boolean;
  timeout: boolean;
}

const THROTTLING_CODES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequests',
  'SlowDown',
]);

const ACCESS_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'AWSOrganizationsNotInUseException',
]);

const TIMEOUT_CODES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'AbortError',
]);

/** Classifies any error thrown by an AWS SDK v3 call (or by the network under it). */
export function describeAwsError(error: unknown): AwsErrorInfo {
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const code =
    e.name && e.name !== 'Error' ? e.name : e.code ?? e.Code ?? 'UnknownError';
  const httpStatus = e.$metadata?.httpStatusCode;
  return {
    code,
    message: e.message ?? String(error),
    httpStatus,
    throttling: THROTTLING_CODES.has(code) || httpStatus === 429,
    accessDenied: ACCESS_DENIED_CODES.has(code) || httpStatus === 403,
    notFound: code === 'NotFoundException' || httpStatus === 404,
    timeout: TIMEOUT_CODES.has(code) || TIMEOUT_CODES.has(e.code ?? ''),
  };
}

/** What a platform engineer should do about a failed scope, by error kind. */
export function adviceFor(info: AwsErrorInfo): string {
  if (info.accessDenied) {
    return 'Check that the discovery role exists in this account, trusts the Backstage principal (and the external id, if set), and has the read-only actions listed in the plugin README.';
  }
  if (info.throttling) {
    return 'AWS kept throttling after retries; lower privateApi.quotas.requestsPerSecond or privateApi.concurrency, or check for other tools using the same account quota.';
  }
  if (info.timeout) {
    return 'The AWS endpoint did not answer in time; check network access from the backend to AWS (or the configured endpoint override) and privateApi.requestTimeoutMs.';
  }
  return 'See the AWS error code; the last good inventory of this account and Region is kept until the next successful crawl.';
}
