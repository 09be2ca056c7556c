import { expect, Page, test } from '@playwright/test';
import {
  expectNoSeriousA11yViolations,
  openPrivateApiTab,
  saveScreenshot,
  signInAsGuest,
} from './helpers';

/**
 * The Private API tab and the Private APIs page on the demo estate: each case the estate
 * was built to cover (packages/aws-simulator/estates/demo.yaml) shows its answer.
 */

/** A card of the tab, by its title. */
function card(page: Page, title: string) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/** An option of How to invoke, by the start of its title. */
function invokeOption(page: Page, title: string) {
  return card(page, 'How to invoke')
    .locator('.MuiAccordion-root')
    .filter({
      has: page.getByRole('button', { name: new RegExp(`^${title}`) }),
    });
}

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
});

test("How to invoke: payments-api from platform-shared's VPC endpoint gives the Route 53 alias commands", async ({
  page,
}) => {
  await openPrivateApiTab(page, 'payments-api-4qzwubhjbs');
  const invoke = card(page, 'How to invoke');
  await invoke.getByLabel('Calling from').selectOption({
    label:
      'shared-services-execute-api vpce-32024f650157d106c in VPC shared-services (vpc-a6174cba9b412eab7), us-east-1',
  });

  const alias = invokeOption(page, 'Route 53 alias of an associated endpoint');
  await expect(alias.getByText('Available', { exact: true })).toBeVisible();
  await expect(
    alias.getByText(
      'Stage prod: https://4qzwubhjbs-vpce-32024f650157d106c.execute-api.us-east-1.amazonaws.com/prod',
    ),
  ).toBeVisible();
  await expect(
    alias.locator('pre code', {
      hasText:
        "curl 'https://4qzwubhjbs-vpce-32024f650157d106c.execute-api.us-east-1.amazonaws.com/prod/health'",
    }),
  ).toBeVisible();

  // An IAM route: the command is signed with SigV4.
  await invoke
    .getByLabel('Route in the commands')
    .selectOption('POST /payments');
  const signed = alias.locator('pre code', {
    hasText:
      'https://4qzwubhjbs-vpce-32024f650157d106c.execute-api.us-east-1.amazonaws.com/prod/payments',
  });
  await expect(signed).toContainText(
    '--aws-sigv4 "aws:amz:us-east-1:execute-api"',
  );
  await expect(
    alias.getByRole('button', {
      name: 'Copy the stage prod command of Route 53 alias of an associated endpoint',
    }),
  ).toBeVisible();

  // The endpoint's own DNS name, with the Host header.
  await expect(
    invokeOption(page, 'VPC endpoint DNS name with a Host header')
      .locator('code', {
        hasText: "-H 'Host: 4qzwubhjbs.execute-api.us-east-1.amazonaws.com'",
      })
      .first(),
  ).toContainText('https://vpce-32024f650157d106c-');

  // The private custom domain: platform-shared associated this endpoint with it (its owner
  // lists that association with resourceOwner OTHER_ACCOUNTS), and the domain's policy (for
  // its execute-api ARN) and the API's let it in, so its URL is offered first.
  const domain = invokeOption(
    page,
    'Private custom domain payments.internal.example.com',
  );
  await expect(domain.getByText('Available', { exact: true })).toBeVisible();
  await expect(invoke.locator('.MuiAccordion-root').first()).toContainText(
    'Private custom domain payments.internal.example.com',
  );

  await saveScreenshot(page, 'private-api-invoke', invoke);
  await expectNoSeriousA11yViolations(page, 'body');
});

test('How to invoke: fraud-scoring-internal from on premises goes through the VPN endpoint', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'fraud-scoring-internal-leistkypct');
  const invoke = card(page, 'How to invoke');
  await invoke
    .getByLabel('Calling from')
    .selectOption({ label: 'On premises, over Direct Connect or VPN' });
  // The endpoint meant for on-premises callers is the one chosen, not the first in the list.
  await expect(
    invoke.getByLabel('VPC endpoint reached from on premises (us-east-1)'),
  ).toHaveValue('vpce-7f1e4286439ccf7e5');
  const alias = invokeOption(page, 'Route 53 alias of an associated endpoint');
  await expect(
    alias
      .locator('pre code', {
        hasText:
          'https://leistkypct-vpce-7f1e4286439ccf7e5.execute-api.us-east-1.amazonaws.com/prod',
      })
      .first(),
  ).toContainText("-H 'Authorization: <value for Authorization>'");
  await expect(
    alias.getByText(
      /reachable only over Direct Connect or VPN to vpc-b02fe1dc5ee320d6e/,
    ),
  ).toBeVisible();
});

