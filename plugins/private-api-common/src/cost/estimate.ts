/**
 * Monthly cost of API Gateway APIs: requests (tiered per account and Region across all APIs
 * of a type, each API paying its share), REST caches by size and hours, the load balancers
 * behind VPC links (shared by the APIs that use the link), WebSocket messages and
 * connection minutes. Every line shows quantity, unit price and amount; every assumption is
 * listed; the price tables used are named with their date and sources.
 */
import { describeAssumption, VERIFY_ASSUMPTIONS } from '../assumptions';
import { InvalidArgumentError } from '../errors';
import { ApiType, EndpointType } from '../inventory/types';
import { DEFAULT_PRICE_BOOK, PriceBook, PriceTable, PriceTier } from './prices';

/** The usage of one API in a month. */
export interface ApiUsage {
  apiId: string;
  name?: string;
  accountId: string;
  region: string;
  apiType: ApiType;
  endpointType: EndpointType;
  /** Requests (REST, HTTP) or messages (WebSocket) in a month. */
  monthlyRequests: number;
  /** Average request (HTTP) or message (WebSocket) size in KB, for the metering increments. */
  averagePayloadKb?: number;
  /** WebSocket connection minutes in a month. */
  monthlyConnectionMinutes?: number;
  /** REST stage caches (size in GB as API Gateway writes it). */
  caches?: Array<{ stage: string; sizeGb: string; hoursPerMonth?: number }>;
  /** The VPC links the API's integrations use (ids from `vpcLinks`, same account and Region). */
  vpcLinkIds?: string[];
}

/** A VPC link and the load balancers it needs. */
export interface VpcLinkUsage {
  id: string;
  accountId: string;
  region: string;
  loadBalancers: Array<{
    arn: string;
    type: 'network' | 'application';
    /** NLCU-hours (network) or LCU-hours (application) in a month, when known. */
    capacityUnitHoursPerMonth?: number;
  }>;
}

/** What to estimate: the APIs (all those whose tiers are shared, for correct allocation) and their VPC links. */
export interface CostUsage {
  apis: ApiUsage[];
  vpcLinks?: VpcLinkUsage[];
  /** Hours in a month: 730 by default, as the AWS Pricing Calculator counts. */
  hoursPerMonth?: number;
  /** The function the load-balancer-vs-Lambda advice compares with: 128 MB and 100 ms a call by default. */
  lambdaAlternative?: { memoryMb: number; durationMs: number };
  /** Assumptions made while gathering the usage, carried into the estimate. */
  assumptions?: string[];
  /**
   * The totals of every API the listed ones share tiers and load balancers with, when the
   * estimate lists only some of them (an account and Region priced a page or one API at a
   * time): they replace the sums over `apis`.
   */
  shared?: SharedCostTotals;
}

/** What the APIs of an account and Region share in a cost estimate. */
export interface SharedCostTotals {
  /** Billable request (or message) units in a month per account, Region and API type. */
  requestUnits: Array<{
    accountId: string;
    region: string;
    apiType: ApiType;
    units: number;
  }>;
  /** How many APIs use each VPC link. */
  vpcLinkUsers: Array<{
    accountId: string;
    region: string;
    vpcLinkId: string;
    apis: number;
  }>;
}

export type CostCategory =
  | 'requests'
  | 'websocket-messages'
  | 'websocket-connection-minutes'
  | 'cache'
  | 'load-balancer';

/** One priced line: quantity × unit price = amount (USD). */
export interface CostLine {
  category: CostCategory;
  description: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  amount: number;
}

/** The estimate of one API. */
export interface ApiCostEstimate {
  apiId: string;
  name?: string;
  accountId: string;
  region: string;
  apiType: ApiType;
  endpointType: EndpointType;
  lines: CostLine[];
  total: number;
}

/** A way to spend less, with the saving it would bring. */
export interface CostAdvice {
  apiId: string;
  kind: 'nlb-vs-lambda' | 'rest-to-http';
  message: string;
  monthlySaving: number;
}

/** Which price table an estimate used. */
export interface PriceTableReference {
  region: string;
  asOf: string;
  sources: string[];
  assumptions: string[];
}

/** The monthly cost of a set of APIs. */
export interface CostEstimate {
  currency: 'USD';
  total: number;
  apis: ApiCostEstimate[];
  assumptions: string[];
  advice: CostAdvice[];
  priceTables: PriceTableReference[];
}

