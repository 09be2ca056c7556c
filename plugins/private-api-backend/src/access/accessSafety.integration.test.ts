import { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import {
  API_ID,
  CONSUMER_VPC,
  CONSUMER_VPCE,
  PRODUCER,
} from '../__testUtils__/accessEstate';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  apiEntity,
  apiState,
  awsDecision,
  CONSUMER_USER,
  estateWithEndpoints,
  OTHER_USER,
  OWNER_USER,
  startStack,
} from './__testUtils__/accessStack';

jest.setTimeout(180_000);

const databases = createTestDatabases();

/** AWS latency on every answer, so that concurrent applies really overlap. */
const LATENCY_MS = 40;

const requestFor = (vpcEndpointId: string, extra: object = {}) => ({
  accountId: PRODUCER,
  region: 'us-east-1',
  apiId: API_ID,
  vpcEndpointId,
  justification: 'Checkout calls orders to create orders at payment time',
  ...extra,
});

/** What the policy AWS holds now decides for an unsigned call through an endpoint. */
function allowsEndpoint(
  simulator: Parameters<typeof apiState>[0],
  vpce: string,
  stage = 'prod',
) {
  return awsDecision(simulator, stage, {
    sourceVpce: vpce,
    sourceVpc: CONSUMER_VPC,
  });
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 5));
  }
}

