import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { Piscina } from 'piscina';
import {
  Caller,
  DomainRecord,
  PolicyParseError,
  undoPolicyChange,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
// The benchmark's generator of worst-case policies: the policies the pool exists for.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  BENCH_API_ARN,
  generatePolicy,
} from '../../../../bench/policy/generate';
import {
  createPolicyWork,
  discoveryThreadsOf,
  inlinePolicyWork,
  PolicyWork,
  policyWorkerFile,
} from './PolicyWork';
import { callerAllowedOn, CallerCheckApi } from './functions';
import { privateRestApi } from '../__testUtils__/records';
import {
  endpointsHash,
  indexApi,
  indexDomain,
  indexInputsHash,
} from '../inventory/reverseIndex';

function endpointRecord(vpcEndpointId: string, vpcId: string) {
  return {
    vpcEndpointId,
    vpcId,
    ownerAccountId: '111122223333',
    region: 'eu-west-1',
    state: 'available',
    privateDnsEnabled: false,
    serviceName: 'com.amazonaws.eu-west-1.execute-api',
    dnsNames: [],
    subnetIds: [],
    securityGroupIds: [],
    tags: {},
  } as VpcEndpointRecord;
}
import type { requestChange } from './functions';

const STAGES = ['prod', 'beta', 'dev', 'test'];

function vpceFor(seed: number) {
  return `vpce-${(seed * 2654435761)
    .toString(16)
    .padStart(17, '0')
    .slice(-17)}`;
}

describe('policy work on worker threads', () => {
  const logger = mockServices.logger.mock();
  let pool: PolicyWork;

  beforeAll(() => {
    pool = createPolicyWork({ threads: 1, maxQueue: 100 }, logger);
  });

  afterAll(async () => {
    await pool.close();
  });

  it('loads the worker entry from this package', async () => {
    expect(policyWorkerFile()).toMatch(/policyWork[\\/]worker\.ts$/);
    expect(await pool.mode()).toBe('threads');
  });

  it('answers as the inline functions do, on generated worst-case policies', async () => {
    for (const [seed, size] of [
      [1, 2_000],
      [2, 8_192],
      [3, 8_192],
      [4, 20_000],
    ]) {
      const policy = JSON.stringify(generatePolicy(seed * 7919 + size, size));
      const vpce = vpceFor(seed);
      const analysisArgs = [
        policy,
        { apiArn: BENCH_API_ARN, stages: STAGES },
      ] as const;
      const grant: Parameters<typeof requestChange> = [
        { kind: 'grant', vpcEndpointId: vpce, stages: ['prod'] },
        policy,
        BENCH_API_ARN,
      ];
      const revoke: Parameters<typeof requestChange> = [
        { kind: 'revoke', vpcId: 'vpc-0123456789abcdef0', stages: [] },
        policy,
        BENCH_API_ARN,
      ];

      const analysis = await pool.run('analyzeResourcePolicy', ...analysisArgs);
      expect(analysis).toEqual(
        await inlinePolicyWork.run('analyzeResourcePolicy', ...analysisArgs),
      );
      expect(analysis.statements.length).toBeGreaterThan(0);

      const granted = await pool.run('requestChange', ...grant);
      expect(granted).toEqual(
        await inlinePolicyWork.run('requestChange', ...grant),
      );
      expect(granted.changed).toBe(true);
      expect(await pool.run('requestChange', ...revoke)).toEqual(
        await inlinePolicyWork.run('requestChange', ...revoke),
      );

      const undo = await pool.run(
        'undoPolicyChange',
        granted.policyJson,
        policy,
        granted.policyJson,
      );
      expect(undo).toEqual(
        undoPolicyChange(granted.policyJson, policy, granted.policyJson),
      );
      expect(undo.clean).toBe(true);

      // Whether the endpoint may call every route of some stages, before and after the grant.
      const api = {
        policy,
        executeApiArn: BENCH_API_ARN,
        region: 'eu-west-1',
        stages: STAGES.map(stageName => ({ stageName })),
        routes: ['GET /orders', 'POST /orders', 'GET /orders/{id}'].map(r => ({
          routeKey: r,
          method: r.split(' ')[0],
          path: r.split(' ')[1],
        })),
      } as unknown as CallerCheckApi;
      const endpoints = [
        {
          vpcEndpointId: vpce,
          vpcId: 'vpc-0123456789abcdef0',
          region: 'eu-west-1',
        },
      ] as VpcEndpointRecord[];
      const check: Parameters<typeof callerAllowedOn> = [
        api,
        [['prod'], ['beta'], []],
        { vpcEndpointId: vpce },
        endpoints,
      ];
      const before = await pool.run('callerAllowedOn', ...check);
      expect(before).toEqual(callerAllowedOn(...check));
      const afterGrant: Parameters<typeof callerAllowedOn> = [
        { ...api, policy: granted.policyJson },
        ...(check.slice(1) as [string[][], Caller, VpcEndpointRecord[]]),
      ];
      expect(await pool.run('callerAllowedOn', ...afterGrant)).toEqual(
        callerAllowedOn(...afterGrant),
      );
    }
  });

  it('indexes an API for the estate questions as the event loop does', async () => {
    const endpoints = Array.from({ length: 30 }, (_, i) =>
      endpointRecord(
        i === 0 ? vpceFor(2) : `vpce-${i.toString(16).padStart(17, '0')}`,
        `vpc-${(i % 7).toString(16).padStart(17, '0')}`,
      ),
    );
    const regionHash = endpointsHash(endpoints);
    for (const [seed, size] of [
      [1, 2_000],
      [2, 8_192],
    ]) {
      const api = privateRestApi({
        accountId: '111122223333',
        region: 'eu-west-1',
        executeApiArn: BENCH_API_ARN,
        policy: JSON.stringify(generatePolicy(seed * 7919 + size, size)),
      });
      const hash = indexInputsHash(api, regionHash, 1);
      const threaded = await pool.run(
        'indexApiEntry',
        api,
        JSON.stringify(endpoints),
        regionHash,
        1,
        hash,
      );
      expect(threaded).toEqual(indexApi(api, endpoints, regionHash, 1, hash));
      expect(threaded.callers.length).toBeGreaterThan(0);
    }
  });

  it('indexes a private custom domain as the event loop does', async () => {
    const endpoints = Array.from({ length: 30 }, (_, i) =>
      endpointRecord(
        `vpce-${i.toString(16).padStart(17, '0')}`,
        `vpc-${(i % 7).toString(16).padStart(17, '0')}`,
      ),
    );
    const regionHash = endpointsHash(endpoints);
    const domain: DomainRecord = {
      domainName: 'orders.internal.example.com',
      domainNameId: 'a1b2c3',
      domainNameArn:
        'arn:aws:apigateway:eu-west-1:111122223333:/domainnames/orders.internal.example.com+a1b2c3',
      endpointType: 'PRIVATE',
      accountId: '111122223333',
      region: 'eu-west-1',
      // Lets in every endpoint but the first (and only the associated ones get in).
      policy: JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: '*',
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceVpce': endpoints[0].vpcEndpointId },
            },
          },
        ],
      }),
      accessAssociations: endpoints
        .filter((_, i) => i % 2 === 0)
        .map(e => ({ vpcEndpointId: e.vpcEndpointId })),
      mappings: [],
    };
    const threaded = await pool.run(
      'indexDomainEntry',
      domain,
      JSON.stringify(endpoints),
      regionHash,
    );
    expect(threaded).toEqual(indexDomain(domain, endpoints));
    // The associated endpoints but the denied first one.
    expect(threaded.map(r => r.caller)).toEqual(
      endpoints
        .filter((_, i) => i % 2 === 0 && i > 0)
        .map(e => e.vpcEndpointId),
    );
  });

  it('throws what the policy functions throw, with its class', async () => {
    const args = [
      '{"Statement": [{"Effect": "Maybe"}]}',
      { apiArn: BENCH_API_ARN },
    ] as const;
    const inline = await inlinePolicyWork
      .run('analyzeResourcePolicy', ...args)
      .catch(e => e);
    const threaded = await pool
      .run('analyzeResourcePolicy', ...args)
      .catch(e => e);
    expect(inline).toBeInstanceOf(PolicyParseError);
    expect(threaded).toBeInstanceOf(PolicyParseError);
    expect(threaded.message).toBe(inline.message);
    expect(threaded.path).toBe(inline.path);
  });
});

