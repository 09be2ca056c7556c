/**
 * The one place for prices: an embedded, dated price table per Region, with its sources.
 * us-east-1's figures were checked against the API Gateway pricing page. The other Regions'
 * were not: each of their tables says so in its assumptions. Config can override any figure (see
 * withPriceOverrides); the backend may also fill tables from the Price List API.
 */
import { describeAssumption, VERIFY_ASSUMPTIONS } from '../assumptions';
import { InvalidArgumentError } from '../errors';

/** One price tier: counts up to `upTo` (cumulative, per account and Region per month) cost `pricePerMillion`. */
export interface PriceTier {
  /** Where the tier ends (requests or messages in the month); null for the last tier. */
  upTo: number | null;
  pricePerMillion: number;
}

/** The prices of one Region, in USD. */
export interface PriceTable {
  region: string;
  currency: 'USD';
  /** When the figures were read (YYYY-MM-DD). */
  asOf: string;
  sources: string[];
  /** What about this table's figures is an assumption to verify; empty when they were checked. */
  assumptions: string[];
  restRequests: PriceTier[];
  httpRequests: PriceTier[];
  /** HTTP API requests are metered in increments of this size. */
  httpMeteringKb: number;
  websocketMessages: PriceTier[];
  /** WebSocket messages are metered in increments of this size. */
  websocketMeteringKb: number;
  websocketConnectionMinutesPerMillion: number;
  /** REST API cache per hour, by size in GB as API Gateway writes it ('0.5', '1.6', ...). */
  restCacheHourly: Record<string, number>;
  loadBalancers: {
    networkHourly: number;
    networkCapacityUnitHourly: number;
    applicationHourly: number;
    applicationCapacityUnitHourly: number;
  };
  /** Interface VPC endpoints (AWS PrivateLink). */
  privateLink: { endpointAzHourly: number; perGb: number };
  /** Lambda x86, for the "Lambda instead of a load balancer" advice. */
  lambda: { perMillionRequests: number; perGbSecond: number };
}

/** Price tables by Region. */
export type PriceBook = Record<string, PriceTable>;

const M = 1_000_000;

const SOURCES = [
  'https://aws.amazon.com/api-gateway/pricing/',
  'https://aws.amazon.com/elasticloadbalancing/pricing/',
  'https://aws.amazon.com/privatelink/pricing/',
  'https://aws.amazon.com/lambda/pricing/',
];

const US_EAST_1: PriceTable = {
  region: 'us-east-1',
  currency: 'USD',
  asOf: '2026-11-22',
  sources: SOURCES,
  assumptions: [],
  restRequests: [
    { upTo: 333 * M, pricePerMillion: 3.5 },
    { upTo: 1000 * M, pricePerMillion: 2.8 },
    { upTo: 20000 * M, pricePerMillion: 2.38 },
    { upTo: null, pricePerMillion: 1.51 },
  ],
  httpRequests: [
    { upTo: 300 * M, pricePerMillion: 1.0 },
    { upTo: null, pricePerMillion: 0.9 },
  ],
  httpMeteringKb: 512,
  websocketMessages: [
    { upTo: 1000 * M, pricePerMillion: 1.0 },
    { upTo: null, pricePerMillion: 0.8 },
  ],
  websocketMeteringKb: 32,
  websocketConnectionMinutesPerMillion: 0.25,
  restCacheHourly: {
    '0.5': 0.02,
    '1.6': 0.038,
    '6.1': 0.2,
    '13.5': 0.25,
    '28.4': 0.5,
    '58.2': 1.0,
    '118': 1.9,
    '237': 3.8,
  },
  loadBalancers: {
    networkHourly: 0.0225,
    networkCapacityUnitHourly: 0.006,
    applicationHourly: 0.0225,
    applicationCapacityUnitHourly: 0.008,
  },
  privateLink: { endpointAzHourly: 0.01, perGb: 0.01 },
  lambda: { perMillionRequests: 0.2, perGbSecond: 0.0000166667 },
};

/** Every figure of these tables is unconfirmed: only us-east-1's were checked. */
const UNVERIFIED_REGION = [
  describeAssumption(VERIFY_ASSUMPTIONS.regionalPricesOutsideUsEast1),
];

