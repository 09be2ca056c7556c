import {
  CloudWatchClient,
  GetMetricDataCommand,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { Simulator } from '../index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from '../__testUtils__';

/** CloudWatch GetMetricData (awsJson1_0, query-compatible errors): deterministic API Gateway traffic. */
describe('CloudWatch', () => {
  let simulator: Simulator;
  let payments: CloudWatchClient;
  const end = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const start = new Date(end.getTime() - 14 * 86_400_000);

  beforeAll(async () => {
    simulator = await startSimulator();
    payments = new CloudWatchClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
  });
  afterAll(() => simulator.stop());

  const query = (
    id: string,
    metricName: string,
    dimensions: Record<string, string>,
    period = 86400,
    stat = 'Sum',
  ): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApiGateway',
        MetricName: metricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({
          Name,
          Value,
        })),
      },
      Period: period,
      Stat: stat,
    },
  });

  const total = (values: number[] | undefined) =>
    (values ?? []).reduce((a, b) => a + b, 0);

  it('answers REST Count by ApiName and by ApiName + Stage, consistent with each other and the estate', async () => {
    const { MetricDataResults } = await payments.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          query('all', 'Count', { ApiName: 'payments-api' }),
          query('prod', 'Count', { ApiName: 'payments-api', Stage: 'prod' }),
          query('staging', 'Count', {
            ApiName: 'payments-api',
            Stage: 'staging',
          }),
        ],
      }),
    );
    const [all, prod, staging] = MetricDataResults!;
    expect(all).toMatchObject({
      Id: 'all',
      Label: 'Count',
      StatusCode: 'Complete',
    });
    expect(all.Timestamps).toHaveLength(14);
    // Newest first by default, on day boundaries.
    expect(all.Timestamps![0].getTime()).toBe(end.getTime() - 86_400_000);
    expect(all.Timestamps![0].getTime()).toBeGreaterThan(
      all.Timestamps![1].getTime(),
    );
    expect(total(all.Values)).toBe(total(prod.Values) + total(staging.Values));
    // payments-api prod is configured with 250,000 requests a day.
    expect(total(prod.Values) / 14).toBeGreaterThan(200_000);
    expect(total(prod.Values) / 14).toBeLessThan(300_000);
  });

  it('gives the same numbers on every call', async () => {
    const ask = () =>
      payments.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [
            query('h', 'Count', { ApiName: 'card-tokenization-api' }, 3600),
          ],
        }),
      );
    const [a, b] = [await ask(), await ask()];
    expect(a.MetricDataResults![0].Values).toEqual(
      b.MetricDataResults![0].Values,
    );
    expect(a.MetricDataResults![0].Values!.length).toBeGreaterThan(300);
  });

  it('shows a rarely used API as a few requests a day', async () => {
    const { MetricDataResults } = await payments.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          query('ledger', 'Count', { ApiName: 'payments-ledger-internal' }),
        ],
      }),
    );
    const perDay = total(MetricDataResults![0].Values) / 14;
    expect(perDay).toBeGreaterThan(0.5);
    expect(perDay).toBeLessThan(8);
  });

  it('answers HTTP Count by ApiId, and WebSocket MessageCount and ConnectCount', async () => {
    const http = await payments.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          query('http', 'Count', {
            ApiId: DEMO.paymentsEventsHttp,
            Stage: '$default',
          }),
        ],
      }),
    );
    const { Timestamps, Values } = http.MetricDataResults![0];
    expect(Timestamps![0].getTime()).toBeLessThan(Timestamps![1].getTime());
    expect(total(Values) / 14).toBeGreaterThan(40_000);

    const identity = new CloudWatchClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.identity)),
    );
    const ws = await identity.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          query('messages', 'MessageCount', {
            ApiId: DEMO.identityNotificationsWs,
          }),
          query('connects', 'ConnectCount', {
            ApiId: DEMO.identityNotificationsWs,
          }),
          query('count', 'Count', { ApiId: DEMO.identityNotificationsWs }),
        ],
      }),
    );
    const [messages, connects, count] = ws.MetricDataResults!;
    expect(total(messages.Values) / 14).toBeGreaterThan(300_000);
    expect(total(connects.Values) / 14).toBeGreaterThan(6_000);
    expect(total(connects.Values) / 14).toBeLessThan(12_000);
    expect(count.Values).toEqual([]);
  });

  it('has no data for REST APIs by ApiId, unknown names or other accounts’ APIs', async () => {
    const { MetricDataResults } = await payments.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          query('byid', 'Count', { ApiId: DEMO.paymentsApi }),
          query('unknown', 'Count', { ApiName: 'no-such-api' }),
          query('other', 'Count', { ApiName: 'orders-internal' }),
          {
            ...query('hidden', 'Count', { ApiName: 'payments-api' }),
            ReturnData: false,
          },
        ],
      }),
    );
    expect(MetricDataResults!.map(r => [r.Id, r.Values])).toEqual([
      ['byid', []],
      ['unknown', []],
      ['other', []],
    ]);
  });

  it('rejects bad queries with the CloudWatch error codes', async () => {
    const period = await errorOf(
      payments.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [query('p', 'Count', { ApiName: 'x' }, 61)],
        }),
      ),
    );
    expect(period.name).toBe('InvalidParameterValueException');
    expect(period.Code).toBe('InvalidParameterValue');
    const range = await errorOf(
      payments.send(
        new GetMetricDataCommand({
          StartTime: end,
          EndTime: start,
          MetricDataQueries: [query('r', 'Count', { ApiName: 'x' })],
        }),
      ),
    );
    expect(range.name).toBe('InvalidParameterCombinationException');
    const math = await errorOf(
      payments.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }],
        }),
      ),
    );
    expect(math.name).toBe('InvalidParameterValueException');
    expect(math.message).toContain('not supported');
  });
});