describe('the policy worker pool', () => {
  it('refuses jobs past its queue with 503 and answers the others', async () => {
    const logger = mockServices.logger.mock();
    const pool = createPolicyWork({ threads: 1, maxQueue: 1 }, logger);
    try {
      await pool.mode();
      const policy = JSON.stringify(generatePolicy(7, 20_000));
      const jobs = Array.from({ length: 4 }, () =>
        pool
          .run('analyzeResourcePolicy', policy, { apiArn: BENCH_API_ARN })
          .then(
            () => 'done',
            e => e,
          ),
      );
      const outcomes = await Promise.all(jobs);
      // One runs, one waits; the other two find the queue full.
      expect(outcomes.filter(o => o === 'done')).toHaveLength(2);
      const refused = outcomes.filter(o => o !== 'done');
      expect(refused).toHaveLength(2);
      expect(refused[0]).toBeInstanceOf(ServiceUnavailableError);
      expect(refused[0].message).toMatch(/privateApi\.policyWorkers\.maxQueue/);
    } finally {
      await pool.close();
    }
  });

  /** A job of the blocking worker: it says when it started and ends when released. */
  class Gate {
    readonly buffer = new SharedArrayBuffer(8);
    private readonly cells = new Int32Array(this.buffer);

    started() {
      return Atomics.load(this.cells, 0) === 1;
    }

    /** Resolves once the job started; fails the test if it does not within 20 s. */
    async whenStarted(what: string) {
      const deadline = Date.now() + 20_000;
      while (!this.started()) {
        if (Date.now() > deadline) throw new Error(`${what} did not start`);
        await new Promise(r => setTimeout(r, 5));
      }
    }

    release() {
      Atomics.store(this.cells, 1, 1);
      Atomics.notify(this.cells, 1);
    }

    run(work: PolicyWork): Promise<unknown> {
      // `block` exists only in the test worker.
      return (work.run as (...a: unknown[]) => Promise<unknown>)(
        'block',
        this.buffer,
      );
    }
  }

  it("runs users' jobs before discovery's that wait, and discovery's in order", async () => {
    const submitted = jest.spyOn(Piscina.prototype, 'run');
    const pool = createPolicyWork(
      { threads: 1, maxQueue: 100 },
      mockServices.logger.mock(),
      { workerFile: require.resolve('../__testUtils__/blockingPolicyWorker') },
    );
    const first = new Gate();
    const discovery = [new Gate(), new Gate()];
    const second = new Gate();
    try {
      expect(await pool.mode()).toBe('threads');
      // A user's job holds the only thread; discovery's come, then another user's.
      const jobs = [first.run(pool)];
      await first.whenStarted("the first user's job");
      jobs.push(...discovery.map(g => g.run(pool.background())));
      jobs.push(second.run(pool));
      // The start-up check, the first job, one of discovery's (the other waits for it) and
      // the second user's have reached the pool's queue.
      while (submitted.mock.calls.length < 4)
        await new Promise(r => setTimeout(r, 5));
      first.release();
      await second.whenStarted("the second user's job");
      expect(discovery.map(g => g.started())).toEqual([false, false]);
      second.release();
      await discovery[0].whenStarted('the first discovery job');
      expect(discovery[1].started()).toBe(false);
      discovery[0].release();
      await discovery[1].whenStarted('the second discovery job');
      discovery[1].release();
      expect(await Promise.all(jobs)).toEqual(Array(4).fill('released'));
    } finally {
      [first, second, ...discovery].forEach(g => g.release());
      submitted.mockRestore();
      await pool.close();
    }
  });

  it("keeps a thread for users' jobs while discovery's hold the others", async () => {
    const pool = createPolicyWork(
      { threads: 2, maxQueue: 100 },
      mockServices.logger.mock(),
      {
        workerFile: require.resolve('../__testUtils__/blockingPolicyWorker'),
      },
    );
    const discovery = [new Gate(), new Gate(), new Gate()];
    const user = new Gate();
    try {
      expect(await pool.mode()).toBe('threads');
      const discoveryJobs = discovery.map(g => g.run(pool.background()));
      await discovery[0].whenStarted('the first discovery job');
      // Discovery has more jobs than threads, and one of them holds a thread until released:
      // a user's job still starts at once, on the thread kept for users.
      const userJob = user.run(pool);
      await user.whenStarted("the user's job");
      expect(discovery.map(g => g.started())).toEqual([true, false, false]);
      user.release();
      expect(await userJob).toBe('released');
      // Discovery's jobs go on one after the other.
      discovery[0].release();
      await discovery[1].whenStarted('the second discovery job');
      expect(discovery[2].started()).toBe(false);
      discovery[1].release();
      discovery[2].release();
      expect(await Promise.all(discoveryJobs)).toEqual([
        'released',
        'released',
        'released',
      ]);
    } finally {
      [...discovery, user].forEach(g => g.release());
      await pool.close();
    }
  });

  it('gives discovery every thread but one, and the only thread when there is one', () => {
    expect(discoveryThreadsOf({ threads: 1, maxQueue: 1 })).toBe(1);
    expect(discoveryThreadsOf({ threads: 2, maxQueue: 1 })).toBe(1);
    expect(discoveryThreadsOf({ threads: 4, maxQueue: 1 })).toBe(3);
    expect(
      discoveryThreadsOf({ threads: 4, maxQueue: 1, discoveryThreads: 4 }),
    ).toBe(4);
  });

  it('runs inline, and says so, when its threads cannot start', async () => {
    const logger = mockServices.logger.mock();
    const pool = createPolicyWork({ threads: 1, maxQueue: 10 }, logger, {
      workerFile: '/nonexistent/policyWorker.js',
    });
    try {
      expect(await pool.mode()).toBe('inline');
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/could not start.*run on the event loop/),
      );
      const change = await pool.run(
        'requestChange',
        { kind: 'grant', vpcId: 'vpc-0123456789abcdef0', stages: [] },
        undefined,
        BENCH_API_ARN,
      );
      expect(change.changed).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('runs inline when threads is 0', async () => {
    const logger = mockServices.logger.mock();
    const pool = createPolicyWork({ threads: 0, maxQueue: 10 }, logger);
    expect(await pool.mode()).toBe('inline');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('stops its threads on close; later jobs run inline', async () => {
    const pool = createPolicyWork(
      { threads: 1, maxQueue: 10 },
      mockServices.logger.mock(),
    );
    expect(await pool.mode()).toBe('threads');
    await pool.close();
    expect(await pool.mode()).toBe('inline');
    const analysis = await pool.run('analyzeResourcePolicy', undefined, {
      apiArn: BENCH_API_ARN,
    });
    expect(analysis.hasPolicy).toBe(false);
  });
});
