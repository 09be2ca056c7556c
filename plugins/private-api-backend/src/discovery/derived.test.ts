import {
  ApiRecord,
  estimateMonthlyCost,
  usageFromInventory,
} from '@private-api-catalog/plugin-private-api-common';
import {
  createTestDatabases,
  databaseServiceFor,
  testDatabaseIds,
} from '../__testUtils__/databases';
import { privateRestApi } from '../__testUtils__/records';
import { InventoryStore } from '../inventory/InventoryStore';
import { refreshDerivedFigures, scopeCostTotals } from './derived';

const databases = createTestDatabases();
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

/**
 * Seven APIs: five REST (four behind one VPC link's load balancer), two HTTP, with traffic
 * that takes the REST APIs together past the first request tier (333 million a month)
 * though none of them alone reaches it.
 */
function estate(): ApiRecord[] {
  const rest = Array.from({ length: 5 }, (_, i) =>
    privateRestApi({
      apiId: `rest${i}`,
      name: `rest-${i}`,
      ...(i === 4 ? { integrations: [] } : {}),
    }),
  );
  const http = Array.from({ length: 2 }, (_, i) =>
    privateRestApi({
      apiId: `http${i}`,
      name: `http-${i}`,
      apiType: 'HTTP',
      endpointType: 'REGIONAL',
      integrations: [],
    }),
  );
  return [...rest, ...http];
}

async function crawledEstate(databaseId: Parameters<typeof databases.init>[0]) {
  const store = await InventoryStore.create({
    database: databaseServiceFor(await databases.init(databaseId)),
  });
  await store.startScope({
    accountId: ACCOUNT,
    region: REGION,
    startedAt: new Date(),
  });
  const records = estate();
  for (const record of records) {
    await store.writeApi(
      'run1',
      { record, details: 'replace', fingerprint: 'x' },
      'owner',
    );
  }
  await store.writeTraffic(
    ACCOUNT,
    REGION,
    new Map(
      records.map((r, i) => [
        r.apiId,
        {
          periodDays: DAYS.length,
          total: 0,
          daily: DAYS.map((date, d) => ({
            date,
            count: 3_000_000 + i * 100_000 + d,
          })),
        },
      ]),
    ),
  );
  await store.replaceScopeResources(ACCOUNT, REGION, {
    vpcLinks: [
      {
        id: 'vl0001',
        name: 'orders',
        version: 'V1',
        targetArns: [
          'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/orders-nlb/abc',
        ],
        loadBalancers: [],
      },
    ],
    domains: [],
    vpcEndpoints: [],
    vpcs: [],
  });
  await store.completeScope(ACCOUNT, REGION, 'run1', {
    full: true,
    durationMs: 1,
    calls: 1,
    throttled: 0,
    finishedAt: new Date(),
  });
  return { store, records };
}