test('Allowed callers: the private API without a resource policy is flagged', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'refunds-api-4hz0tjbczp');
  const callers = card(page, 'Allowed callers');
  await expect(
    callers.getByText('This API has no resource policy.'),
  ).toBeVisible();
  await expect(
    callers.getByText(
      /A private API without a resource policy rejects every call/,
    ),
  ).toBeVisible();
  // How to invoke agrees: nothing can call it, whoever the caller.
  const invoke = card(page, 'How to invoke');
  await expect(
    invokeOption(page, 'Private DNS name').getByText('Unavailable', {
      exact: true,
    }),
  ).toBeVisible();
  await expect(invoke.getByText('Conditional', { exact: true })).toHaveCount(0);
  await expect(invoke.locator('pre code')).toHaveCount(0);
  await saveScreenshot(page, 'private-api-no-policy', callers);
});

test('How to invoke and Diagnostics share the caller, in the URL', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'payments-api-4qzwubhjbs');
  await card(page, 'Diagnostics')
    .getByLabel('Your VPC')
    .selectOption('vpc-a6174cba9b412eab7');
  await expect(page).toHaveURL(/caller=vpce%3Avpce-32024f650157d106c/);
  await expect(
    card(page, 'How to invoke').getByLabel('Calling from'),
  ).toHaveValue('vpce:vpce-32024f650157d106c');
  // A shared link opens on the same caller.
  await page.reload();
  await expect(card(page, 'Diagnostics').getByLabel('Your VPC')).toHaveValue(
    'vpc-a6174cba9b412eab7',
  );
});

test('Caveats link the AWS documentation, and no internal note shows', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'identity-api-0fd7wk91sz');
  const tab = page.locator('main');
  await expect(tab).not.toContainText('AWS-FACTS');
  await expect(tab).not.toContainText('assumption to verify');
  const links = card(page, 'How to invoke').getByRole('link', {
    name: /^AWS documentation/,
  });
  expect(await links.count()).toBeGreaterThan(0);
  for (const href of await links.evaluateAll(all =>
    all.map(a => a.getAttribute('href')),
  )) {
    expect(href).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  }
});

test('The tab at 1024 px: cards in one column, nothing overflows, axe-clean', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 900 });
  await openPrivateApiTab(page, 'payments-api-4qzwubhjbs');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  // Full-width cards: the cost table keeps room for its item names.
  const width = async (title: string) =>
    (await card(page, title).boundingBox())?.width ?? 0;
  expect(await width('Cost')).toBeCloseTo(await width('How to invoke'), 0);
  await saveScreenshot(page, 'private-api-tab-1024');
  await expectNoSeriousA11yViolations(page, 'body');
});

test('Definition: no Try it out, and the reason with the way to the commands', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'payments-api-4qzwubhjbs');
  await page.goto('/catalog/default/api/payments-api-4qzwubhjbs/definition');
  await expect(
    page.getByText(/“Try it out” is off for this API/),
  ).toBeVisible();
  await expect(page.locator('.swagger-ui .opblock').first()).toBeVisible();
  await page.locator('.swagger-ui .opblock-summary').first().click();
  await expect(page.getByRole('button', { name: 'Try it out' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Private API tab' }).click();
  await expect(page).toHaveURL(/\/private-api$/);
  await page.goBack();
  await saveScreenshot(
    page,
    'private-api-definition',
    page.locator('main').first(),
  );
  // Our notice; Swagger UI's own markup (api-docs) has known axe findings of its own.
  await expectNoSeriousA11yViolations(page, '.MuiAlert-root');
});

test('Allowed callers: the Deny-by-IP policy lists the corporate ranges only', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'payments-webhooks-9o9c1ck71a');
  const callers = card(page, 'Allowed callers');
  await expect(
    callers.getByText('Allowed: 203.0.113.0/24, 198.51.100.16/28'),
  ).toBeVisible();
  await expect(callers.getByText('Any other address: denied.')).toBeVisible();
  await callers
    .getByRole('button', { name: 'Show the resource policy' })
    .click();
  await expect(callers.getByLabel('Resource policy')).toContainText(
    '"NotIpAddress"',
  );
  await expectNoSeriousA11yViolations(page, 'body');
});

