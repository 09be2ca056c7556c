import { SimError } from '../errors';
import type { RegionState, TrafficSpec } from '../estate/model';
import {
  countInBucket,
  dataWindow,
  hashSeed,
  dailyVolume,
  TrafficMetric,
  Window,
} from '../estate/traffic';
import { awsJsonEndpoint, JsonOperations } from './jsonEndpoint';
import type { CallContext } from './types';

/**
 * CloudWatch GetMetricData for `AWS/ApiGateway` traffic. The installed client speaks
 * awsJson1_0 with awsQuery-compatible error codes (x-amzn-query-error).
 *
 * Dimensions as API Gateway publishes them (AWS-FACTS §8): REST `ApiName` (+`Stage`),
 * HTTP and WebSocket `ApiId` (+`Stage`). Metrics: `Count` (REST, HTTP), `MessageCount`
 * and `ConnectCount` (WebSocket). Other metrics and dimension sets have no data.
 */

const SERVICE_TARGET = 'GraniteServiceVersion20100801';
const MAX_DATAPOINTS = 100_800;
const invalid = (message: string) =>
  new SimError('InvalidParameterValue', message, 400);
const missing = (message: string) =>
  new SimError('MissingParameter', message, 400);

interface Series {
  seedHash: number;
  traffic: TrafficSpec;
  window: Window;
}

interface Query {
  Id?: unknown;
  Label?: unknown;
  ReturnData?: unknown;
  Expression?: unknown;
  MetricStat?: {
    Metric?: {
      Namespace?: unknown;
      MetricName?: unknown;
      Dimensions?: Array<{ Name?: unknown; Value?: unknown }>;
    };
    Period?: unknown;
    Stat?: unknown;
  };
}

/** HTTP APIs publish Count; WebSocket APIs MessageCount and ConnectCount. */
function trafficMetricOf(
  protocolType: string,
  metricName: string,
): TrafficMetric | undefined {
  if (protocolType === 'HTTP')
    return metricName === 'Count' ? 'requests' : undefined;
  if (metricName === 'MessageCount') return 'requests';
  if (metricName === 'ConnectCount') return 'connects';
  return undefined;
}

/** The stages whose traffic a metric + dimension set adds up; empty when nothing matches. */
function seriesFor(
  region: RegionState,
  metricName: string,
  dimensions: Record<string, string>,
  now: Date,
): { series: Series[]; metric: TrafficMetric } {
  const keys = Object.keys(dimensions).sort().join(',');
  const stageFilter = dimensions.Stage;
  const none = { series: [], metric: 'requests' as TrafficMetric };
  if (keys === 'ApiName' || keys === 'ApiName,Stage') {
    if (metricName !== 'Count') return none;
    const apis = region.restApis.filter(api => api.name === dimensions.ApiName);
    return {
      metric: 'requests',
      series: apis.flatMap(api =>
        api.stages
          .filter(
            stage =>
              stageFilter === undefined || stage.stageName === stageFilter,
          )
          .map(stage => ({
            seedHash: hashSeed(`${api.id}:${stage.stageName}`),
            traffic: stage.traffic,
            window: dataWindow(api.createdDate, now),
          })),
      ),
    };
  }
  if (keys === 'ApiId' || keys === 'ApiId,Stage') {
    const api = region.v2ApisById.get(dimensions.ApiId);
    if (!api) return none;
    const metric = trafficMetricOf(api.protocolType, metricName);
    if (!metric) return none;
    return {
      metric,
      series: api.stages
        .filter(
          stage => stageFilter === undefined || stage.stageName === stageFilter,
        )
        .map(stage => ({
          seedHash: hashSeed(`${api.apiId}:${stage.stageName}:${metric}`),
          traffic: stage.traffic,
          window: dataWindow(api.createdDate, now),
        })),
    };
  }
  return none;
}

function epoch(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw missing(`The parameter ${name} is required (epoch seconds).`);
  return value * 1000;
}