describe.each(testDatabaseIds())('refreshDerivedFigures (%s)', databaseId => {
  it('prices a scope a page at a time exactly as the whole scope at once: shared tiers and load balancers', async () => {
    const { store, records } = await crawledEstate(databaseId);
    await refreshDerivedFigures(store, ACCOUNT, REGION, undefined, {
      pageSize: 2,
    });

    const stored = await Promise.all(
      records.map(r => store.getApi(ACCOUNT, REGION, r.apiId)),
    );
    const whole = estimateMonthlyCost(usageFromInventory(stored.map(a => a!)));
    for (const expected of whole.apis) {
      const answers = await store.getStoredAnswers(
        ACCOUNT,
        REGION,
        expected.apiId,
      );
      const answer = JSON.parse(answers!.costJson!);
      expect(answer.estimate).toEqual(expected);
      expect(answer.advice).toEqual(
        whole.advice.filter(a => a.apiId === expected.apiId),
      );
    }
    // The tiers were shared: the REST APIs' requests span two tiers, each API pays its share.
    const rest0 = whole.apis.find(a => a.apiId === 'rest0')!;
    expect(rest0.lines.filter(l => l.category === 'requests')).toHaveLength(2);
    // The load balancer behind the VPC link is split between the four APIs that use it.
    expect(
      rest0.lines.find(l => l.category === 'load-balancer')?.description,
    ).toMatch(/a 1\/4 share \(4 APIs use the link\)/);
    // An API's answer carries its own assumptions, not the other APIs'.
    const http0 = JSON.parse(
      (await store.getStoredAnswers(ACCOUNT, REGION, 'http0'))!.costJson!,
    );
    expect(http0.assumptions.some((a: string) => a.includes('rest-1'))).toBe(
      false,
    );
    expect(http0.assumptions.some((a: string) => a.includes('http-0'))).toBe(
      true,
    );
  });

  it("writes nothing again when nothing changed, and re-prices every API when one API's traffic moves the totals", async () => {
    const { store } = await crawledEstate(databaseId);
    await refreshDerivedFigures(store, ACCOUNT, REGION, undefined, {
      pageSize: 3,
    });
    const before = await store.getStoredAnswers(ACCOUNT, REGION, 'rest0');

    const written: number[] = [];
    const write = store.writeDerivedFigures.bind(store);
    jest
      .spyOn(store, 'writeDerivedFigures')
      .mockImplementation(async figures => {
        written.push(
          figures.filter(
            f => Object.values(f).filter(v => v !== undefined).length > 1,
          ).length,
        );
        return write(figures);
      });
    await refreshDerivedFigures(store, ACCOUNT, REGION, undefined, {
      pageSize: 3,
    });
    expect(written).toEqual([0, 0, 0]);
    expect(await store.getStoredAnswers(ACCOUNT, REGION, 'rest0')).toEqual(
      before,
    );

    await store.writeTraffic(
      ACCOUNT,
      REGION,
      new Map([
        [
          'rest4',
          {
            periodDays: 1,
            total: 0,
            daily: [{ date: DAYS[0], count: 9_000_000 }],
          },
        ],
      ]),
    );
    written.length = 0;
    await refreshDerivedFigures(store, ACCOUNT, REGION, undefined, {
      pageSize: 3,
    });
    // The REST totals moved: every REST API's share changed; the HTTP APIs' tiers did not.
    expect(written.reduce((a, b) => a + b, 0)).toBe(5);
    const after = JSON.parse(
      (await store.getStoredAnswers(ACCOUNT, REGION, 'rest0'))!.costJson!,
    );
    expect(after.estimate.total).not.toBe(
      JSON.parse(before!.costJson!).estimate.total,
    );
  });

  it('refreshes only the re-crawled APIs while the shared totals stay, and every API when they move', async () => {
    const { store } = await crawledEstate(databaseId);
    await refreshDerivedFigures(store, ACCOUNT, REGION);
    const refreshed: string[] = [];
    const write = store.writeDerivedFigures.bind(store);
    jest
      .spyOn(store, 'writeDerivedFigures')
      .mockImplementation(async figures => {
        refreshed.push(...figures.map(f => f.apiKey.split(':').pop()!));
        return write(figures);
      });

    // rest1 re-crawled with a new description: its snapshot changes, the totals do not.
    const rest1 = estate()[1];
    let totalsBefore = await scopeCostTotals(store, ACCOUNT, REGION);
    await store.writeApi(
      'run1',
      {
        record: { ...rest1, description: 'now with a description' },
        details: 'replace',
        fingerprint: 'y',
      },
      'owner',
    );
    await refreshDerivedFigures(store, ACCOUNT, REGION, undefined, {
      only: { apiIds: ['rest1'], totalsBefore },
    });
    expect(refreshed).toEqual(['rest1']);
    const detail = await store.getStoredAnswers(ACCOUNT, REGION, 'rest1');
    expect(JSON.parse(detail!.detailJson!).description).toBe(
      'now with a description',
    );

    // rest0 no longer uses the VPC link: its load balancer's cost is shared by fewer APIs.
    refreshed.length = 0;
    totalsBefore = await scopeCostTotals(store, ACCOUNT, REGION);
    await store.writeApi(
      'run1',
      {
        record: { ...estate()[0], integrations: [] },
        details: 'replace',
        fingerprint: 'z',
      },
      'owner',
    );
    await refreshDerivedFigures(store, ACCOUNT, REGION, undefined, {
      only: { apiIds: ['rest0'], totalsBefore },
    });
    expect(refreshed.sort()).toEqual([
      'http0',
      'http1',
      'rest0',
      'rest1',
      'rest2',
      'rest3',
      'rest4',
    ]);
  });
});
