import { expect, test } from '@playwright/test';
import {
  expectNoSeriousA11yViolations,
  guestToken,
  openPrivateApiTab,
  saveScreenshot,
  signInAsGuest,
  waitForEntity,
} from './helpers';

/**
 * "My service runs in VPC X: what can it call, and how?" on the demo estate. The on-premises
 * transit VPC of platform-shared has one execute-api endpoint, with private DNS off: the
 * APIs its policy admits must be called through the endpoint's own DNS name (or a Route 53
 * alias), which the command on the API's page then uses.
 */
const ONPREM_VPC = 'vpc-b02fe1dc5ee320d6e';
const ONPREM_VPCE = 'vpce-7f1e4286439ccf7e5';
const SHARED_VPC = 'vpc-a6174cba9b412eab7';

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
  await waitForEntity(page.request, {
    kind: 'api',
    name: 'legacy-reports-api-sbq6c39ep8',
  });
});

test('pick a VPC, see the APIs it may call, open one: the command goes through its endpoint', async ({
  page,
}) => {
  await page.goto('/private-apis');
  await expect(page.getByRole('heading', { name: /^40 APIs/ })).toBeVisible();

  // The shared-services VPC: the policies of payments-api, payouts-api and legacy-reports-api
  // admit its endpoint; refunds-api has no resource policy and admits nobody.
  const from = page.getByLabel('Callable from', { exact: true });
  await from.selectOption(SHARED_VPC);
  const table = page.locator('table').filter({ hasText: 'From there' });
  for (const name of ['payments-api', 'payouts-api', 'legacy-reports-api']) {
    await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(table.getByRole('link', { name: 'refunds-api' })).toHaveCount(0);
  // payments-api is reached by its private custom domain from there.
  await expect(
    table.getByRole('row').filter({
      has: page.getByRole('link', { name: 'payments-api', exact: true }),
    }),
  ).toContainText('https://payments.internal.example.com/payments');
  await expect(page).toHaveURL(new RegExp(`from=${SHARED_VPC}`));
  await saveScreenshot(page, 'private-apis-callable-from');
  await expectNoSeriousA11yViolations(page, 'body');

  // The on-premises transit VPC: private DNS is off on its endpoint.
  await from.selectOption(ONPREM_VPC);
  const legacy = table
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'legacy-reports-api' }) });
  await expect(legacy).toContainText('Any VPC endpoint');
  await expect(legacy).toContainText(`via ${ONPREM_VPCE}`);
  await legacy.getByRole('link', { name: 'How to call it from there' }).click();

  await expect(page).toHaveURL(
    /\/catalog\/default\/api\/legacy-reports-api-sbq6c39ep8\/private-api\?caller=vpce/,
  );
  const invoke = page.locator('.MuiCard-root').filter({
    has: page.getByRole('heading', { name: 'How to invoke', exact: true }),
  });
  // The picker holds the endpoint, and the first command that works goes through it.
  await expect(invoke.getByLabel('Calling from')).toHaveValue(
    `vpce:${ONPREM_VPCE}`,
  );
  const command = invoke.locator('pre code').first();
  await expect(command).toContainText(`https://${ONPREM_VPCE}-`);
  await expect(command).toContainText(
    "-H 'Host: sbq6c39ep8.execute-api.us-east-1.amazonaws.com'",
  );
  await saveScreenshot(page, 'private-api-invoke-from-explorer', invoke);
});

test('at 1024 px what a VPC may call fits: neither the page nor the table scrolls sideways', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.goto(`/private-apis?from=${SHARED_VPC}`);
  const table = page.locator('table').filter({ hasText: 'From there' });
  await expect(
    table.getByRole('link', { name: 'legacy-reports-api' }),
  ).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  // The table's own scroll box (material-table's overflow-x container) does not scroll:
  // the way to call each API is in view beside it.
  const tableOverflow = await table.evaluate(element => {
    let box: HTMLElement | null = element.parentElement;
    while (box && getComputedStyle(box).overflowX !== 'auto') {
      box = box.parentElement;
    }
    return box ? box.scrollWidth - box.clientWidth : 0;
  });
  expect(tableOverflow).toBeLessThanOrEqual(0);
  await expect(
    table.getByRole('link', { name: 'How to call it from there' }).first(),
  ).toBeInViewport();
  await saveScreenshot(page, 'private-apis-1024');
});

