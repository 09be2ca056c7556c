import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Piscina } from 'piscina';
import { privateApiPlugin } from '../plugin';

describe('the policy worker pool in the backend', () => {
  afterEach(() => jest.restoreAllMocks());

  it('starts with the plugin and stops with the backend', async () => {
    const created: Piscina[] = [];
    const run = jest.spyOn(Piscina.prototype, 'run');
    const close = jest.spyOn(Piscina.prototype, 'close');
    const backend = await startTestBackend({
      features: [
        privateApiPlugin,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            privateApi: {
              accounts: [{ accountId: '111111111111' }],
              regions: ['us-east-1'],
              // Nothing is crawled: the test is about the pool's life.
              schedule: {
                frequency: { trigger: 'manual' },
                timeout: { minutes: 5 },
              },
              changeFeed: { enabled: false },
              policyWorkers: { threads: 1 },
            },
          },
        }),
      ],
    });
    // The pool's first job is its start-up check.
    expect(run).toHaveBeenCalled();
    created.push(run.mock.contexts[0] as Piscina);
    await (run.mock.results[0].value as Promise<unknown>);
    expect(created[0].threads.length).toBe(1);

    await backend.stop();
    expect(close).toHaveBeenCalledTimes(1);
    expect(close.mock.contexts[0]).toBe(created[0]);
    expect(created[0].threads.length).toBe(0);
  });
});
