import { Simulator, start } from '@private-api-catalog/aws-simulator';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Knex, { Knex as KnexType } from 'knex';
import {
  accessEstate,
  API_ID,
  CONSUMER_VPCE,
  PRODUCER,
} from '../__testUtils__/accessEstate';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  apiState,
  awsDecision,
  CONSUMER_USER,
  OWNER_USER,
} from './__testUtils__/accessStack';
import { standaloneAccessService } from './__testUtils__/standaloneService';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const LEASE_SECONDS = 5;
const CHILD = path.join(__dirname, '__testUtils__', 'applyChild.ts');

/**
 * A database two processes can share: a SQLite file (the in-memory test database is one
 * process's), or the test's PostgreSQL database.
 */
async function sharedDatabase(databaseId: string) {
  if (databaseId.startsWith('SQLITE')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'private-api-recovery-'));
    const connection = { filename: path.join(dir, 'backstage.sqlite') };
    const knex = Knex({
      client: 'better-sqlite3',
      connection,
      useNullAsDefault: true,
    });
    return {
      knex,
      client: 'better-sqlite3',
      connection,
      async cleanup() {
        await knex.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const knex = await databases.init(databaseId as any);
  return {
    knex,
    client: 'pg',
    connection: (knex.client as any).config.connection,
    async cleanup() {},
  };
}

async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

/** Starts a replica that applies the request; resolves once it runs. */
function startReplica(input: object): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--require', '@backstage/cli-node/config/nodeTransform.cjs', CHILD],
    {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, PRIVATE_API_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr!.on('data', d => process.stderr.write(`[replica] ${d}`));
  return child;
}

describe.each(databases.eachSupportedId())(
  'recovery of an apply whose process is killed, on %p',
  databaseId => {
    let simulator: Simulator | undefined;
    let shared: Awaited<ReturnType<typeof sharedDatabase>> | undefined;
    let child: ChildProcess | undefined;
    afterEach(async () => {
      child?.kill('SIGKILL');
      await simulator?.stop();
      await shared?.cleanup();
      delete process.env.AWS_ENDPOINT_URL_STS;
      simulator = undefined;
      shared = undefined;
      child = undefined;
    });

    async function setUp() {
      simulator = await start({
        estate: accessEstate(),
        quotas: false,
        latencyMs: 20,
      });
      shared = await sharedDatabase(databaseId);
      const accounts = simulator.estate.accounts.map(a => ({
        accountId: a.id,
        name: a.name,
      }));
      const regions = ['us-east-1', 'eu-west-1'];
      const local = await standaloneAccessService({
        knex: shared.knex,
        simulatorUrl: simulator.url,
        accounts,
        regions,
        leaseSeconds: LEASE_SECONDS,
        owners: ['group:default/team-orders'],
      });
      await local.runner.run();
      const request = await local.service.create(
        {
          accountId: PRODUCER,
          region: 'us-east-1',
          apiId: API_ID,
          vpcEndpointId: CONSUMER_VPCE,
          justification: 'Checkout calls orders at payment time',
        },
        CONSUMER_USER,
      );
      await local.service.approve(request.id, OWNER_USER);
      const childInput = {
        client: shared.client,
        connection: shared.connection,
        simulatorUrl: simulator.url,
        accounts,
        regions,
        leaseSeconds: LEASE_SECONDS,
        requestId: request.id,
        actor: OWNER_USER,
      };
      return { ...local, id: request.id, childInput };
    }

    const stateOf = async (knex: KnexType, id: string) =>
      (await knex('private_api_access_requests').where({ id }).first('state'))
        ?.state as string | undefined;

    it('settles a request killed after writing the policy as applied, deploying its stages', async () => {
      const { service, requests, id, childInput } = await setUp();
      // Deployments hang: the replica dies between the policy write and the deployments.
      simulator!.setFaults([
        { type: 'slow', operation: 'CreateDeployment', delayMs: 60_000 },
      ]);
      child = startReplica(childInput);
      await until(
        async () =>
          (await stateOf(shared!.knex, id)) === 'applying' &&
          apiState(simulator!).policy?.includes(CONSUMER_VPCE),
        'the replica to write the policy',
      );
      child.kill('SIGKILL');
      await new Promise(r => child!.once('exit', r));
      simulator!.setFaults([]);

      // Within the lease nothing is settled: the replica might still be working.
      expect(await service.recoverExpiredApplies()).toEqual([]);
      expect((await requests.getOrThrow(id)).state).toBe('applying');

      const [recovered] = await until(
        async () => {
          const settled = await service.recoverExpiredApplies();
          return settled.length ? settled : undefined;
        },
        'the lease to expire and recovery to settle the request',
        LEASE_SECONDS * 4000,
      );
      expect(recovered.id).toBe(id);
      expect(recovered.state).toBe('applied');
      expect(recovered.events.at(-1)).toMatchObject({
        action: 'recover-applied',
        actor: 'recovery',
      });
      expect(recovered.deployments?.map(d => [d.stage, d.live])).toEqual([
        ['prod', true],
        ['dev', true],
      ]);
      expect(awsDecision(simulator!)).toBe('allow');
      // The API's lock is free again: Verify now works and verifies.
      expect((await service.verifyNow(id, CONSUMER_USER)).state).toBe(
        'verified',
      );
    });

    it('puts a request killed before the policy write back to approved, and it applies again', async () => {
      const { service, id, childInput } = await setUp();
      const before = apiState(simulator!).policy;
      // Reading the API hangs (the simulator answers a slow call after acting on it, so the
      // read, not the write, is where the replica must die to leave AWS untouched).
      simulator!.setFaults([
        { type: 'slow', operation: 'GetRestApi', delayMs: 60_000 },
      ]);
      child = startReplica(childInput);
      await until(
        async () => (await stateOf(shared!.knex, id)) === 'applying',
        'the replica to start applying',
      );
      // Give it time to reach the read, which hangs.
      await new Promise(r => setTimeout(r, 500));
      child.kill('SIGKILL');
      await new Promise(r => child!.once('exit', r));
      simulator!.setFaults([]);

      const [recovered] = await until(
        async () => {
          const settled = await service.recoverExpiredApplies();
          return settled.length ? settled : undefined;
        },
        'recovery to settle the request',
        LEASE_SECONDS * 4000,
      );
      expect(recovered.state).toBe('approved');
      expect(recovered.events.at(-1)?.message).toMatch(
        /does not hold the change[\s\S]*apply again/,
      );
      expect(apiState(simulator!).policy).toBe(before);
      expect((await service.apply(id, OWNER_USER)).state).toBe('applied');
      expect(awsDecision(simulator!)).toBe('allow');
    });
  },
);
