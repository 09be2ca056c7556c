import { expect, Page, test } from '@playwright/test';
import {
  expectNoSeriousA11yViolations,
  guestToken,
  openPrivateApiTab,
  saveScreenshot,
  signInAsGuest,
} from './helpers';

/**
 * Self-service VPC access on the demo estate: commerce-prod's execute-api endpoint is not
 * allowed to call payouts-api (payments-prod). The guest asks for it, and, being a member
 * of team-payments (the API's owners), approves and applies it; the next discovery verifies
 * it, and the API's page shows the endpoint allowed with a ready command.
 */
const API = 'payouts-api-72v9kwgp8o';
const ENDPOINT = 'vpce-9c8c1280311ae9ffb';

function card(page: Page, title: string) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

test('a consumer requests VPC access, the owner approves and applies, discovery verifies it', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page);
  await openPrivateApiTab(page, API);

  // Allowed callers lists the owners' own endpoints, not commerce's.
  const allowed = card(page, 'Allowed callers');
  await expect(allowed.getByText(ENDPOINT)).toHaveCount(0);

  // The consumer asks.
  const requests = card(page, 'VPC access requests');
  await requests.getByRole('button', { name: 'Request access' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Call from').click();
  await page.getByRole('option', { name: new RegExp(ENDPOINT) }).click();
  await dialog.getByLabel(/Also associate the endpoint with the API/).check();
  await dialog
    .getByLabel('Why does this VPC need the API?')
    .fill('Checkout pays merchants out after each settled order');
  await expectNoSeriousA11yViolations(page, '[role="dialog"]');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(
    page.getByText('Request sent to the API’s owners.'),
  ).toBeVisible();

  // The owner opens it from the link, sees the proposed change, approves, applies.
  await page.getByRole('link', { name: 'Follow it' }).click();
  await expect(page).toHaveURL(/\/private-apis\/access-requests\/[^/?]+$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const details = page
    .locator('.MuiCard-root')
    .filter({ hasText: `Request ${id}` });
  await expect(details.getByText('Pending approval').first()).toBeVisible();
  await details.getByRole('button', { name: 'Approve' }).click();
  await expect(
    details.getByText('Approved', { exact: true }).first(),
  ).toBeVisible();
  await expect(details.getByText(ENDPOINT).first()).toBeVisible();
  await details.getByRole('button', { name: 'Apply…' }).click();
  const apply = page.getByRole('dialog');
  await expect(
    apply.getByText(new RegExp(`\\+.*${ENDPOINT}`)).first(),
  ).toBeVisible();
  await saveScreenshot(page, 'access-request-apply');
  await apply.getByRole('button', { name: 'Apply and redeploy' }).click();
  await expect(
    details.getByText('Applied, awaiting discovery').first(),
  ).toBeVisible({ timeout: 30_000 });

  // The next discovery sees the endpoint allowed and verifies the request.
  const token = await guestToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  expect(
    (await request.post('/api/private-api/refresh', { headers })).status(),
  ).toBe(202);
  await expect
    .poll(
      async () =>
        (
          await (
            await request.get(`/api/private-api/access-requests/${id}`, {
              headers,
            })
          ).json()
        ).state,
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBe('verified');
  await page.reload();
  await expect(details.getByText('Verified').first()).toBeVisible();
  await expect(details.getByText(/discovery · verify/)).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'body');
  await saveScreenshot(page, 'access-request-verified');

  // The consumer's page: the endpoint is allowed, and private DNS gives a ready command.
  await openPrivateApiTab(page, API);
  await expect(
    card(page, 'Allowed callers').getByText(ENDPOINT).first(),
  ).toBeVisible();
  const invoke = card(page, 'How to invoke');
  const picker = invoke.getByLabel('Calling from');
  const option = picker.locator('option', { hasText: ENDPOINT });
  await picker.selectOption({ label: (await option.textContent())!.trim() });
  await expect(
    invoke
      .locator('pre code', {
        hasText:
          'https://72v9kwgp8o.execute-api.us-east-1.amazonaws.com/prod/payouts',
      })
      .first(),
  ).toBeVisible();

  // The owner takes the endpoint out again from the Allowed callers card: a revoke request,
  // approved and applied the same way, verified at once with Verify now.
  await card(page, 'Allowed callers')
    .getByRole('button', { name: `Revoke ${ENDPOINT}` })
    .click();
  const revokeDialog = page.getByRole('dialog');
  await revokeDialog
    .getByLabel('Why (shown to the owners)')
    .fill('Checkout moved payouts to the settlement service');
  // The grant associated the endpoint: the revoke takes the association away too.
  await expect(
    revokeDialog.getByLabel(/Also remove .* association with the API/),
  ).toBeChecked();
  await expectNoSeriousA11yViolations(page, '[role="dialog"]');
  await revokeDialog.getByRole('button', { name: 'Ask to revoke' }).click();
  await expect(page.getByText('Revoke requested.')).toBeVisible();
  await page.getByRole('link', { name: 'Follow it' }).click();
  await expect(page).toHaveURL(
    /\/private-apis\/access-requests\/[0-9a-f-]{36}/,
  );
  const revokeId = new URL(page.url()).pathname.split('/').pop()!;
  const revokeDetails = page
    .locator('.MuiCard-root')
    .filter({ hasText: `Request ${revokeId}` });
  await expect(revokeDetails.getByText('Revoke ·').first()).toBeVisible();
  await revokeDetails.getByRole('button', { name: 'Approve' }).click();
  await revokeDetails.getByRole('button', { name: 'Apply…' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Apply and redeploy' })
    .click();
  await expect(
    revokeDetails.getByText('Applied, awaiting discovery').first(),
  ).toBeVisible({ timeout: 30_000 });
  await expect(revokeDetails.getByLabel('Stage deployments')).toContainText(
    'deployed with the change',
  );
  await revokeDetails.getByRole('button', { name: 'Verify now' }).click();
  await expect(revokeDetails.getByText('Verified').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    revokeDetails.getByText(/no longer associated/).first(),
  ).toBeVisible();
  await saveScreenshot(page, 'access-request-revoked');
  await openPrivateApiTab(page, API);
  await expect(card(page, 'Allowed callers').getByText(ENDPOINT)).toHaveCount(
    0,
  );
});