/** Hours in a month, as the AWS Pricing Calculator counts. */
export const DEFAULT_HOURS_PER_MONTH = 730;
const DEFAULT_LAMBDA = { memoryMb: 128, durationMs: 100 };
const MILLION = 1_000_000;

/** Amounts to a millionth of a dollar: exact enough, and free of floating-point noise. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

// Made once: toLocaleString builds a formatter on every call, which shows when a crawl
// prices thousands of APIs.
const AMOUNT_FORMAT = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const UNIT_PRICE_FORMAT = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 10,
});

/**
 * The money rule of every text users read: amounts (lines, totals, savings) to the cent,
 * "less than $0.01" for a positive amount below a cent; unit prices keep the digits AWS
 * prices them with (`unitPrice`).
 */
export function formatAmount(value: number): string {
  if (value > 0 && value < 0.005) return 'less than $0.01';
  return `$${AMOUNT_FORMAT.format(value)}`;
}

/** A unit price as AWS writes it: $3.50, $0.0225, $0.0000166667. */
export function formatUnitPrice(value: number): string {
  return `$${UNIT_PRICE_FORMAT.format(value)}`;
}

const money = formatAmount;

/** "about $0.42", or "less than $0.01" (never "about less than"). */
function about(value: number): string {
  const amount = formatAmount(value);
  return amount.startsWith('less') ? amount : `about ${amount}`;
}

