import { expect, Page, test } from '@playwright/test';
import {
  expectNoSeriousA11yViolations,
  guestToken,
  openPrivateApiTab,
  saveScreenshot,
  signInAsGuest,
  waitForEntity,
} from './helpers';

/**
 * The request flow as a new user meets it, on the demo estate: payments-api (payments-prod,
 * owned by team-payments, of which the guest is a member) does not admit the endpoint
 * ENDPOINT yet, and already admits ALLOWED. The guest asks, reviews the change before
 * deciding, approves and applies; discovery verifies it, and the page follows live.
 */
const API = 'payments-api-4qzwubhjbs';
const ENDPOINT = 'vpce-7f1e4286439ccf7e5';
const ALLOWED = 'vpce-32024f650157d106c';
const EU_VPC = 'vpc-0849c72ce1d57e213';

function card(page: Page, title: string) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/** Whether the sidebar shows a label whole (not cut with an ellipsis). */
async function isWhole(page: Page, label: string): Promise<boolean> {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByText(label, { exact: true })
    .evaluate(e => e.scrollWidth <= e.clientWidth);
}

test('first impressions: the catalog opens on APIs, the sidebar labels are whole', async ({
  page,
}) => {
  await waitForEntity(page.request, { kind: 'api', name: API });
  await signInAsGuest(page);
  await expect(page.getByText(/^Owned apis \(\d+\)$/i)).toBeVisible();
  await expect(page.getByText(/components \(0\)/i)).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'VPC access' })).toBeVisible();
  expect(await isWhole(page, 'VPC access')).toBe(true);
  expect(await isWhole(page, 'Private APIs')).toBe(true);
  await saveScreenshot(page, 'catalog-first-view');
});

test('a request is reviewed before the decision, has its own page, and is verified live', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page);
  await openPrivateApiTab(page, API);

  // The form: what the policy admits is marked, the justification counted, the Region checked.
  await card(page, 'VPC access requests')
    .getByRole('button', { name: 'Request access' })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Call from').click();
  await expect(
    page.getByRole('option', {
      name: new RegExp(`${ALLOWED}.*already allowed`),
    }),
  ).toHaveAttribute('aria-disabled', 'true');
  await page.getByRole('option', { name: 'A VPC (by id)…' }).click();
  await dialog.getByLabel('VPC id').fill(EU_VPC);
  await expect(
    dialog.getByText(
      new RegExp(
        `${EU_VPC} is in eu-west-1, and payments-api is a private API in us-east-1`,
      ),
    ),
  ).toBeVisible();
  await dialog.getByLabel('Call from').click();
  await page.getByRole('option', { name: new RegExp(ENDPOINT) }).click();
  const why = dialog.getByLabel('Why does this VPC need the API?');
  await why.fill('Payouts');
  await expect(
    dialog.getByText(/At least 10 characters \(7\/10\)/),
  ).toBeVisible();
  await expect(
    dialog.getByRole('button', { name: 'Send request' }),
  ).toBeDisabled();
  await why.fill('Payouts settle card payments every night');
  await expectNoSeriousA11yViolations(page, '[role="dialog"]');
  await saveScreenshot(page, 'request-flow-form', dialog);
  await dialog.getByRole('button', { name: 'Send request' }).click();

  // The request's own page, in view, its row marked, the change shown before the decision.
  await page.getByRole('link', { name: 'Follow it' }).click();
  await expect(page).toHaveURL(/\/private-apis\/access-requests\/[^/?]+$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const details = card(page, 'Access request for payments-api');
  await expect(details).toBeInViewport();
  await expect(
    page
      .getByRole('link', { name: 'payments-api' })
      .and(page.locator('[aria-current="page"]')),
  ).toBeVisible();
  await expect(details.getByText('What approving changes')).toBeVisible();
  await expect(
    details.getByText(new RegExp(`\\+.*${ENDPOINT}`)).first(),
  ).toBeVisible();
  await expect(details.getByRole('button', { name: 'Approve' })).toBeVisible();
  // The requester by the catalog's display name, times in UTC.
  await expect(details.getByText('user:default/guest')).toHaveCount(0);
  await expect(
    details.getByText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC \(/).first(),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'body');
  await saveScreenshot(page, 'request-flow-review');
  await page.setViewportSize({ width: 1024, height: 900 });
  await saveScreenshot(page, 'request-flow-review-1024');
  await page.setViewportSize({ width: 1440, height: 1000 });

  // A notification's older link opens the same page.
  await page.goto(`/private-apis/access-requests?request=${id}`);
  await expect(page).toHaveURL(
    new RegExp(`/private-apis/access-requests/${id}$`),
  );
  await expect(details.getByRole('button', { name: 'Approve' })).toBeVisible();

  await details.getByRole('button', { name: 'Approve' }).click();
  await details.getByRole('button', { name: 'Apply…' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Apply and redeploy' })
    .click();
  await expect(
    details.getByText('Applied, awaiting discovery').first(),
  ).toBeVisible({ timeout: 30_000 });
  await expect(
    details.getByText(
      /The next discovery run (starts about|is due)|Discovery is running now/,
    ),
  ).toBeVisible();
  await expect(
    details.getByRole('button', { name: 'Verify now' }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'body');
  await saveScreenshot(page, 'request-flow-applied');

  // Discovery runs; the open page follows it through signals, with no reload.
  const token = await guestToken(request);
  expect(
    (
      await request.post('/api/private-api/refresh', {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).status(),
  ).toBe(202);
  await expect(details.getByText('Verified').first()).toBeVisible({
    timeout: 90_000,
  });
  await saveScreenshot(page, 'request-flow-verified');

  // "To approve" holds only what waits on the owners: not this verified request.
  await page.getByRole('tab', { name: 'To approve' }).click();
  await expect(page).toHaveURL(/view=approvals/);
  await expect(
    page.locator('table').getByRole('link', { name: 'payments-api' }),
  ).toHaveCount(0);
});

test('the crawl status follows a discovery run live', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsGuest(page);
  await page.goto('/private-apis');
  const status = card(page, 'Crawl status');
  await expect(
    status.getByRole('table', { name: 'Crawl status' }),
  ).toBeVisible();
  await expect(status.getByText(/It runs every 10 minutes\./)).toBeVisible();
  await status.getByRole('button', { name: 'Start discovery now' }).click();
  await expect(status.getByText(/^Discovery started/)).toBeVisible();
  // Live: the run's end arrives as a signal and the summary says when it ran, no reload.
  await expect(
    status.getByText(/Last run .* \((just now|1 minute ago)\)/),
  ).toBeVisible({
    timeout: 90_000,
  });
  await expectNoSeriousA11yViolations(page, 'body');
  await page.setViewportSize({ width: 1024, height: 900 });
  await saveScreenshot(page, 'private-apis-crawl-status-1024', status);
});