describe.each(databases.eachSupportedId())(
  'access requests under concurrency and failure on %p',
  databaseId => {
    let stack: Awaited<ReturnType<typeof startStack>> | undefined;
    afterEach(async () => {
      await stack?.stop();
      stack = undefined;
    });

    it('lands five concurrent applies on one API: all applied, all allowed by the policy AWS holds, all verified', async () => {
      const { estate, endpoints } = estateWithEndpoints(5);
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
        estate,
      });
      const { as, simulator, discover } = stack;
      const ids: string[] = [];
      for (const vpce of endpoints) {
        const created = await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(vpce),
        );
        expect(created.status).toBe(201);
        ids.push(created.body.id);
      }
      // All approved against the same starting policy.
      for (const id of ids) {
        expect(
          (await as(OWNER_USER).post(`/access-requests/${id}/approve`)).body
            .state,
        ).toBe('approved');
      }

      const applied = await Promise.all(
        ids.map(id => as(OWNER_USER).post(`/access-requests/${id}/apply`)),
      );
      expect(applied.map(r => r.body.state)).toEqual(ids.map(() => 'applied'));
      for (const vpce of endpoints) {
        expect(allowsEndpoint(simulator, vpce)).toBe('allow');
        expect(allowsEndpoint(simulator, vpce, 'dev')).toBe('allow');
      }
      // Each audit "after" is what AWS returned, and holds that apply's endpoint.
      for (const [i, response] of applied.entries()) {
        const event = (response.body as AccessRequest).events.find(
          e => e.action === 'apply-succeeded',
        )!;
        expect(event.policyAfter).toContain(endpoints[i]);
      }

      await discover();
      for (const id of ids) {
        expect(
          (await as(CONSUMER_USER).get(`/access-requests/${id}`)).body.state,
        ).toBe('verified');
      }
    });

    it('makes exactly one of 20 identical concurrent requests; the others get 409 naming it', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
      });
      const { as } = stack;
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          as(CONSUMER_USER).post('/access-requests', requestFor(CONSUMER_VPCE)),
        ),
      );
      const created = responses.filter(r => r.status === 201);
      expect(created).toHaveLength(1);
      const refused = responses.filter(r => r.status === 409);
      expect(refused).toHaveLength(19);
      for (const r of refused) {
        expect(r.body.error.message).toContain(created[0].body.id);
      }
      const { items } = (
        await as(CONSUMER_USER).get('/access-requests?view=mine')
      ).body;
      expect(items).toHaveLength(1);
    });

    it('keeps a console edit made during an apply whose deployment fails, and takes out only its own change', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
      });
      const { as, simulator } = stack;
      const { id } = (
        await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE),
        )
      ).body;
      await as(OWNER_USER).post(`/access-requests/${id}/approve`);
      simulator.setFaults([
        { type: 'slow', operation: 'CreateDeployment', delayMs: 300 },
        {
          type: 'serverError',
          operation: 'CreateDeployment',
          rate: 1,
          status: 503,
        },
      ]);
      // then() sends the request now; the test acts while it runs.
      const applying = as(OWNER_USER)
        .post(`/access-requests/${id}/apply`)
        .then(r => r);
      // The grant is written; now someone edits the policy in the console.
      await until(
        () => apiState(simulator).policy?.includes(CONSUMER_VPCE) ?? false,
        'the grant to be written',
      );
      const document = JSON.parse(apiState(simulator).policy!);
      document.Statement.push({
        Sid: 'ConsoleEdit',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:VpcSourceIp': '192.0.2.0/24' } },
      });
      apiState(simulator).policy = JSON.stringify(document);

      const failed = (await applying).body as AccessRequest;
      expect(failed.state).toBe('failed');
      expect(failed.failure?.message).toMatch(/nothing is live/);
      const policy = apiState(simulator).policy!;
      expect(policy).toContain('ConsoleEdit');
      expect(policy).not.toContain(CONSUMER_VPCE);
      expect(awsDecision(simulator)).toBe('explicit-deny');
      // The audit "after" of the failure is the policy AWS holds after the rollback.
      const event = failed.events.find(e => e.action === 'apply-failed')!;
      expect({ after: event.policyAfter }).toEqual({
        after: expect.stringContaining('ConsoleEdit'),
      });
    });

    it('says needs-attention, with what is live where, when the rollback cannot redeploy a stage; a retry completes it', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
      });
      const { as, simulator } = stack;
      const { id } = (
        await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE),
        )
      ).body;
      await as(OWNER_USER).post(`/access-requests/${id}/approve`);
      const deploymentsBefore = apiState(simulator).deployments.length;
      // The simulator acts on a call, then answers after the delay: time to change the
      // faults once prod's deployment exists and before its answer reaches the applier.
      simulator.setFaults([
        { type: 'slow', operation: 'CreateDeployment', delayMs: 500 },
      ]);
      const applying = as(OWNER_USER)
        .post(`/access-requests/${id}/apply`)
        .then(r => r);
      // prod is deployed with the grant; from now on every deployment fails.
      await until(
        () => apiState(simulator).deployments.length > deploymentsBefore,
        'the first deployment',
      );
      simulator.setFaults([
        {
          type: 'serverError',
          operation: 'CreateDeployment',
          rate: 1,
          status: 503,
        },
      ]);
      const result = (await applying).body as AccessRequest;
      expect(result.state).toBe('needs-attention');
      expect(result.attention?.message).toMatch(
        /live in prod, not in dev[\s\S]*What to do: retry the apply/,
      );
      expect(result.deployments).toEqual([
        expect.objectContaining({
          stage: 'prod',
          status: 'rollback-failed',
          live: true,
        }),
        expect.objectContaining({
          stage: 'dev',
          status: 'failed',
          live: false,
        }),
      ]);

      simulator.setFaults([]);
      const retried = (
        await as(OWNER_USER).post(`/access-requests/${id}/apply`)
      ).body as AccessRequest;
      expect(retried.state).toBe('applied');
      expect(retried.attention).toBeUndefined();
      expect(retried.deployments?.every(d => d.live)).toBe(true);
      expect(
        (
          apiState(simulator).policy!.match(new RegExp(CONSUMER_VPCE, 'g')) ??
          []
        ).length,
      ).toBe(1);
    });

    it('grants a stage-scoped request on that stage only', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
      });
      const { as, simulator, discover } = stack;
      const { id } = (
        await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE, { stages: ['dev'] }),
        )
      ).body;
      const approved = await as(OWNER_USER).post(
        `/access-requests/${id}/approve`,
      );
      expect(approved.body.proposedChange.summary).toMatch(
        /every stage but dev/,
      );
      const applied = (
        await as(OWNER_USER).post(`/access-requests/${id}/apply`)
      ).body as AccessRequest;
      expect(applied.failure).toBeUndefined();
      expect(applied.state).toBe('applied');
      expect(applied.deployments?.map(d => d.stage)).toEqual(['dev']);
      expect(awsDecision(simulator, 'dev')).toBe('allow');
      expect(awsDecision(simulator, 'prod')).toBe('explicit-deny');
      await discover();
      expect(
        (await as(CONSUMER_USER).get(`/access-requests/${id}`)).body.state,
      ).toBe('verified');
    });

    it('fails verification when the grant is gone from the policy discovery reads after the apply', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
      });
      const { as, simulator, discover } = stack;
      const original = apiState(simulator).policy;
      const { id } = (
        await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE),
        )
      ).body;
      await as(OWNER_USER).post(`/access-requests/${id}/approve`);
      expect(
        (await as(OWNER_USER).post(`/access-requests/${id}/apply`)).body.state,
      ).toBe('applied');
      // An IaC pipeline puts back its own version of the policy.
      apiState(simulator).policy = original;
      await discover();
      const failed = (await as(CONSUMER_USER).get(`/access-requests/${id}`))
        .body as AccessRequest;
      expect(failed.state).toBe('failed');
      expect(failed.failure?.message).toMatch(
        new RegExp(`does not allow ${CONSUMER_VPCE}`),
      );
      expect(failed.verification?.outcome).toBe('failed');
    });

    it('verifies now by re-reading only the request’s API, not the estate', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'handoff',
        latencyMs: LATENCY_MS,
      });
      const { as, simulator } = stack;
      const { id } = (
        await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE),
        )
      ).body;
      const approved = await as(OWNER_USER).post(
        `/access-requests/${id}/approve`,
      );
      simulator.resetStats();
      const notYet = (
        await as(CONSUMER_USER).post(`/access-requests/${id}/verify`)
      ).body as AccessRequest;
      expect(notYet.state).toBe('approved');
      expect(notYet.verification?.outcome).toBe('not-yet');

      // The owners' IaC applies it; Verify now sees it at once.
      apiState(simulator).policy = approved.body.proposedChange.policy;
      simulator.resetStats();
      const verified = await as(CONSUMER_USER).post(
        `/access-requests/${id}/verify`,
      );
      expect(verified.status).toBe(200);
      expect(verified.body.state).toBe('verified');
      const calls = simulator.stats().calls;
      // No listing of the account's APIs, no other account or Region, no EC2.
      expect(calls['apigateway:GetRestApis']).toBeUndefined();
      expect(Object.keys(calls).some(k => k.startsWith('ec2:'))).toBe(false);
      const accountsCalled = Object.entries(calls)
        .filter(([operation]) => operation.startsWith('apigateway:'))
        .flatMap(([, perAccount]) => Object.keys(perAccount));
      expect(new Set(accountsCalled)).toEqual(new Set([PRODUCER]));
      expect(calls['apigateway:GetRestApi']).toBeDefined();
    });

    it('revokes access: the requester withdraws it, an owner approves and applies, Verify now confirms', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
      });
      const { as, simulator } = stack;
      const grant = (
        await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE),
        )
      ).body;
      await as(OWNER_USER).post(`/access-requests/${grant.id}/approve`);
      await as(OWNER_USER).post(`/access-requests/${grant.id}/apply`);
      expect(
        (await as(CONSUMER_USER).post(`/access-requests/${grant.id}/verify`))
          .body.state,
      ).toBe('verified');
      expect(awsDecision(simulator)).toBe('allow');

      const revoke = await as(CONSUMER_USER).post(
        '/access-requests',
        requestFor(CONSUMER_VPCE, {
          kind: 'revoke',
          justification: 'Checkout no longer calls orders directly',
        }),
      );
      expect(revoke.status).toBe(201);
      expect(revoke.body).toMatchObject({ kind: 'revoke', state: 'pending' });
      const approved = await as(OWNER_USER).post(
        `/access-requests/${revoke.body.id}/approve`,
      );
      expect(approved.body.proposedChange.diff).toContain(CONSUMER_VPCE);
      const applied = await as(OWNER_USER).post(
        `/access-requests/${revoke.body.id}/apply`,
      );
      expect(applied.body.state).toBe('applied');
      expect(awsDecision(simulator)).toBe('explicit-deny');
      expect(awsDecision(simulator, 'dev')).toBe('explicit-deny');
      expect(
        (
          await as(CONSUMER_USER).post(
            `/access-requests/${revoke.body.id}/verify`,
          )
        ).body.state,
      ).toBe('verified');
      // Revoking what is not allowed makes no request.
      const again = await as(CONSUMER_USER).post(
        '/access-requests',
        requestFor(CONSUMER_VPCE, { kind: 'revoke' }),
      );
      expect(again.status).toBe(400);
      expect(again.body.error.message).toMatch(
        /cannot call orders-internal already/,
      );
      expect(
        (
          await as(CONSUMER_USER).get('/access-requests?view=mine&kind=revoke')
        ).body.items.map((r: AccessRequest) => r.id),
      ).toEqual([revoke.body.id]);
    });

    it('revokes an associated endpoint with its Route 53 alias association; a failed deployment puts the association back', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        latencyMs: LATENCY_MS,
      });
      const { as, simulator } = stack;
      const associated = () => apiState(simulator).vpcEndpointIds;
      const grant = (
        await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE, { associateEndpoint: true }),
        )
      ).body;
      await as(OWNER_USER).post(`/access-requests/${grant.id}/approve`);
      await as(OWNER_USER).post(`/access-requests/${grant.id}/apply`);
      await as(CONSUMER_USER).post(`/access-requests/${grant.id}/verify`);
      expect(associated()).toContain(CONSUMER_VPCE);

      const revokeRequest = requestFor(CONSUMER_VPCE, {
        kind: 'revoke',
        associateEndpoint: true,
        justification: 'Checkout moved off this VPC endpoint',
      });
      const first = (
        await as(CONSUMER_USER).post('/access-requests', revokeRequest)
      ).body as AccessRequest;
      const approved = (
        await as(OWNER_USER).post(`/access-requests/${first.id}/approve`)
      ).body as AccessRequest;
      expect(approved.proposedChange?.notes.join(' ')).toMatch(
        /removes the association of vpce-/,
      );
      // Every deployment fails: the policy edit is undone and the association restored.
      simulator.setFaults([
        {
          type: 'serverError',
          operation: 'CreateDeployment',
          rate: 1,
          status: 503,
        },
      ]);
      const failed = (
        await as(OWNER_USER).post(`/access-requests/${first.id}/apply`)
      ).body as AccessRequest;
      expect(failed.state).toBe('failed');
      expect(associated()).toContain(CONSUMER_VPCE);
      expect(awsDecision(simulator)).toBe('allow');

      simulator.setFaults([]);
      const applied = (
        await as(OWNER_USER).post(`/access-requests/${first.id}/apply`)
      ).body as AccessRequest;
      expect(applied.state).toBe('applied');
      expect(associated()).not.toContain(CONSUMER_VPCE);
      expect(awsDecision(simulator)).toBe('explicit-deny');
      const verified = (
        await as(CONSUMER_USER).post(`/access-requests/${first.id}/verify`)
      ).body as AccessRequest;
      expect(verified.state).toBe('verified');
      expect(verified.verification?.message).toMatch(/no longer associated/);

      // Nothing left to remove: a second revoke of the association is refused with the reason.
      const again = await as(CONSUMER_USER).post(
        '/access-requests',
        revokeRequest,
      );
      expect(again.status).toBe(400);
      expect(again.body.error.message).toMatch(/is not associated with/);
    });

    it('refuses bad input with 400, unknown routes with a JSON 404, and a non-JSON body with 415', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
      });
      const { as, raw } = stack;
      const bad = [
        { justification: 'Checkout calls orders\u0000 at payment time' },
        {
          justification: 'Checkout calls orders \u001b[31mnow\u001b[0m please',
        },
        {
          justification: 'Checkout calls orders \u202Eyaptuo\u202C at payment',
        },
        { stages: ['prod\u0000'] },
      ];
      for (const body of bad) {
        const response = await as(CONSUMER_USER).post(
          '/access-requests',
          requestFor(CONSUMER_VPCE, body),
        );
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(/control character U\+/);
      }
      for (const path of [
        '/apis?q=orders%00',
        '/apis?owner=team%00',
        '/access-requests?state=pending%00',
        `/access-requests/${encodeURIComponent('a\u0000b')}`,
        '/access-requests/not-a-uuid',
        '/access-requests?cursor=garbage',
      ]) {
        const response = await as(OWNER_USER).get(path);
        expect({ path, status: response.status }).toEqual({
          path,
          status: 400,
        });
        expect(response.body.error.name).toBe('InputError');
      }
      const unknown = await as(OWNER_USER).get('/no-such-route');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(
        /No route GET \/no-such-route/,
      );

      const { agent, header } = raw(CONSUMER_USER);
      const plain = await agent
        .post('/api/private-api/access-requests')
        .set('Authorization', header)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(requestFor(CONSUMER_VPCE)));
      expect(plain.status).toBe(415);
      expect(plain.body.error.message).toMatch(
        /Content-Type: application\/json/,
      );
      // Nothing was stored by any of these.
      expect(
        (await as(CONSUMER_USER).get('/access-requests')).body.items,
      ).toEqual([]);
    });

    it('pages the list with a cursor, and filters it by what the user may see', async () => {
      const { estate, endpoints } = estateWithEndpoints(4);
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        estate,
      });
      const { as } = stack;
      const ids: string[] = [];
      for (const vpce of [CONSUMER_VPCE, ...endpoints]) {
        ids.push(
          (await as(CONSUMER_USER).post('/access-requests', requestFor(vpce)))
            .body.id,
        );
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await as(OWNER_USER).get(
          `/access-requests?view=approvals&limit=2${
            cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
          }`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((r: AccessRequest) => r.id));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
      expect((await as(OTHER_USER).get('/access-requests')).body.items).toEqual(
        [],
      );
      const byApi = await as(CONSUMER_USER).get(
        `/access-requests?apiRef=${encodeURIComponent(
          `api:default/orders-internal-${API_ID}`,
        )}&state=pending,approved`,
      );
      expect(byApi.body.items).toHaveLength(5);
    });

    it('refuses self-approval by default, limits open requests per user (429), and resolves owners when they act', async () => {
      // The catalog's answer changes during the test (see below).
      // eslint-disable-next-line prefer-const
      let entity: typeof apiEntity | undefined;
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        apiEntity: () => entity,
        accessRequests: { maxOpenPerUser: 1 },
      });
      const { as } = stack;
      // The catalog does not have the API yet: nobody is recorded as owner.
      const created = await as(OWNER_USER).post(
        '/access-requests',
        requestFor(CONSUMER_VPCE),
      );
      expect(created.status).toBe(201);
      expect(created.body.owners).toEqual([]);
      const limited = await as(OWNER_USER).post(
        '/access-requests',
        requestFor(CONSUMER_VPCE, {
          vpcEndpointId: undefined,
          vpcId: CONSUMER_VPC,
        }),
      );
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toMatch(/maxOpenPerUser = 1/);

      // Now the catalog knows the API and its owners.
      entity = apiEntity;
      const own = await as(OWNER_USER).post(
        `/access-requests/${created.body.id}/approve`,
      );
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(/another owner/);
      const seen = await as(OWNER_USER).get(
        `/access-requests/${created.body.id}`,
      );
      expect(seen.body.owners).toEqual(['group:default/team-orders']);
    });

    it('lets only admins start discovery, and shows others AWS errors without role ARNs', async () => {
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
      });
      const { as, simulator, discover } = stack;
      expect((await as(CONSUMER_USER).post('/refresh')).status).toBe(403);
      expect((await as(OWNER_USER).post('/refresh')).status).toBe(202);

      simulator.setFaults([{ type: 'accessDenied', account: PRODUCER }]);
      await discover();
      const failedScope = (body: any) =>
        body.items.find(
          (s: any) => s.accountId === PRODUCER && s.region === 'us-east-1',
        );
      const admin = failedScope((await as(OWNER_USER).get('/scopes')).body);
      const user = failedScope((await as(CONSUMER_USER).get('/scopes')).body);
      expect(admin.lastErrorMessage).toMatch(/arn:aws:/);
      expect(user.lastErrorMessage).not.toMatch(/arn:aws:/);
      expect(user.lastErrorMessage).toMatch(/\(redacted\)/);
    });
  },
);