test('the catalog relates an API to the Lambda function or load balancer behind it', async ({
  page,
}) => {
  const token = await guestToken(page.request);
  const dependsOn = async (name: string): Promise<string[]> => {
    await waitForEntity(page.request, { kind: 'api', name });
    const entity = await (
      await page.request.get(
        `/api/catalog/entities/by-name/api/default/${name}`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      )
    ).json();
    return entity.relations
      .filter((r: { type: string }) => r.type === 'dependsOn')
      .map((r: { targetRef: string }) => r.targetRef);
  };
  // payments-handler is payments-api's Lambda integration; ledger-nlb sits behind the VPC
  // link of payments-ledger-internal.
  const lambda = (await dependsOn('payments-api-4qzwubhjbs')).find(ref =>
    /^resource:default\/payments-handler-[0-9a-f]{8}$/.test(ref),
  );
  expect(lambda).toBeDefined();
  expect(
    (await dependsOn('payments-ledger-internal-q3bs8n405e')).some(ref =>
      ref.startsWith('resource:default/ledger-nlb-'),
    ),
  ).toBe(true);

  // The Integrations card of payments-api links the function's entity; its page says what
  // it is, where, and the API that depends on it.
  await openPrivateApiTab(page, 'payments-api-4qzwubhjbs');
  await page
    .getByRole('region', { name: 'Lambda function payments-handler' })
    .getByRole('link', { name: 'payments-handler', exact: true })
    .click();
  await expect(page).toHaveURL(
    `/catalog/default/resource/${lambda!.split('/')[1]}`,
  );
  await expect(
    page.getByRole('heading', { name: 'payments-handler' }).first(),
  ).toBeVisible();
  await expect(
    page.getByText(/Lambda function in account 222222222222, us-east-1/),
  ).toBeVisible();
  await expect(page.getByText('payments-api').first()).toBeVisible();
  await saveScreenshot(page, 'catalog-lambda-function');
});

test("a VPC endpoint's entity page lists the APIs it may call; tagged systems exist", async ({
  page,
}) => {
  const SHARED_VPCE = 'vpce-32024f650157d106c';
  await waitForEntity(page.request, { kind: 'resource', name: SHARED_VPCE });
  await page.goto(`/catalog/default/resource/${SHARED_VPCE}`);
  await expect(page.getByText('APIs this endpoint may call')).toBeVisible();
  const card = page.locator('table').filter({ hasText: 'URL from here' });
  for (const name of ['payments-api', 'payouts-api', 'legacy-reports-api']) {
    await expect(
      card.getByRole('link', { name, exact: true }).first(),
    ).toBeVisible();
  }
  await expect(card.getByRole('link', { name: 'refunds-api' })).toHaveCount(0);
  await expect(page.getByText(/entities not found/i)).toHaveCount(0);

  // payments-api's system (from its `system` tag) is a System entity of the demo.
  await page.goto('/catalog/default/api/payments-api-4qzwubhjbs');
  await expect(
    page.getByRole('heading', { name: 'payments-api' }).first(),
  ).toBeVisible();
  await expect(page.getByText(/entities not found/i)).toHaveCount(0);
  await page.goto('/catalog/default/system/payments');
  await expect(
    page.getByRole('heading', { name: 'payments' }).first(),
  ).toBeVisible();
  await expect(page.getByText(/entities not found/i)).toHaveCount(0);
  await saveScreenshot(page, 'catalog-vpc-endpoint-system');
});

test('a Component that carries the Lambda function ARN becomes a dependency of the API in front of it', async ({
  page,
}) => {
  // The Component is related at its first processing after the function's Resource entity
  // exists: the catalog processes each entity every 100 to 150 seconds.
  test.setTimeout(240_000);
  const token = await guestToken(page.request);
  await waitForEntity(page.request, {
    kind: 'component',
    name: 'payments-service',
  });
  await expect
    .poll(
      async () => {
        const api = await (
          await page.request.get(
            '/api/catalog/entities/by-name/api/default/payments-api-4qzwubhjbs',
            { headers: { Authorization: `Bearer ${token}` } },
          )
        ).json();
        return api.relations
          .filter((r: { type: string }) => r.type === 'dependsOn')
          .map((r: { targetRef: string }) => r.targetRef);
      },
      { timeout: 200_000, intervals: [5_000] },
    )
    .toContain('component:default/payments-service');
  await page.goto('/catalog/default/component/payments-service');
  await expect(
    page.getByRole('heading', { name: 'payments-service' }).first(),
  ).toBeVisible();
  await expect(page.getByText('payments-api').first()).toBeVisible();
});
