import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import type {
  ApiCallersResponse,
  ApiListResponse,
} from '@private-api-catalog/plugin-private-api-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { startDiscoveryHarness } from '../__testUtils__/harness';
import { refreshEstateIndex } from '../inventory/reverseIndex';
import { createRouter } from './router';

jest.setTimeout(180_000);

const databases = createTestDatabases();

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';
const SHARED_VPC = 'vpc-a6174cba9b412eab7';
const SHARED_VPCE = 'vpce-32024f650157d106c';
const ONPREM_VPCE = 'vpce-7f1e4286439ccf7e5';

describe.each(databases.eachSupportedId())(
  'estate questions over the demo estate on %p',
  databaseId => {
    let harness: Awaited<ReturnType<typeof startDiscoveryHarness>>;
    let app: express.Express;

    beforeAll(async () => {
      harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
      });
      const summary = await harness.runner.run();
      const failed = summary.scopes.filter(s => !s.ok);
      if (failed.length)
        throw new Error(`Discovery failed: ${JSON.stringify(failed)}`);
      const router = await createRouter({
        logger: mockServices.logger.mock(),
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user(),
        }),
        permissions: mockServices.permissions.mock(),
        store: harness.store,
      });
      app = express().use(router);
      app.use(
        MiddlewareFactory.create({
          config: mockServices.rootConfig(),
          logger: mockServices.logger.mock(),
        }).error(),
      );
    });
    afterAll(() => harness?.stop());

    const list = async (query: string) => {
      const res = await request(app).get(`/apis?${query}`);
      expect(res.status).toBe(200);
      return res.body as ApiListResponse;
    };

    it('answers what the shared-services VPC can call, and how', async () => {
      const body = await list(`reachableFrom=${SHARED_VPC}&limit=1000`);
      const names = body.items.map(a => a.name);
      // Their policies admit the VPC's endpoint: by VPC, by endpoint, or any endpoint.
      expect(names).toEqual(
        expect.arrayContaining([
          'payments-api',
          'payouts-api',
          'legacy-reports-api',
        ]),
      );
      // refunds-api has no resource policy: it admits nobody.
      expect(names).not.toContain('refunds-api');
      expect(body.items.every(a => a.endpointType === 'PRIVATE')).toBe(true);
      expect(body.reachableFrom).toEqual({
        id: SHARED_VPC,
        vpcEndpoints: [
          {
            vpcEndpointId: SHARED_VPCE,
            vpcId: SHARED_VPC,
            region: 'us-east-1',
          },
        ],
      });
      const legacy = body.items.find(a => a.name === 'legacy-reports-api')!;
      expect(legacy.callerAccess).toBe('any');
      expect(legacy.access).toMatchObject({
        vpcEndpointId: SHARED_VPCE,
        verdict: 'allowed',
        reason: 'Allowed by Statement[0] (Allow)',
        // Private DNS is on for the shared endpoint: the API's own name works there.
        via: 'private-dns',
        invokeUrl: `https://${legacy.apiId}.execute-api.us-east-1.amazonaws.com/prod`,
      });
      // The private custom domain comes first where it lets the endpoint in
      // (platform-shared's association is made in its own account: OTHER_ACCOUNTS).
      const payments = body.items.find(a => a.name === 'payments-api')!;
      expect(payments.access).toMatchObject({
        via: 'private-custom-domain',
        invokeUrl: 'https://payments.internal.example.com/payments',
      });
      expect(payments.crossAccount).toBe(true);
    });

    it('answers the same for the endpoint, combined with other filters and pages', async () => {
      const all = await list(`reachableFrom=${SHARED_VPCE}&limit=1000`);
      const fromVpc = await list(`reachableFrom=${SHARED_VPC}&limit=1000`);
      expect(all.items.map(a => a.apiId)).toEqual(
        fromVpc.items.map(a => a.apiId),
      );
      const paged: string[] = [];
      let after: string | undefined;
      do {
        const page = await list(
          `reachableFrom=${SHARED_VPCE}&limit=2${
            after ? `&after=${after}` : ''
          }`,
        );
        // The first page counts every match; later pages cost the page alone.
        expect(page.totalCount).toBe(after ? undefined : all.totalCount);
        paged.push(...page.items.map(a => a.apiId));
        after = page.nextCursor;
      } while (after);
      expect(paged).toEqual(all.items.map(a => a.apiId));

      const ofPayments = await list(
        `reachableFrom=${SHARED_VPCE}&accountId=${PAYMENTS}&q=payouts`,
      );
      expect(ofPayments.items.map(a => a.name)).toEqual(['payouts-api']);
      const open = await list(
        `reachableFrom=${SHARED_VPCE}&openToAnyEndpoint=true`,
      );
      expect(open.items.map(a => a.name)).toContain('legacy-reports-api');
      expect(open.items.every(a => a.callerAccess === 'any')).toBe(true);

      const viaRoute = await request(app).get(
        `/vpc-endpoints/${SHARED_VPCE}/apis?limit=1000`,
      );
      expect(
        viaRoute.body.items.map((a: { apiId: string }) => a.apiId),
      ).toEqual(all.items.map(a => a.apiId));
      const vpcRoute = await request(app).get(
        `/vpcs/${SHARED_VPC}/apis?limit=1000`,
      );
      expect(vpcRoute.body.totalCount).toBe(all.totalCount);
    });

    it('gives the on-premises endpoint (no private DNS) a URL that resolves', async () => {
      const body = await list(`reachableFrom=${ONPREM_VPCE}&limit=1000`);
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.filter(a => a.access?.via === 'private-dns')).toEqual(
        [],
      );
      const byEndpointName = body.items.filter(
        a => a.access?.via === 'vpce-dns',
      );
      expect(byEndpointName.map(a => a.access?.headers)).toEqual(
        byEndpointName.map(a => ({
          Host: `${a.apiId}.execute-api.us-east-1.amazonaws.com`,
        })),
      );
    });

    it('says what is known when the caller is unknown', async () => {
      const res = await request(app).get(
        '/apis?reachableFrom=vpc-0123456789abcdef0',
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /vpc-0123456789abcdef0 has no execute-api VPC endpoint in the inventory/,
      );
      expect(res.body.error.message).toContain(
        `${SHARED_VPC} (shared-services, us-east-1)`,
      );
      const vpce = await request(app).get(
        '/apis?reachableFrom=vpce-0123456789abcdef0',
      );
      expect(vpce.status).toBe(400);
      expect(vpce.body.error.message).toContain(SHARED_VPCE);
      const junk = await request(app).get('/apis?reachableFrom=sg-123');
      expect(junk.status).toBe(400);
      expect(junk.body.error.message).toMatch(/neither a VPC id/);
      const flag = await request(app).get('/apis?noPolicy=yes');
      expect(flag.status).toBe(400);
      expect(flag.body.error.message).toMatch(
        /noPolicy: must be true or false/,
      );
    });

    it('filters: no policy, cross-account; allowed callers tell any from a count from none', async () => {
      const noPolicy = await list('noPolicy=true&limit=1000');
      expect(noPolicy.items.map(a => a.name)).toContain('refunds-api');
      const refunds = noPolicy.items.find(a => a.name === 'refunds-api')!;
      expect(refunds.callerAccess).toBe('none');
      const cross = await list('crossAccount=true&limit=1000');
      expect(cross.items.map(a => a.name)).toEqual(
        expect.arrayContaining(['payments-api', 'legacy-reports-api']),
      );
      expect(cross.items.map(a => a.name)).not.toContain('refunds-api');
    });

    it('finds APIs by route, Lambda function, load balancer, endpoint and VPC ids', async () => {
      const names = async (q: string) =>
        (await list(`q=${encodeURIComponent(q)}&limit=1000`)).items.map(
          a => a.name,
        );
      expect(await names(SHARED_VPC)).toEqual(
        expect.arrayContaining([
          'payments-api',
          'payouts-api',
          'legacy-reports-api',
        ]),
      );
      expect(await names('/reports/{name}')).toContain('legacy-reports-api');
      expect(await names('reports.corp.example.com')).toContain(
        'legacy-reports-api',
      );
      expect(await names('sepa-nlb')).not.toEqual([]);
      // A Lambda function's name (integration and authorizer functions).
      expect(await names('payment-methods')).not.toEqual([]);
      expect(await names('payments.internal.example.com')).toEqual(
        expect.arrayContaining(['payments-api', 'payouts-api']),
      );
    });

    it('tells the search collator which endpoints and VPCs each API admits', async () => {
      const payments = (await list('q=payments-api')).items.find(
        a => a.name === 'payments-api',
      )!;
      const res = await request(app).get(
        `/apis/${payments.accountId}/${payments.region}/${payments.apiId}/callers`,
      );
      expect(res.status).toBe(200);
      const body = res.body as ApiCallersResponse;
      expect(body.items.map(e => e.vpcEndpointId)).toContain(SHARED_VPCE);
      expect(body.vpcIds).toContain(SHARED_VPC);
      expect(
        body.items.every(e => ['allowed', 'signed-only'].includes(e.verdict)),
      ).toBe(true);
      const missing = await request(app).get(
        `/apis/${PLATFORM}/us-east-1/zzzzzzzzzz/callers`,
      );
      expect(missing.status).toBe(404);
    });

    it('recomputes nothing when a crawl changed nothing', async () => {
      await harness.runner.run();
      expect(
        await refreshEstateIndex(harness.store, {
          accountId: PAYMENTS,
          region: 'us-east-1',
        }),
      ).toEqual({ recomputed: 0 });
    });
  },
);