const EU_WEST_1: PriceTable = {
  ...US_EAST_1,
  region: 'eu-west-1',
  sources: SOURCES,
  assumptions: UNVERIFIED_REGION,
  restRequests: [
    { upTo: 333 * M, pricePerMillion: 3.5 },
    { upTo: 1000 * M, pricePerMillion: 3.19 },
    { upTo: 20000 * M, pricePerMillion: 2.71 },
    { upTo: null, pricePerMillion: 1.72 },
  ],
  httpRequests: [
    { upTo: 300 * M, pricePerMillion: 1.11 },
    { upTo: null, pricePerMillion: 1.0 },
  ],
  websocketMessages: [
    { upTo: 1000 * M, pricePerMillion: 1.14 },
    { upTo: null, pricePerMillion: 0.91 },
  ],
  websocketConnectionMinutesPerMillion: 0.285,
  loadBalancers: {
    networkHourly: 0.0252,
    networkCapacityUnitHourly: 0.006,
    applicationHourly: 0.0252,
    applicationCapacityUnitHourly: 0.008,
  },
  privateLink: { endpointAzHourly: 0.011, perGb: 0.01 },
};

const EU_CENTRAL_1: PriceTable = {
  ...US_EAST_1,
  region: 'eu-central-1',
  sources: SOURCES,
  assumptions: UNVERIFIED_REGION,
  restRequests: [
    { upTo: 333 * M, pricePerMillion: 3.7 },
    { upTo: 1000 * M, pricePerMillion: 3.33 },
    { upTo: 20000 * M, pricePerMillion: 2.83 },
    { upTo: null, pricePerMillion: 1.79 },
  ],
  httpRequests: [
    { upTo: 300 * M, pricePerMillion: 1.2 },
    { upTo: null, pricePerMillion: 1.08 },
  ],
  websocketMessages: [
    { upTo: 1000 * M, pricePerMillion: 1.2 },
    { upTo: null, pricePerMillion: 0.96 },
  ],
  websocketConnectionMinutesPerMillion: 0.3,
  restCacheHourly: {
    '0.5': 0.024,
    '1.6': 0.045,
    '6.1': 0.228,
    '13.5': 0.285,
    '28.4': 0.57,
    '58.2': 1.14,
    '118': 2.166,
    '237': 4.332,
  },
  loadBalancers: {
    networkHourly: 0.027,
    networkCapacityUnitHourly: 0.006,
    applicationHourly: 0.027,
    applicationCapacityUnitHourly: 0.008,
  },
  privateLink: { endpointAzHourly: 0.012, perGb: 0.01 },
};

/** The embedded tables: us-east-1 and the demo estate's Regions (eu-west-1), plus eu-central-1. */
export const DEFAULT_PRICE_BOOK: PriceBook = {
  'us-east-1': US_EAST_1,
  'eu-west-1': EU_WEST_1,
  'eu-central-1': EU_CENTRAL_1,
};

const TABLE_FIELDS: Array<keyof PriceTable> = [
  'asOf',
  'restRequests',
  'httpRequests',
  'httpMeteringKb',
  'websocketMessages',
  'websocketMeteringKb',
  'websocketConnectionMinutesPerMillion',
  'restCacheHourly',
  'loadBalancers',
  'privateLink',
  'lambda',
];

/**
 * A price book with figures replaced from config: per Region, the fields given replace the
 * base table's; a Region the base lacks needs a complete table. Overridden tables say so in
 * their sources.
 *
 * @throws InvalidArgumentError when a new Region's table lacks a field.
 */
export function withPriceOverrides(
  base: PriceBook,
  overrides: Record<string, Partial<PriceTable>>,
): PriceBook {
  const book: PriceBook = { ...base };
  for (const [region, override] of Object.entries(overrides)) {
    const merged: Partial<PriceTable> = {
      ...(base[region] ?? { currency: 'USD', assumptions: [] }),
      ...override,
      region,
    };
    const missing = TABLE_FIELDS.filter(field => merged[field] === undefined);
    if (missing.length) {
      throw new InvalidArgumentError(
        `prices.${region}`,
        `has no embedded table, so the override must be complete; missing ${missing.join(
          ', ',
        )}`,
      );
    }
    book[region] = {
      ...(merged as PriceTable),
      sources: override.sources ?? [
        ...(base[region]?.sources ?? []),
        'overridden by configuration',
      ],
    };
  }
  return book;
}
