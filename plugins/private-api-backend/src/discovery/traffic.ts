import {
  GetMetricDataCommand,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type {
  ApiType,
  TrafficRecord,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeClients } from '../aws/clients';
import type { InventoryStore } from '../inventory/InventoryStore';

/** GetMetricData takes at most 500 queries per call (AWS-FACTS §8). */
const QUERIES_PER_CALL = 500;
const DAY_MS = 86_400_000;

export interface TrafficSubject {
  apiId: string;
  name: string;
  apiType: ApiType;
}

/**
 * The metric that counts an API's traffic (AWS-FACTS §8): REST APIs report `Count` by
 * `ApiName` (so two REST APIs with one name in one Region share a series), HTTP APIs
 * `Count` by `ApiId`, WebSocket APIs `MessageCount` and `ConnectCount` by `ApiId`.
 */
function queriesFor(subject: TrafficSubject, index: number): MetricDataQuery[] {
  const metric = (
    id: string,
    metricName: string,
    dimension: { Name: string; Value: string },
  ) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApiGateway',
        MetricName: metricName,
        Dimensions: [dimension],
      },
      Period: 86_400,
      Stat: 'Sum',
    },
    ReturnData: true,
  });
  switch (subject.apiType) {
    case 'REST':
      return [
        metric(`c${index}`, 'Count', { Name: 'ApiName', Value: subject.name }),
      ];
    case 'HTTP':
      return [
        metric(`c${index}`, 'Count', { Name: 'ApiId', Value: subject.apiId }),
      ];
    default:
      return [
        metric(`c${index}`, 'MessageCount', {
          Name: 'ApiId',
          Value: subject.apiId,
        }),
        metric(`k${index}`, 'ConnectCount', {
          Name: 'ApiId',
          Value: subject.apiId,
        }),
      ];
  }
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Daily traffic of the last `days` whole days for each API, in as few GetMetricData calls
 * as the 500-query limit allows. Days without data count as zero.
 */
export async function crawlTraffic(
  clients: ScopeClients,
  subjects: TrafficSubject[],
  days: number,
  now: Date = new Date(),
): Promise<Map<string, TrafficRecord>> {
  const end = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const start = new Date(end.getTime() - days * DAY_MS);
  const allDays = Array.from({ length: days }, (_, i) =>
    dayOf(new Date(start.getTime() + i * DAY_MS)),
  );

  const queries = subjects.flatMap((s, i) => queriesFor(s, i));
  const values = new Map<string, Map<string, number>>();
  for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
    let nextToken: string | undefined;
    do {
      const page = await clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries.slice(i, i + QUERIES_PER_CALL),
          StartTime: start,
          EndTime: end,
          NextToken: nextToken,
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const series = values.get(result.Id!) ?? new Map<string, number>();
        (result.Timestamps ?? []).forEach((t, j) => {
          const day = dayOf(new Date(t));
          series.set(day, (series.get(day) ?? 0) + (result.Values?.[j] ?? 0));
        });
        values.set(result.Id!, series);
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }

  const traffic = new Map<string, TrafficRecord>();
  subjects.forEach((subject, index) => {
    const series = values.get(`c${index}`) ?? new Map();
    const daily = allDays.map(date => ({
      date,
      count: Math.round(series.get(date) ?? 0),
    }));
    const record: TrafficRecord = {
      periodDays: days,
      total: daily.reduce((sum, d) => sum + d.count, 0),
      daily,
    };
    if (subject.apiType === 'WEBSOCKET') {
      const connects = values.get(`k${index}`) ?? new Map();
      record.connectCount = Math.round(
        [...connects.values()].reduce((a, b) => a + b, 0),
      );
    }
    traffic.set(subject.apiId, record);
  });
  return traffic;
}

/**
 * Reads and stores the traffic of the APIs a crawl writes, a batch at a time while the crawl
 * goes on (it waits on API Gateway's quota most of the time; CloudWatch has its own), so
 * that after the last API only the last batch is left. The batches run one at a time; the
 * first failure fails the crawl of the scope when it finishes, as a read after the crawl
 * would have.
 */
export class TrafficReads {
  private pending: TrafficSubject[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly options: {
      clients: ScopeClients;
      store: Pick<InventoryStore, 'writeTraffic'>;
      accountId: string;
      region: string;
      days: number;
      /** APIs a batch reads: fewer than a call's 500 queries, so the reads start early. */
      batch: number;
    },
  ) {}

  add(subject: TrafficSubject) {
    this.pending.push(subject);
    if (this.pending.length >= this.options.batch) this.flush();
  }

  /** Reads what is left; throws the first batch's failure, if any. */
  async finish(): Promise<void> {
    this.flush();
    await this.chain;
    if (this.failure) throw this.failure.error;
  }

  private flush() {
    if (this.pending.length === 0) return;
    const subjects = this.pending;
    this.pending = [];
    const { clients, store, accountId, region, days } = this.options;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await store.writeTraffic(
          accountId,
          region,
          await crawlTraffic(clients, subjects, days),
        );
      } catch (error) {
        this.failure = { error };
      }
    });
  }
}
