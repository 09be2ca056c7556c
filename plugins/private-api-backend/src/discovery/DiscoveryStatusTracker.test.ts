import { mockServices } from '@backstage/backend-test-utils';
import type { ScopeStatus } from '@private-api-catalog/plugin-private-api-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from '../service/router';
import {
  describeFrequency,
  DiscoveryStatusTracker,
} from './DiscoveryStatusTracker';

const T0 = '2026-11-25T10:00:00.000Z';

function scope(overrides: Partial<ScopeStatus>): ScopeStatus {
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    status: 'ok',
    apiCount: 1,
    generation: 1,
    ...overrides,
  };
}

function tracker(scopes: ScopeStatus[], now: string, publish = jest.fn()) {
  return new DiscoveryStatusTracker({
    schedule: { frequency: { minutes: 10 }, timeout: { minutes: 8 } },
    listScopes: async () => scopes,
    signals: { publish },
    now: () => new Date(now),
  });
}

describe('describeFrequency', () => {
  it('puts the schedule in words, with an interval only when there is one', () => {
    expect(describeFrequency({ minutes: 10 }).words).toBe('every 10 minutes');
    expect(describeFrequency({ minutes: 10 }).every?.toMillis()).toBe(600_000);
    expect(describeFrequency({ hours: 1, minutes: 30 }).words).toBe(
      'every 1 hour and 30 minutes',
    );
    expect(describeFrequency({ cron: '0 * * * *' })).toEqual({
      words: 'cron 0 * * * *',
    });
    expect(describeFrequency({ trigger: 'manual' })).toEqual({
      words: 'manual only',
    });
  });
});

describe('DiscoveryStatusTracker', () => {
  it('estimates the next run from the last stored crawl when this instance has not run', async () => {
    const status = await tracker(
      [
        scope({ lastStartedAt: T0, lastSuccessAt: '2026-11-25T10:01:00.000Z' }),
        scope({
          region: 'eu-west-1',
          lastStartedAt: '2026-11-25T10:00:02.000Z',
          lastFailureAt: '2026-11-25T10:00:40.000Z',
        }),
      ],
      '2026-11-25T10:05:00.000Z',
    ).status();
    expect(status).toEqual({
      configured: true,
      running: false,
      lastRun: {
        startedAt: '2026-11-25T10:00:02.000Z',
        finishedAt: '2026-11-25T10:01:00.000Z',
      },
      nextRunAt: '2026-11-25T10:10:02.000Z',
      schedule: 'every 10 minutes',
    });
  });

  it('reports a run of this instance while it runs and signals its start and end', async () => {
    const publish = jest.fn(async () => undefined);
    const t = tracker([], T0, publish);
    let finish!: () => void;
    const run = t.track(() => new Promise<void>(r => (finish = r)));
    await new Promise(r => setImmediate(r));
    expect(await t.status()).toMatchObject({
      running: true,
      lastRun: { startedAt: T0 },
      nextRunAt: '2026-11-25T10:10:00.000Z',
    });
    await t.scopeCrawled({
      accountId: '111111111111',
      region: 'us-east-1',
      ok: true,
    });
    finish();
    await run;
    expect((await t.status()).running).toBe(false);
    expect(publish.mock.calls.map(([signal]: any[]) => signal)).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'private-api:discovery',
        message: { type: 'run-started', at: T0 },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'private-api:discovery',
        message: {
          type: 'scope-crawled',
          at: T0,
          accountId: '111111111111',
          region: 'us-east-1',
          ok: true,
        },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'private-api:discovery',
        message: { type: 'run-finished', at: T0 },
      },
    ]);
  });

  it('sees a crawl in progress on another replica, but not one abandoned long ago', async () => {
    const inProgress = scope({
      lastStartedAt: T0,
      lastSuccessAt: '2026-11-25T09:50:30.000Z',
    });
    expect(
      (await tracker([inProgress], '2026-11-25T10:02:00.000Z').status())
        .running,
    ).toBe(true);
    expect(
      (await tracker([inProgress], '2026-11-25T12:00:00.000Z').status())
        .running,
    ).toBe(false);
  });

  it('keeps discovery going when publishing a signal fails', async () => {
    const t = tracker(
      [],
      T0,
      jest.fn(async () => {
        throw new Error('events backend down');
      }),
    );
    await expect(t.track(async () => 'done')).resolves.toBe('done');
  });
});

describe('GET /discovery/status', () => {
  async function app(discoveryStatus?: () => Promise<any>) {
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      store: {} as any,
      discoveryStatus,
    });
    return express().use(router);
  }

  it('answers with the tracker’s status', async () => {
    const t = tracker([scope({ lastStartedAt: T0, lastSuccessAt: T0 })], T0);
    const response = await request(await app(() => t.status())).get(
      '/discovery/status',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      configured: true,
      nextRunAt: '2026-11-25T10:10:00.000Z',
    });
  });

  it('says discovery is not configured when it is not', async () => {
    const response = await request(await app()).get('/discovery/status');
    expect(response.body).toEqual({ configured: false, running: false });
  });
});