function getMetricData(
  ctx: CallContext,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const queries = body.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0)
    throw missing('The parameter MetricDataQueries is required.');
  if (queries.length > 500)
    throw invalid(
      'The collection MetricDataQueries must not have a size greater than 500.',
    );
  const start = epoch(body.StartTime, 'StartTime');
  const end = epoch(body.EndTime, 'EndTime');
  if (start >= end) {
    throw new SimError(
      'InvalidParameterCombination',
      'The parameter StartTime must be less than the parameter EndTime.',
      400,
    );
  }
  const scanBy = body.ScanBy ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw invalid(
      `The value ${String(scanBy)} for parameter ScanBy is not valid.`,
    );
  }

  let datapoints = 0;
  const results = (queries as Query[]).map((query, i) => {
    const member = `MetricDataQueries.member.${i + 1}`;
    if (
      typeof query.Id !== 'string' ||
      !/^[a-z][a-zA-Z0-9_]{0,254}$/.test(query.Id)
    ) {
      throw invalid(
        `The value ${String(
          query.Id,
        )} for parameter ${member}.Id is not valid: it must start with a lowercase letter.`,
      );
    }
    if (query.Expression !== undefined) {
      throw invalid(
        `${member}: metric math expressions are not supported by the simulator; use MetricStat.`,
      );
    }
    const stat = query.MetricStat;
    const metric = stat?.Metric;
    if (!stat || !metric || typeof metric.MetricName !== 'string') {
      throw missing(
        `The parameter ${member}.MetricStat.Metric.MetricName is required.`,
      );
    }
    const period = stat.Period;
    if (
      typeof period !== 'number' ||
      !Number.isInteger(period) ||
      period < 1 ||
      (period % 60 !== 0 && ![1, 5, 10, 30].includes(period))
    ) {
      throw invalid(
        `The value ${String(
          period,
        )} for parameter ${member}.MetricStat.Period is not valid: use 1, 5, 10, 30 or a multiple of 60.`,
      );
    }
    if (
      !['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'].includes(
        String(stat.Stat),
      )
    ) {
      throw invalid(
        `The value ${String(
          stat.Stat,
        )} for parameter ${member}.MetricStat.Stat is not valid: the simulator supports Sum, SampleCount, Average, Minimum and Maximum.`,
      );
    }
    const dimensions = Object.fromEntries(
      (metric.Dimensions ?? []).map(d => [String(d.Name), String(d.Value)]),
    );
    const { series, metric: trafficMetric } =
      metric.Namespace === 'AWS/ApiGateway'
        ? seriesFor(ctx.regionState, metric.MetricName, dimensions, ctx.now)
        : { series: [], metric: 'requests' as TrafficMetric };

    const periodMs = period * 1000;
    const first = Math.floor(start / periodMs) * periodMs;
    const buckets = Math.ceil((end - first) / periodMs);
    datapoints += buckets;
    if (datapoints > MAX_DATAPOINTS) {
      throw invalid(
        `The simulator returns at most ${MAX_DATAPOINTS} datapoints per call (no NextToken paging); use a longer period or a shorter range.`,
      );
    }
    const timestamps: number[] = [];
    const values: number[] = [];
    if (series.length > 0) {
      for (let b = 0; b < buckets; b++) {
        const bucketStart = first + b * periodMs;
        const sum = series.reduce(
          (total, s) =>
            total +
            countInBucket(
              s.seedHash,
              dailyVolume(s.traffic, trafficMetric),
              bucketStart,
              periodMs,
              s.window,
            ),
          0,
        );
        // Like CloudWatch, a period without requests has no data point.
        if (sum === 0) continue;
        timestamps.push(bucketStart / 1000);
        // Each request is one sample of value 1: Sum and SampleCount count them, the rest are 1.
        values.push(
          stat.Stat === 'Sum' || stat.Stat === 'SampleCount' ? sum : 1,
        );
      }
    }
    if (scanBy === 'TimestampDescending') {
      timestamps.reverse();
      values.reverse();
    }
    return {
      returnData: query.ReturnData !== false,
      result: {
        Id: query.Id,
        Label:
          typeof query.Label === 'string' ? query.Label : metric.MetricName,
        Timestamps: timestamps,
        Values: values,
        StatusCode: 'Complete',
      },
    };
  });
  return {
    MetricDataResults: results.filter(r => r.returnData).map(r => r.result),
    Messages: [],
  };
}

const operations: JsonOperations = {
  GetMetricData: getMetricData,
};

export const cloudWatchEndpoint = awsJsonEndpoint({
  signingName: 'monitoring',
  displayName: 'CloudWatch',
  serviceTarget: SERVICE_TARGET,
  version: '1.0',
  queryCompatible: true,
  operations,
  errors: {
    throttling: retryAfterSeconds =>
      new SimError('Throttling', 'Rate exceeded', 400, { retryAfterSeconds }),
    accessDenied: (identity, operation) =>
      new SimError(
        'AccessDenied',
        `User: ${identity.arn} is not authorized to perform: cloudwatch:${operation}`,
        403,
      ),
    serverError: status =>
      status === 503
        ? new SimError('ServiceUnavailable', 'Service is unavailable', 503)
        : new SimError(
            'InternalServiceError',
            'An internal error occurred',
            500,
          ),
    expiredToken: () =>
      new SimError(
        'ExpiredToken',
        'The security token included in the request is expired',
        403,
      ),
  },
});
