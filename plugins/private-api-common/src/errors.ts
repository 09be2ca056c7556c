/** Errors the domain functions raise for bad input; each message says what and where. */

/** A resource policy that cannot be read: not JSON, or not a valid IAM policy. */
export class PolicyParseError extends Error {
  /** Where in the policy the problem is, e.g. `Statement[2].Condition.StringEquals`; empty for the whole text. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'PolicyParseError';
    this.path = path;
  }
}

/** An argument that is not of the expected form (an invalid VPC id, ARN or IP address). */
export class InvalidArgumentError extends Error {
  /** The argument at fault, e.g. `grant.vpceId`. */
  readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`${argument}: ${problem}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
  }
}
