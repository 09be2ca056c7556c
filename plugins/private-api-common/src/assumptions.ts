/**
 * The one place for every AWS behaviour the domain logic relies on without a primary source
 * confirming it. Outputs that depend on one of them say, in the reader's words, what they
 * assume (`assumes`) and link the AWS page closest to it; the keys of VERIFY_ASSUMPTIONS stay
 * in code and in the README's list, so a later check can find every use.
 */
import { AWS_DOCS, Caveat } from './docs';

/** An AWS behaviour assumed by the domain logic and not yet confirmed in a primary source. */
export interface VerifyAssumption {
  /** What is assumed. */
  statement: string;
  /** What users read: the output's assumption, phrased as what it assumes. */
  assumes: string;
  /** The AWS page closest to the assumption, for the reader to check. */
  docUrl?: string;
  /** Where the assumption comes from and why it is not confirmed. */
  basis: string;
  /** Which outputs of this package depend on it. */
  affects: string;
}

/** Every assumption to verify, keyed by the name code and the README's list use. */
export const VERIFY_ASSUMPTIONS = {
  sourceIpAbsentThroughVpcEndpoint: {
    assumes:
      'This analysis assumes that calls through a VPC endpoint carry no aws:SourceIp, only aws:VpcSourceIp.',
    docUrl: AWS_DOCS.authorizationFlow,
    statement:
      'A call through an interface VPC endpoint carries no aws:SourceIp; its address is in aws:VpcSourceIp.',
    basis:
      'AWS Knowledge Center "iam-restrict-access-policy" ("aws:SourceIp is always included in the request, except for requests that use an Amazon VPC endpoint"); the API Gateway guide does not say it.',
    affects:
      'analyzeResourcePolicy and checkReachability for private APIs (aws:SourceIp is left out of the request); the finding on aws:SourceIp in a private API policy.',
  },
  privateDnsBlocksAllPublicApis: {
    assumes:
      "This assumes that, as for public REST APIs, private DNS on the VPC's execute-api endpoint also captures the default names of HTTP and WebSocket APIs.",
    docUrl: AWS_DOCS.privateApis,
    statement:
      'With private DNS enabled on an execute-api VPC endpoint, the VPC cannot reach any public API (REST, HTTP or WebSocket) by its default execute-api name.',
    basis:
      'The API Gateway guide on private APIs states it for public REST APIs; HTTP and WebSocket APIs use the same execute-api names, so the same private zone captures them.',
    affects:
      'invokeOptions and checkReachability for public APIs called from a VPC.',
  },
  disabledDefaultEndpointBlocksEndpointNames: {
    assumes:
      'This assumes that turning off the default execute-api endpoint also turns off the VPC endpoint names and the Route 53 alias; only custom domain names keep working.',
    docUrl: AWS_DOCS.invokePrivateApi,
    statement:
      'disableExecuteApiEndpoint on a private API also turns off the endpoint-specific names (the VPC endpoint DNS name with a Host or x-apigw-api-id header, and the Route 53 alias); only custom domains keep working.',
    basis:
      'The API Gateway guide does not say it; all those names reach the default execute-api endpoint.',
    affects: 'invokeOptions and checkReachability.',
  },
  websocketMessageIncrement: {
    assumes:
      'The estimate assumes that WebSocket messages are metered in 32 KB increments.',
    docUrl: AWS_DOCS.pricing,
    statement: 'WebSocket messages are metered in 32 KB increments.',
    basis:
      'The API Gateway pricing page gives the 32 KB increment in its WebSocket example, not as a rule.',
    affects:
      'estimateMonthlyCost for WebSocket APIs with an average message size.',
  },
  cacheSizesPriced: {
    assumes:
      'The estimate assumes that a cache size AWS does not list is priced as the next larger listed size.',
    docUrl: AWS_DOCS.pricing,
    statement:
      'REST cache prices exist for the eight listed sizes only; any other size is priced at the next larger listed size.',
    basis:
      'The API Gateway pricing page lists eight cache sizes and says nothing of others.',
    affects: 'estimateMonthlyCost cache lines.',
  },
  tiersSharedForHttpAndWebSocket: {
    assumes:
      'The estimate assumes that HTTP API request tiers and WebSocket message tiers count all APIs of the type in the account and Region together, as REST tiers do.',
    docUrl: AWS_DOCS.pricing,
    statement:
      'HTTP API request tiers and WebSocket message tiers apply per account per Region across all APIs of the type, as REST tiers do.',
    basis:
      'The API Gateway pricing page states the tier scope for REST APIs only.',
    affects: 'estimateMonthlyCost allocation of HTTP and WebSocket tiers.',
  },
  regionalPricesOutsideUsEast1: {
    assumes:
      "The estimate assumes this Region's prices as read from the AWS pricing pages; they were not checked against the Price List API.",
    docUrl: AWS_DOCS.pricing,
    statement:
      'The embedded eu-west-1 and eu-central-1 prices were entered from the public AWS pricing pages without a check against the Price List API.',
    basis:
      'The prices of other Regions differ and are read from the pricing pages, not derived from us-east-1.',
    affects:
      'estimateMonthlyCost for APIs in those Regions (the price tables list it).',
  },
} as const satisfies Record<string, VerifyAssumption>;

/** What an output assumes, in the reader's words. */
export function describeAssumption(assumption: VerifyAssumption): string {
  return assumption.assumes;
}

/** The assumption as a caveat: what is assumed, and the AWS page to check it against. */
export function assumptionCaveat(assumption: VerifyAssumption): Caveat {
  return {
    text: assumption.assumes,
    ...(assumption.docUrl ? { docUrl: assumption.docUrl } : {}),
  };
}

const DOC_BY_ASSUMPTION = new Map<string, string | undefined>(
  Object.values(VERIFY_ASSUMPTIONS).map(a => [a.assumes, a.docUrl]),
);

/**
 * The AWS page an output's line rests on when the line is an assumption's `assumes` text:
 * outputs that list plain lines (a cost estimate's assumptions, stored with the estimate)
 * link the page they may be checked against.
 */
export function assumptionDocUrl(line: string): string | undefined {
  return DOC_BY_ASSUMPTION.get(line);
}