test('Allowed callers: payments-api names the endpoints, their accounts and the deciding statement', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'payments-api-4qzwubhjbs');
  const endpoints = card(page, 'Allowed callers').getByRole('list', {
    name: 'VPC endpoints',
  });
  const shared = endpoints
    .getByRole('listitem')
    .filter({ hasText: 'vpce-32024f650157d106c' });
  await expect(shared).toContainText(
    'Owner account platform-shared (111111111111)',
  );
  await expect(shared).toContainText('Route 53 alias associated');
  await expect(shared).toContainText('Allowed by Statement[0] (Allow).');
});

test('Cost: the rarely used API behind an NLB gets the Lambda advice', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'payments-ledger-internal-q3bs8n405e');
  const cost = card(page, 'Cost');
  await expect(
    cost.getByText(
      /payments-ledger-internal pays \$\d+\.\d\d a month for the load balancer behind its VPC link/,
    ),
  ).toBeVisible();
  await expect(
    cost.getByRole('img', { name: /^Requests per day/ }),
  ).toBeVisible();
  // Human units and amounts to the cent.
  await expect(
    cost.getByRole('row', { name: /REST API requests/ }),
  ).toContainText(/\d+ requests\$3\.50 per million requests/);
  await expect(
    cost.getByText(/^Prices for us-east-1 as of \d{4}-\d\d-\d\d, from/),
  ).toBeVisible();
  const integration = card(page, 'Integrations');
  await expect(
    integration.getByRole('region', {
      name: 'VPC link ledger-link (lk7n2q, V1) → NLB',
    }),
  ).toContainText('ledger-nlb, internal, active');
  await saveScreenshot(page, 'private-api-cost', cost);
});

test('Cost: a WebSocket API counts messages and connection minutes', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'order-status-ws-eo3ln9tllx');
  const cost = card(page, 'Cost');
  await expect(
    cost.getByRole('row', { name: /WebSocket connection minutes/ }),
  ).toContainText(/minutes\$0\.25 per million minutes/);
  await expect(
    cost.getByRole('img', { name: /^Messages per day/ }),
  ).toBeVisible();
  await expect(cost.getByText(/stays open 10 minutes/)).toBeVisible();
  await saveScreenshot(page, 'private-api-cost-websocket', cost);
  await expectNoSeriousA11yViolations(page, 'body');
});

test('Diagnostics: a VPC the policy denies is unreachable, with the fix', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'payments-api-4qzwubhjbs');
  const diagnostics = card(page, 'Diagnostics');
  await diagnostics
    .getByLabel('Your VPC')
    .selectOption('vpc-b998c1730ef48bf85');
  await expect(
    diagnostics.getByText('Unreachable', { exact: true }),
  ).toBeVisible();
  const policy = diagnostics
    .getByRole('list', { name: 'Checks' })
    .getByRole('listitem')
    .filter({ has: page.getByText('Resource policy', { exact: true }) });
  await expect(policy).toContainText('Failed');
  await expect(policy).toContainText(
    "Fix: Request access for vpce-9c8c1280311ae9ffb: the owner's policy change lets calls from it in.",
  );
  await expectNoSeriousA11yViolations(page, 'body');
});

test('Authorizers and integrations: Cognito scopes, JWT issuer, ALB listener', async ({
  page,
}) => {
  await openPrivateApiTab(page, 'identity-api-0fd7wk91sz');
  await expect(
    card(page, 'Authorizers').getByRole('region', {
      name: 'Cognito user pool authorizer customers-pool',
    }),
  ).toContainText('GET /me (scope profile/read)');

  await openPrivateApiTab(page, 'payments-events-ss7tlfdy38');
  await expect(
    card(page, 'Authorizers').getByRole('region', {
      name: 'JWT authorizer partners-jwt',
    }),
  ).toContainText(
    'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pay7Qx2Lm',
  );
  await expect(
    card(page, 'Integrations').getByRole('region', {
      name: 'VPC link payments-events-link (v2pay1, V2) → ALB',
    }),
  ).toContainText('HTTPS 443');
});

