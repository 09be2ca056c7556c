import fc from 'fast-check';
import { InvalidArgumentError } from '../errors';
import { privateApi } from '../__testUtils__/estate';
import {
  ApiUsage,
  CostEstimate,
  estimateMonthlyCost,
  formatAmount,
  formatUnitPrice,
} from './estimate';
import { DEFAULT_PRICE_BOOK, withPriceOverrides } from './prices';
import { usageFromInventory } from './usage';

const M = 1_000_000;

function api(overrides: Partial<ApiUsage>): ApiUsage {
  return {
    apiId: 'a1',
    accountId: '123456789012',
    region: 'us-east-1',
    apiType: 'REST',
    endpointType: 'PRIVATE',
    monthlyRequests: 0,
    ...overrides,
  };
}

const byId = (estimate: CostEstimate, id: string) =>
  estimate.apis.find(a => a.apiId === id)!;

describe('estimateMonthlyCost', () => {
  it('prices REST requests on tiers shared by the account’s APIs in the Region, each API paying its share', () => {
    const estimate = estimateMonthlyCost({
      apis: [
        api({ apiId: 'big', monthlyRequests: 800 * M }),
        api({ apiId: 'small', monthlyRequests: 200 * M }),
        api({
          apiId: 'elsewhere',
          accountId: '210987654321',
          monthlyRequests: 200 * M,
        }),
      ],
    });
    expect(byId(estimate, 'big').lines).toEqual([
      {
        category: 'requests',
        description:
          'REST API requests, first 333M a month (the tiers count all 1B requests of the REST APIs of account 123456789012 in us-east-1; this API pays for its 800M)',
        quantity: 266.4,
        unit: 'million requests',
        unitPrice: 3.5,
        amount: 932.4,
      },
      {
        category: 'requests',
        description:
          'REST API requests, 333M to 1B a month (the tiers count all 1B requests of the REST APIs of account 123456789012 in us-east-1; this API pays for its 800M)',
        quantity: 533.6,
        unit: 'million requests',
        unitPrice: 2.8,
        amount: 1494.08,
      },
    ]);
    expect(byId(estimate, 'small').total).toBeCloseTo(606.62, 6);
    // Another account has its own tiers: all 200M at the first tier's price.
    expect(byId(estimate, 'elsewhere').lines).toEqual([
      expect.objectContaining({ quantity: 200, unitPrice: 3.5, amount: 700 }),
    ]);
    expect(estimate.total).toBeCloseTo(932.4 + 1494.08 + 606.62 + 700, 6);
  });

  it('goes through every REST tier', () => {
    const [only] = estimateMonthlyCost({
      apis: [api({ monthlyRequests: 21_000 * M })],
    }).apis;
    expect(only.lines.map(l => [l.quantity, l.unitPrice])).toEqual([
      [333, 3.5],
      [667, 2.8],
      [19_000, 2.38],
      [1_000, 1.51],
    ]);
    expect(only.lines[3].description).toBe(
      'REST API requests, over 20B a month',
    );
  });

  it('meters HTTP requests in 512 KB increments', () => {
    const [http] = estimateMonthlyCost({
      apis: [
        api({
          apiType: 'HTTP',
          endpointType: 'REGIONAL',
          monthlyRequests: 10 * M,
          averagePayloadKb: 700,
        }),
      ],
    }).apis;
    expect(http.lines).toEqual([
      expect.objectContaining({ quantity: 20, unitPrice: 1, amount: 20 }),
    ]);
  });

  it('prices WebSocket messages and connection minutes, naming the assumptions it rests on', () => {
    const estimate = estimateMonthlyCost({
      apis: [
        api({
          apiType: 'WEBSOCKET',
          endpointType: 'REGIONAL',
          monthlyRequests: 5 * M,
          averagePayloadKb: 40,
          monthlyConnectionMinutes: 2 * M,
        }),
      ],
    });
    expect(estimate.apis[0].lines).toEqual([
      expect.objectContaining({
        category: 'websocket-messages',
        quantity: 10,
        unit: 'million messages',
        unitPrice: 1,
        amount: 10,
      }),
      expect.objectContaining({
        category: 'websocket-connection-minutes',
        quantity: 2,
        unitPrice: 0.25,
        amount: 0.5,
      }),
    ]);
    expect(estimate.assumptions).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'The estimate assumes that WebSocket messages are metered in 32 KB increments',
        ),
        expect.stringContaining(
          'The estimate assumes that HTTP API request tiers and WebSocket message tiers count all APIs',
        ),
      ]),
    );
  });

  it('prices REST caches by size and hours, and a size between listed ones at the next larger', () => {
    const estimate = estimateMonthlyCost({
      apis: [
        api({
          caches: [
            { stage: 'prod', sizeGb: '6.1' },
            { stage: 'test', sizeGb: '3', hoursPerMonth: 100 },
          ],
        }),
      ],
    });
    expect(estimate.apis[0].lines).toEqual([
      {
        category: 'cache',
        description: 'Cache of stage prod, 6.1 GB',
        quantity: 730,
        unit: 'hour',
        unitPrice: 0.2,
        amount: 146,
      },
      {
        category: 'cache',
        description: 'Cache of stage test, 3 GB (priced as 6.1 GB)',
        quantity: 100,
        unit: 'hour',
        unitPrice: 0.2,
        amount: 20,
      },
    ]);
    expect(estimate.assumptions).toContainEqual(
      expect.stringContaining(
        'a cache size AWS does not list is priced as the next larger',
      ),
    );
  });

  it('shares a VPC link’s load balancer between the APIs that use it', () => {
    const estimate = estimateMonthlyCost({
      apis: [
        api({ apiId: 'one', monthlyRequests: 50 * M, vpcLinkIds: ['vl1'] }),
        api({ apiId: 'two', monthlyRequests: 50 * M, vpcLinkIds: ['vl1'] }),
      ],
      vpcLinks: [
        {
          id: 'vl1',
          accountId: '123456789012',
          region: 'us-east-1',
          loadBalancers: [
            {
              arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-nlb/50dc6c495c0c9188',
              type: 'network',
              capacityUnitHoursPerMonth: 100,
            },
          ],
        },
      ],
    });
    expect(
      byId(estimate, 'one').lines.filter(l => l.category === 'load-balancer'),
    ).toEqual([
      {
        category: 'load-balancer',
        description:
          'Network Load Balancer orders-nlb behind VPC link vl1, a 1/2 share (2 APIs use the link)',
        quantity: 365,
        unit: 'hour',
        unitPrice: 0.0225,
        amount: 8.2125,
      },
      {
        category: 'load-balancer',
        description:
          'NLCU-hours of orders-nlb, a 1/2 share (2 APIs use the link)',
        quantity: 50,
        unit: 'NLCU-hour',
        unitPrice: 0.006,
        amount: 0.3,
      },
    ]);
    expect(estimate.advice).toEqual([]);
  });

  it('advises a Lambda integration for a rarely used API that keeps a load balancer', () => {
    const estimate = estimateMonthlyCost({
      apis: [
        api({
          apiId: 'rare',
          name: 'rare-api',
          monthlyRequests: 3000,
          vpcLinkIds: ['vl1'],
        }),
      ],
      vpcLinks: [
        {
          id: 'vl1',
          accountId: '123456789012',
          region: 'us-east-1',
          loadBalancers: [
            {
              arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/n/1',
              type: 'network',
            },
          ],
        },
      ],
    });
    expect(estimate.advice).toEqual([
      {
        apiId: 'rare',
        kind: 'nlb-vs-lambda',
        message:
          'rare-api pays $16.43 a month for the load balancer behind its VPC link, for 3,000 requests; a VPC-enabled Lambda integration would cost less than $0.01 (128 MB, 100 ms a call).',
        monthlySaving: expect.closeTo(16.425 - 0.001225, 5),
      },
    ]);
  });

  it('advises REST → HTTP only for a public REST API', () => {
    const publicRest = estimateMonthlyCost({
      apis: [
        api({
          apiId: 'pub',
          endpointType: 'REGIONAL',
          monthlyRequests: 10 * M,
        }),
      ],
    });
    expect(publicRest.advice).toEqual([
      expect.objectContaining({ kind: 'rest-to-http', monthlySaving: 25 }),
    ]);
    expect(publicRest.advice[0].message).toMatch(
      /^As an HTTP API, pub would cost about \$10\.00 a month in requests instead of \$35\.00/,
    );
    const privateRest = estimateMonthlyCost({
      apis: [api({ monthlyRequests: 10 * M })],
    });
    expect(privateRest.advice).toEqual([]);
  });

  it('names the price tables it used, with date and sources, and the assumptions', () => {
    const estimate = estimateMonthlyCost({
      apis: [
        api({ monthlyRequests: M }),
        api({ apiId: 'eu', region: 'eu-west-1', monthlyRequests: M }),
      ],
    });
    expect(estimate.priceTables).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        asOf: '2026-11-22',
        assumptions: [],
      }),
      expect.objectContaining({
        region: 'eu-west-1',
        asOf: '2026-11-22',
        assumptions: [
          expect.stringContaining(
            "The estimate assumes this Region's prices as read from the AWS pricing pages",
          ),
        ],
      }),
    ]);
    expect(estimate.priceTables[0].sources).toContain(
      'https://aws.amazon.com/api-gateway/pricing/',
    );
    expect(estimate.assumptions).toEqual(
      expect.arrayContaining([
        "A month is 730 hours (the AWS Pricing Calculator's convention); requests are a month's worth.",
        'The free tier (first 12 months) is not applied.',
        expect.stringMatching(/^Interface VPC endpoints \(\$0\.01 per AZ-hour/),
        expect.stringMatching(/^eu-west-1 prices: /),
      ]),
    );
  });

  it('falls back on us-east-1 prices for a Region without a table, and says so', () => {
    const estimate = estimateMonthlyCost({
      apis: [api({ region: 'ap-south-1', monthlyRequests: M })],
    });
    expect(estimate.apis[0].lines[0].unitPrice).toBe(3.5);
    expect(estimate.assumptions).toContain(
      'No price table for ap-south-1: us-east-1 prices are used, and AWS prices differ by Region.',
    );
    expect(() =>
      estimateMonthlyCost({ apis: [api({ region: 'ap-south-1' })] }, {}),
    ).toThrow(InvalidArgumentError);
  });

  it('takes prices from config', () => {
    const prices = withPriceOverrides(DEFAULT_PRICE_BOOK, {
      'us-east-1': {
        restRequests: [{ upTo: null, pricePerMillion: 1 }],
        asOf: '2027-01-01',
      },
    });
    const estimate = estimateMonthlyCost(
      { apis: [api({ monthlyRequests: 2 * M })] },
      prices,
    );
    expect(estimate.total).toBe(2);
    expect(estimate.priceTables[0]).toMatchObject({ asOf: '2027-01-01' });
    expect(estimate.priceTables[0].sources).toContain(
      'overridden by configuration',
    );
    expect(() =>
      withPriceOverrides(DEFAULT_PRICE_BOOK, {
        'ap-south-1': { asOf: '2027-01-01' },
      }),
    ).toThrow(
      /^prices\.ap-south-1: has no embedded table, so the override must be complete; missing restRequests, /,
    );
  });

  it('keeps every amount equal to quantity × unit price and the totals equal to the sums, and allocates whole tiers', () => {
    const usage = fc.array(
      fc.record({
        apiId: fc.uuid(),
        accountId: fc.constantFrom('111111111111', '222222222222'),
        region: fc.constantFrom('us-east-1', 'eu-west-1'),
        apiType: fc.constantFrom(
          'REST' as const,
          'HTTP' as const,
          'WEBSOCKET' as const,
        ),
        endpointType: fc.constantFrom('PRIVATE' as const, 'REGIONAL' as const),
        monthlyRequests: fc.integer({ min: 0, max: 30_000 * M }),
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(usage, apis => {
        const estimate = estimateMonthlyCost({ apis });
        for (const a of estimate.apis) {
          for (const l of a.lines)
            expect(l.amount).toBeCloseTo(l.quantity * l.unitPrice, 3);
          expect(a.total).toBeCloseTo(
            a.lines.reduce((s, l) => s + l.amount, 0),
            5,
          );
        }
        expect(estimate.total).toBeCloseTo(
          estimate.apis.reduce((s, a) => s + a.total, 0),
          5,
        );
        // The shares of a group add up to the group's requests, tier by tier.
        const groups = new Map<string, number>();
        apis.forEach((a, i) => {
          const key = `${a.accountId}${a.region}${a.apiType}`;
          const billed =
            estimate.apis[i].lines.reduce((s, l) => s + l.quantity, 0) * M;
          groups.set(key, (groups.get(key) ?? 0) + billed - a.monthlyRequests);
        });
        for (const difference of groups.values())
          expect(Math.abs(difference)).toBeLessThan(5);
      }),
      { numRuns: 200 },
    );
  });
});

