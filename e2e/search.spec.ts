import { APIRequestContext, expect, test } from '@playwright/test';
import {
  ApiRecord,
  ApiSummary,
  endpointAccess,
  EstateContext,
} from '@private-api-catalog/plugin-private-api-common';
import {
  expectNoSeriousA11yViolations,
  guestToken,
  saveScreenshot,
  signInAsGuest,
} from './helpers';

/**
 * Backstage search over the discovered APIs: searching a VPC endpoint id finds every API
 * whose resource policy lets that endpoint in, and no other.
 */

/** shared-services-execute-api, in the platform account's shared-services VPC. */
const ENDPOINT = 'vpce-32024f650157d106c';

async function privateApiGet<T>(
  request: APIRequestContext,
  token: string,
  path: string,
): Promise<T> {
  const response = await request.get(`/api/private-api${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()) as T;
}

/** The APIs the policy evaluator lets the endpoint call, from the stored inventory. */
async function apisTheEndpointMayCall(
  request: APIRequestContext,
): Promise<string[]> {
  const token = await guestToken(request);
  const estate = await privateApiGet<EstateContext>(request, token, '/estate');
  const endpoint = estate.vpcEndpoints.find(e => e.vpcEndpointId === ENDPOINT);
  expect(endpoint).toBeDefined();
  const { items } = await privateApiGet<{ items: ApiSummary[] }>(
    request,
    token,
    `/apis?endpointType=PRIVATE&region=${endpoint!.region}&limit=1000`,
  );
  const names: string[] = [];
  for (const summary of items) {
    const { api } = await privateApiGet<{ api: ApiRecord }>(
      request,
      token,
      `/apis/${summary.accountId}/${summary.region}/${summary.apiId}`,
    );
    const { verdict } = endpointAccess(api, endpoint!);
    if (verdict === 'allowed' || verdict === 'signed-only') {
      names.push(api.name);
    }
  }
  return names.sort();
}

test('searching a VPC endpoint id finds every API that endpoint may call', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsGuest(page);
  const token = await guestToken(page.request);
  // Discovery crawls the estate in shards: wait until every account and Region is in.
  await expect
    .poll(
      async () => {
        const { items } = await privateApiGet<{
          items: Array<{ status: string }>;
        }>(page.request, token, '/scopes');
        if (items.length === 0 || items.some(s => s.status !== 'ok')) {
          return false;
        }
        // Shards add their scopes as they go: wait for the endpoint's too.
        const estate = await privateApiGet<EstateContext>(
          page.request,
          token,
          '/estate',
        );
        return estate.vpcEndpoints.some(e => e.vpcEndpointId === ENDPOINT);
      },
      { timeout: 120_000, intervals: [2_000] },
    )
    .toBe(true);

  const expected = await apisTheEndpointMayCall(page.request);
  // The demo estate's shared-services endpoint is admitted by these, among others.
  expect(expected).toEqual(
    expect.arrayContaining([
      'payments-api',
      'payouts-api',
      'legacy-reports-api',
    ]),
  );

  // The search index follows on its next run (every minute in the demo).
  await expect
    .poll(
      async () => {
        const response = await page.request.get(
          `/api/search/query?term=${ENDPOINT}&types[0]=private-api`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        if (!response.ok()) return [];
        const { results } = await response.json();
        return results.map((r: any) => r.document.title).sort();
      },
      { timeout: 150_000, intervals: [3_000] },
    )
    .toEqual(expected);

  await page.goto('/search');
  await page.getByRole('textbox', { name: /search/i }).fill(ENDPOINT);
  await page.getByRole('textbox', { name: /search/i }).press('Enter');
  await page
    .getByRole('button', { name: /^Private APIs/ })
    .click();

  const items = page
    .getByRole('listitem')
    .filter({ has: page.getByLabel('Callable through') });
  await expect(items).toHaveCount(expected.length);
  const titles = await items.getByRole('heading').allInnerTexts();
  expect(titles.map(t => t.trim()).sort()).toEqual(expected);
  for (const name of expected) {
    await expect(
      items
        .filter({ has: page.getByRole('heading', { name, exact: true }) })
        .getByText(ENDPOINT, { exact: true }),
    ).toBeVisible();
  }

  // A result opens the API's catalog page.
  await expectNoSeriousA11yViolations(
    page,
    'li:has([aria-label="Callable through"]) > div',
  );
  await saveScreenshot(page, 'search-vpc-endpoint');
  await items.getByRole('link', { name: 'payments-api', exact: true }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/api\/payments-api-[a-z0-9]+\/private-api$/,
  );
  await expect(
    page.getByRole('heading', { name: 'API Gateway overview' }),
  ).toBeVisible();
});
