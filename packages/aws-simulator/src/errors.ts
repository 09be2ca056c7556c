/**
 * An error answered to the client in the shape of the service it called.
 *
 * `code` is the AWS error code the SDK turns into the exception name
 * (NotFoundException, InvalidVpcEndpointId.NotFound, Throttling, ...).
 */
export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly extra: {
      /** Seconds, sent as the Retry-After header by services that model it. */
      retryAfterSeconds?: number;
      /** awsQuery "Type": Sender (client fault) or Receiver (server fault). */
      fault?: 'Sender' | 'Receiver';
      /** Extra members of the error body (e.g. Organizations' Reason). */
      fields?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = code;
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.extra.fault ?? (this.status >= 500 ? 'Receiver' : 'Sender');
  }
}