/** 830000000 → "830M", 1200000000 → "1.2B", 45000 → "45,000". */
function count(value: number): string {
  if (value >= 1e9) return `${+(value / 1e9).toFixed(2)}B`;
  if (value >= 1e6) return `${+(value / 1e6).toFixed(2)}M`;
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function costLine(
  category: CostCategory,
  description: string,
  quantity: number,
  unit: string,
  unitPrice: number,
): CostLine {
  return {
    category,
    description,
    quantity: round(quantity),
    unit,
    unitPrice,
    amount: round(quantity * unitPrice),
  };
}

/** `first 333M`, `333M to 1B`, `over 20B`. */
function tierLabel(start: number, tier: PriceTier): string {
  if (start === 0) return `first ${count(tier.upTo ?? Infinity)}`;
  if (tier.upTo === null) return `over ${count(start)}`;
  return `${count(start)} to ${count(tier.upTo)}`;
}

/** How much of a month's total falls in each tier. */
function tierSplit(total: number, tiers: PriceTier[]) {
  const split: Array<{ tier: PriceTier; label: string; quantity: number }> = [];
  let start = 0;
  for (const tier of tiers) {
    const end = tier.upTo ?? Infinity;
    const quantity = Math.max(0, Math.min(total, end) - start);
    if (quantity > 0)
      split.push({ tier, label: tierLabel(start, tier), quantity });
    start = end;
  }
  return split;
}

/** The cost of a month's total at tiered prices. */
function tieredCost(total: number, tiers: PriceTier[]): number {
  return tierSplit(total, tiers).reduce(
    (cost, part) =>
      cost + (part.quantity / MILLION) * part.tier.pricePerMillion,
    0,
  );
}

/** Billable units: a request or message counts once per metering increment it spans. */
function billable(usage: ApiUsage, incrementKb: number): number {
  const increments = usage.averagePayloadKb
    ? Math.max(1, Math.ceil(usage.averagePayloadKb / incrementKb))
    : 1;
  return usage.monthlyRequests * increments;
}

interface Context {
  prices: PriceBook;
  hours: number;
  assumptions: Set<string>;
  tables: Map<string, PriceTable>;
}

function tableFor(region: string, context: Context): PriceTable {
  const table = context.prices[region] ?? context.prices['us-east-1'];
  if (!table) {
    throw new InvalidArgumentError(
      'prices',
      `has no table for ${region} and none for us-east-1 to fall back on`,
    );
  }
  if (!context.prices[region]) {
    context.assumptions.add(
      `No price table for ${region}: us-east-1 prices are used, and AWS prices differ by Region.`,
    );
  }
  context.tables.set(table.region, table);
  return table;
}

/** Billable units of an API for its type's tiers, and the tiers. */
function requestBasis(usage: ApiUsage, table: PriceTable) {
  if (usage.apiType === 'REST') {
    return {
      units: usage.monthlyRequests,
      tiers: table.restRequests,
      what: 'REST API requests',
    };
  }
  if (usage.apiType === 'HTTP') {
    return {
      units: billable(usage, table.httpMeteringKb),
      tiers: table.httpRequests,
      what: 'HTTP API requests',
    };
  }
  return {
    units: billable(usage, table.websocketMeteringKb),
    tiers: table.websocketMessages,
    what: 'WebSocket messages',
  };
}

function groupKey(usage: {
  accountId: string;
  region: string;
  apiType: ApiType;
}): string {
  return `${usage.accountId}|${usage.region}|${usage.apiType}`;
}

function requestLines(
  usage: ApiUsage,
  table: PriceTable,
  groupTotal: number,
): CostLine[] {
  const { units, tiers, what } = requestBasis(usage, table);
  if (units <= 0) return [];
  const share = units / groupTotal;
  // Say what the tiers count and what this API pays for, in counts: a percentage of a
  // big account rounds to 0% for a small API.
  const shared =
    share < 1
      ? ` (the tiers count all ${count(groupTotal)} ${
          usage.apiType === 'WEBSOCKET' ? 'messages' : 'requests'
        } of the ${usage.apiType} APIs of account ${usage.accountId} in ${
          usage.region
        }; this API pays for its ${count(units)})`
      : '';
  return tierSplit(groupTotal, tiers).map(part =>
    costLine(
      usage.apiType === 'WEBSOCKET' ? 'websocket-messages' : 'requests',
      `${what}, ${part.label} a month${shared}`,
      (part.quantity * share) / MILLION,
      usage.apiType === 'WEBSOCKET' ? 'million messages' : 'million requests',
      part.tier.pricePerMillion,
    ),
  );
}

function cacheLines(
  usage: ApiUsage,
  table: PriceTable,
  context: Context,
): CostLine[] {
  return (usage.caches ?? []).map(cache => {
    const sizes = Object.keys(table.restCacheHourly).sort(
      (a, b) => Number(a) - Number(b),
    );
    const wanted = Number(cache.sizeGb);
    let priced = sizes.find(s => Number(s) === wanted);
    if (!priced) {
      priced = sizes.find(s => Number(s) >= wanted) ?? sizes[sizes.length - 1];
      context.assumptions.add(
        describeAssumption(VERIFY_ASSUMPTIONS.cacheSizesPriced),
      );
    }
    const hours = cache.hoursPerMonth ?? context.hours;
    return costLine(
      'cache',
      `Cache of stage ${cache.stage}, ${cache.sizeGb} GB${
        priced === cache.sizeGb ? '' : ` (priced as ${priced} GB)`
      }`,
      hours,
      'hour',
      table.restCacheHourly[priced],
    );
  });
}

function loadBalancerLines(
  usage: ApiUsage,
  table: PriceTable,
  links: VpcLinkUsage[],
  users: Map<VpcLinkUsage, { listed: ApiUsage[]; count: number }>,
  context: Context,
): CostLine[] {
  const lines: CostLine[] = [];
  for (const link of links) {
    const sharing = users.get(link);
    if (!sharing?.listed.includes(usage)) continue;
    const share = 1 / sharing.count;
    const shared =
      sharing.count > 1
        ? `, a 1/${sharing.count} share (${sharing.count} APIs use the link)`
        : '';
    for (const lb of link.loadBalancers) {
      const network = lb.type === 'network';
      const name = lb.arn.split('/').slice(-2, -1)[0] ?? lb.arn;
      lines.push(
        costLine(
          'load-balancer',
          `${
            network ? 'Network' : 'Application'
          } Load Balancer ${name} behind VPC link ${link.id}${shared}`,
          context.hours * share,
          'hour',
          network
            ? table.loadBalancers.networkHourly
            : table.loadBalancers.applicationHourly,
        ),
      );
      if (lb.capacityUnitHoursPerMonth) {
        lines.push(
          costLine(
            'load-balancer',
            `${network ? 'NLCU' : 'LCU'}-hours of ${name}${shared}`,
            lb.capacityUnitHoursPerMonth * share,
            `${network ? 'NLCU' : 'LCU'}-hour`,
            network
              ? table.loadBalancers.networkCapacityUnitHourly
              : table.loadBalancers.applicationCapacityUnitHourly,
          ),
        );
      } else {
        context.assumptions.add(
          'Load balancer capacity units (NLCU/LCU) are not included where their usage is not given.',
        );
      }
    }
  }
  return lines;
}

function sum(lines: CostLine[]): number {
  return round(lines.reduce((total, l) => total + l.amount, 0));
}

function advise(
  estimates: ApiCostEstimate[],
  usages: ApiUsage[],
  groupTotals: Map<string, number>,
  lambda: { memoryMb: number; durationMs: number },
  context: Context,
): CostAdvice[] {
  const advice: CostAdvice[] = [];
  estimates.forEach((estimate, i) => {
    const usage = usages[i];
    const table = tableFor(usage.region, context);
    const label = usage.name ?? usage.apiId;
    const balancers = sum(
      estimate.lines.filter(l => l.category === 'load-balancer'),
    );
    if (balancers > 0) {
      // The whitepaper's case: an API called a few times a day pays for a load balancer
      // every hour, where a VPC-enabled Lambda function would be paid per call.
      const calls = usage.monthlyRequests;
      const lambdaCost = round(
        (calls / MILLION) * table.lambda.perMillionRequests +
          calls *
            (lambda.memoryMb / 1024) *
            (lambda.durationMs / 1000) *
            table.lambda.perGbSecond,
      );
      if (lambdaCost < balancers) {
        advice.push({
          apiId: usage.apiId,
          kind: 'nlb-vs-lambda',
          message: `${label} pays ${money(
            balancers,
          )} a month for the load balancer behind its VPC link, for ${count(
            calls,
          )} requests; a VPC-enabled Lambda integration would cost ${about(
            lambdaCost,
          )} (${lambda.memoryMb} MB, ${lambda.durationMs} ms a call).`,
          monthlySaving: round(balancers - lambdaCost),
        });
      }
    }
    if (
      usage.apiType === 'REST' &&
      usage.endpointType !== 'PRIVATE' &&
      usage.monthlyRequests > 0
    ) {
      // HTTP APIs cannot be private, so the move is only open to public REST APIs.
      const rest = sum(estimate.lines.filter(l => l.category === 'requests'));
      const httpTotal =
        groupTotals.get(groupKey({ ...usage, apiType: 'HTTP' })) ?? 0;
      const http = round(
        tieredCost(httpTotal + usage.monthlyRequests, table.httpRequests) -
          tieredCost(httpTotal, table.httpRequests),
      );
      if (rest - http >= 0.01) {
        advice.push({
          apiId: usage.apiId,
          kind: 'rest-to-http',
          message: `As an HTTP API, ${label} would cost ${about(
            http,
          )} a month in requests instead of ${money(
            rest,
          )}, if it needs no REST-only feature (API keys and usage plans, caching, request validation, AWS WAF, edge-optimized or private endpoints)${
            usage.caches?.length
              ? '; it uses a cache, which HTTP APIs lack'
              : ''
          }.`,
          monthlySaving: round(rest - http),
        });
      }
    }
  });
  return advice;
}

/**
 * Estimates the monthly cost of the APIs in `usage` with the prices of `prices` (the
 * embedded tables by default; config may replace them). Request tiers count every API of
 * a type in an account and Region together, so pass all of them for a correct allocation.
 *
 * @throws InvalidArgumentError when a Region has no price table and there is no us-east-1 table either.
 */
export function estimateMonthlyCost(
  usage: CostUsage,
  prices: PriceBook = DEFAULT_PRICE_BOOK,
): CostEstimate {
  const context: Context = {
    prices,
    hours: usage.hoursPerMonth ?? DEFAULT_HOURS_PER_MONTH,
    assumptions: new Set(usage.assumptions ?? []),
    tables: new Map(),
  };
  context.assumptions.add(
    `A month is ${context.hours} hours (the AWS Pricing Calculator's convention); requests are a month's worth.`,
  );
  context.assumptions.add('The free tier (first 12 months) is not applied.');

  const groupTotals = new Map<string, number>();
  for (const api of usage.apis) {
    const key = groupKey(api);
    groupTotals.set(
      key,
      (groupTotals.get(key) ?? 0) +
        requestBasis(api, tableFor(api.region, context)).units,
    );
  }
  // Totals of the whole account and Region, when only some of its APIs are listed (never
  // below what the listed APIs alone add up to).
  for (const total of usage.shared?.requestUnits ?? []) {
    const key = groupKey(total);
    groupTotals.set(key, Math.max(groupTotals.get(key) ?? 0, total.units));
  }
  const sharedLinkUsers = new Map(
    (usage.shared?.vpcLinkUsers ?? []).map(u => [
      `${u.accountId}|${u.region}|${u.vpcLinkId}`,
      u.apis,
    ]),
  );
  const links = usage.vpcLinks ?? [];
  const users = new Map(
    links.map(link => {
      const listed = usage.apis.filter(
        api =>
          api.accountId === link.accountId &&
          api.region === link.region &&
          api.vpcLinkIds?.includes(link.id),
      );
      const apiCount = Math.max(
        listed.length,
        sharedLinkUsers.get(`${link.accountId}|${link.region}|${link.id}`) ?? 0,
      );
      return [link, { listed, count: apiCount }];
    }),
  );
  for (const [link, sharing] of users) {
    if (sharing.count === 0) {
      context.assumptions.add(
        `VPC link ${link.id} is used by none of these APIs: its load balancers are not included.`,
      );
    }
  }

  const apis = usage.apis.map(api => {
    const table = tableFor(api.region, context);
    const lines = [
      ...requestLines(api, table, groupTotals.get(groupKey(api))!),
      ...cacheLines(api, table, context),
      ...loadBalancerLines(api, table, links, users, context),
    ];
    if (api.apiType === 'WEBSOCKET') {
      if (api.monthlyConnectionMinutes === undefined) {
        context.assumptions.add(
          `Connection minutes of ${
            api.name ?? api.apiId
          } are not known: not included.`,
        );
      } else if (api.monthlyConnectionMinutes > 0) {
        lines.push(
          costLine(
            'websocket-connection-minutes',
            'WebSocket connection minutes',
            api.monthlyConnectionMinutes / MILLION,
            'million minutes',
            table.websocketConnectionMinutesPerMillion,
          ),
        );
      }
      if (api.averagePayloadKb) {
        context.assumptions.add(
          describeAssumption(VERIFY_ASSUMPTIONS.websocketMessageIncrement),
        );
      }
    }
    if (api.apiType === 'HTTP' && !api.averagePayloadKb) {
      context.assumptions.add(
        'HTTP API requests are taken to be at most 512 KB each (they are metered in 512 KB increments).',
      );
    }
    if (api.apiType !== 'REST') {
      context.assumptions.add(
        describeAssumption(VERIFY_ASSUMPTIONS.tiersSharedForHttpAndWebSocket),
      );
    }
    return {
      apiId: api.apiId,
      ...(api.name ? { name: api.name } : {}),
      accountId: api.accountId,
      region: api.region,
      apiType: api.apiType,
      endpointType: api.endpointType,
      lines,
      total: sum(lines),
    };
  });

  if (usage.apis.some(api => api.endpointType === 'PRIVATE')) {
    const table = tableFor(
      usage.apis.find(api => api.endpointType === 'PRIVATE')!.region,
      context,
    );
    context.assumptions.add(
      `Interface VPC endpoints (${formatUnitPrice(
        table.privateLink.endpointAzHourly,
      )} per AZ-hour and ${formatUnitPrice(
        table.privateLink.perGb,
      )} per GB in ${
        table.region
      }) are billed to their owners and shared by every API they reach: not included. Private APIs have no data transfer out charge.`,
    );
  }
  if (usage.apis.some(api => api.endpointType !== 'PRIVATE')) {
    context.assumptions.add(
      'Data transfer out of public APIs is not included.',
    );
  }
  if (links.length) {
    context.assumptions.add(
      'The load balancers behind a VPC link are charged wholly, in equal shares, to the APIs that use the link, though they may serve other clients too.',
    );
  }

  const advice = advise(
    apis,
    usage.apis,
    groupTotals,
    usage.lambdaAlternative ?? DEFAULT_LAMBDA,
    context,
  );
  const priceTables = [...context.tables.values()].map(t => ({
    region: t.region,
    asOf: t.asOf,
    sources: t.sources,
    assumptions: t.assumptions,
  }));
  for (const table of priceTables) {
    table.assumptions.forEach(a =>
      context.assumptions.add(`${table.region} prices: ${a}`),
    );
  }
  return {
    currency: 'USD',
    total: round(apis.reduce((total, api) => total + api.total, 0)),
    apis,
    assumptions: [...context.assumptions],
    advice,
    priceTables,
  };
}
