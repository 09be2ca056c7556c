import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { ScopeClients } from '../aws/clients';
import { TrafficReads, TrafficSubject } from './traffic';

const subjects: TrafficSubject[] = Array.from({ length: 5 }, (_, i) => ({
  apiId: `api${i}`,
  name: `api-${i}`,
  apiType: 'HTTP',
}));

/** A CloudWatch that answers one request a day for every query, or fails the n-th call. */
function cloudwatch(failOnCall?: number) {
  let calls = 0;
  const send = jest.fn(async (command: GetMetricDataCommand) => {
    calls += 1;
    if (calls === failOnCall)
      throw new Error('ThrottlingException: Rate exceeded');
    return {
      MetricDataResults: command.input.MetricDataQueries!.map(q => ({
        Id: q.Id,
        Timestamps: [new Date(Date.now() - 86_400_000)],
        Values: [1],
      })),
    };
  });
  return { clients: { cloudwatch: { send } } as unknown as ScopeClients, send };
}

/** Reads of one account-Region in batches of 2, stored by a recording store. */
function trafficReads(clients: ScopeClients) {
  const writeTraffic = jest.fn(async () => {});
  const reads = new TrafficReads({
    clients,
    store: { writeTraffic },
    accountId: '111111111111',
    region: 'us-east-1',
    days: 7,
    batch: 2,
  });
  return { reads, writeTraffic };
}

describe('TrafficReads', () => {
  it('reads and stores every API in batches as they are added', async () => {
    const { clients, send } = cloudwatch();
    const { reads, writeTraffic } = trafficReads(clients);
    subjects.forEach(s => reads.add(s));
    await reads.finish();
    expect(send).toHaveBeenCalledTimes(3);
    const stored = writeTraffic.mock.calls.flatMap(call => [
      ...(call as unknown as [string, string, Map<string, unknown>])[2].keys(),
    ]);
    expect(stored).toEqual(subjects.map(s => s.apiId));
    expect(writeTraffic.mock.calls.map(call => (call as unknown[])[0])).toEqual(
      ['111111111111', '111111111111', '111111111111'],
    );
  });

  it('fails the crawl at the end with the first failed batch, and reads no more after it', async () => {
    const { clients, send } = cloudwatch(2);
    const { reads, writeTraffic } = trafficReads(clients);
    subjects.forEach(s => reads.add(s));
    await expect(reads.finish()).rejects.toThrow(/Rate exceeded/);
    expect(send).toHaveBeenCalledTimes(2);
    expect(writeTraffic).toHaveBeenCalledTimes(1);
  });
});