test('Private APIs page: every API, filtered, with links to the entity pages and the crawl status', async ({
  page,
}) => {
  // Every demo API is in the inventory once the explorer counts 40.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Private APIs' })
    .click();
  await expect(page).toHaveURL(/\/private-apis/);
  await expect(page.getByRole('heading', { name: /^40 APIs/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Crawl status' })).toContainText(
    'payments-prod (222222222222)',
  );
  await saveScreenshot(page, 'private-apis-explorer');
  await expectNoSeriousA11yViolations(page, 'body');

  // A page at a time from the backend: 25 a page, next, sorted by cost on the server.
  const explorer = page.locator('table').filter({ hasText: 'Monthly cost' });
  await page.getByRole('button', { name: /APIs per page/ }).click();
  await page.getByRole('option', { name: '25' }).click();
  await expect(page.getByText('1–25 of 40')).toBeVisible();
  await expect(explorer.locator('tbody tr')).toHaveCount(25);
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('26–40 of 40')).toBeVisible();
  await expect(explorer.locator('tbody tr')).toHaveCount(15);
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
  await explorer.getByRole('button', { name: 'Monthly cost' }).click();
  await explorer.getByRole('button', { name: 'Monthly cost' }).click();
  await expect(page).toHaveURL(/sort=monthlyCost&order=desc/);
  await expect(page.getByText('1–25 of 40')).toBeVisible();
  const costs = await explorer
    .locator('tbody tr td:last-child')
    .allTextContents();
  const amounts = costs
    .filter(text => text.startsWith('$'))
    .map(text => Number(text.replace(/[$,]/g, '')));
  expect(amounts.length).toBeGreaterThan(1);
  expect(amounts).toEqual([...amounts].sort((x, y) => y - x));
  await saveScreenshot(page, 'private-apis-paged');
  // The next page by cursor goes on in the same order.
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('26–40 of 40')).toBeVisible();
  const next = (
    await explorer.locator('tbody tr td:last-child').allTextContents()
  )
    .filter(text => text.startsWith('$'))
    .map(text => Number(text.replace(/[$,]/g, '')));
  expect(next).toEqual([...next].sort((x, y) => y - x));
  expect(next[0]).toBeLessThanOrEqual(amounts[amounts.length - 1]);
  await page.goto('/private-apis');
  await expect(page.getByRole('heading', { name: /^40 APIs/ })).toBeVisible();

  // The owner filter on the backend agrees with the catalog: untagged APIs belong to the
  // configured default owner, as their entities do.
  await page.getByLabel('Owner').selectOption({ label: 'platform-team' });
  await expect(page).toHaveURL(/owner=group%3Adefault%2Fplatform-team/);
  await expect(
    page.getByRole('heading', { name: /^\d+ APIs?\b/ }),
  ).not.toHaveText(/^40 APIs/);
  await expect(
    explorer.getByRole('link', { name: 'legacy-reports-api' }),
  ).toBeVisible();
  await expect(
    explorer.getByRole('link', { name: 'team-payments' }),
  ).toHaveCount(0);
  await page.goto('/private-apis');
  await expect(page.getByRole('heading', { name: /^40 APIs/ })).toBeVisible();

  await page
    .getByLabel('Account', { exact: true })
    .selectOption({ label: 'payments-prod (222222222222)' });
  await expect(page.getByRole('heading', { name: /^11 APIs/ })).toBeVisible();
  await page.getByLabel('Endpoint type').selectOption('PRIVATE');
  await page.getByLabel('Authorization').selectOption({ label: 'IAM (SigV4)' });
  await expect(
    page.getByRole('heading', { name: /^\d+ APIs?\b/ }),
  ).not.toHaveText(/^11 APIs/);
  const table = page.locator('table').filter({ hasText: 'Monthly cost' });
  await expect(
    table.getByRole('link', { name: 'payments-api', exact: true }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'card-tokenization-api' }),
  ).toHaveCount(0);
  await expect(page).toHaveURL(
    /accountId=222222222222.*endpointType=PRIVATE.*authorization=AWS_IAM/,
  );
  await saveScreenshot(page, 'private-apis-filtered');

  await page.getByLabel('Search APIs').fill('ledger');
  await expect(page.getByRole('heading', { name: /^1 API\b/ })).toBeVisible();
  await table.getByRole('link', { name: 'payments-ledger-internal' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/api\/payments-ledger-internal-q3bs8n405e/,
  );
});