describe('usageFromInventory', () => {
  it('scales traffic to a month and collects caches and shared VPC links once', () => {
    const link = {
      id: 'vl1',
      name: 'orders-link',
      version: 'V1' as const,
      targetArns: [
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-nlb/1',
      ],
      loadBalancers: [],
    };
    const usage = usageFromInventory([
      privateApi({
        traffic: { periodDays: 30, total: 3 * M, daily: [] },
        stages: [
          {
            stageName: 'prod',
            cacheClusterEnabled: true,
            cacheClusterSize: '0.5',
          },
          { stageName: 'test' },
        ],
        vpcLinks: [link],
      }),
      privateApi({ apiId: 'def456', name: 'billing', vpcLinks: [link] }),
    ]);
    expect(usage.apis[0]).toMatchObject({
      monthlyRequests: Math.round(((3 * M) / 30) * (730 / 24)),
      caches: [{ stage: 'prod', sizeGb: '0.5' }],
      vpcLinkIds: ['vl1'],
    });
    expect(usage.vpcLinks).toEqual([
      {
        id: 'vl1',
        accountId: '123456789012',
        region: 'us-east-1',
        loadBalancers: [{ arn: link.targetArns[0], type: 'network' }],
      },
    ]);
    expect(usage.assumptions).toContain(
      'No traffic data for billing (def456): no requests counted.',
    );
    const estimate = estimateMonthlyCost(usage);
    expect(byId(estimate, 'def456').lines).toEqual([
      expect.objectContaining({ category: 'load-balancer', quantity: 365 }),
    ]);
  });

  it('prices WebSocket connection minutes from the connections CloudWatch counted, at the assumed length', () => {
    const usage = usageFromInventory([
      privateApi({
        apiId: 'ws1',
        name: 'live',
        apiType: 'WEBSOCKET',
        endpointType: 'REGIONAL',
        traffic: {
          periodDays: 30,
          total: 300_000,
          daily: [],
          connectCount: 60_000,
        },
      }),
    ]);
    const connections = (60_000 / 30) * (730 / 24);
    expect(usage.apis[0].monthlyConnectionMinutes).toBe(
      Math.round(connections * 10),
    );
    expect(usage.assumptions).toContainEqual(
      expect.stringMatching(/stays open 10 minutes/),
    );
    const estimate = estimateMonthlyCost(usage);
    expect(byId(estimate, 'ws1').lines).toContainEqual(
      expect.objectContaining({ category: 'websocket-connection-minutes' }),
    );
  });
});

describe('money in the texts', () => {
  it('writes amounts to the cent and unit prices with the digits AWS uses', () => {
    expect(formatAmount(0.749)).toBe('$0.75');
    expect(formatAmount(1234.5)).toBe('$1,234.50');
    expect(formatAmount(0.0012)).toBe('less than $0.01');
    expect(formatAmount(0)).toBe('$0.00');
    expect(formatUnitPrice(3.5)).toBe('$3.50');
    expect(formatUnitPrice(0.0225)).toBe('$0.0225');
  });
});
