import { expect, test } from '@playwright/test';
import { saveScreenshot, signInAsGuest, waitForEntity } from './helpers';

test('a guest finds a discovered API in the catalog and opens its Private API tab', async ({
  page,
  request,
}) => {
  // Discovery ingests the demo estate's APIs as API entities within seconds of start-up.
  await waitForEntity(request, {
    kind: 'api',
    name: 'payments-api-4qzwubhjbs',
  });
  await signInAsGuest(page);

  await page.goto('/?filters[kind]=api&filters[user]=all');
  await page.getByRole('textbox', { name: 'Search' }).fill('payments-api');
  const apiLink = page.getByRole('link', { name: 'payments-api', exact: true });
  await expect(apiLink).toBeVisible();
  await apiLink.click();

  await expect(
    page.getByRole('heading', { name: 'payments-api' }).first(),
  ).toBeVisible();
  // In the About card (the Overview may show it again in the API definition).
  await expect(
    page.getByText('Card and bank payments for internal services').first(),
  ).toBeVisible();
  const tab = page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Private API' });
  await expect(tab).toBeVisible();
  await tab.click();

  await expect(page).toHaveURL(/\/private-api$/);
  await expect(
    page.getByRole('heading', { name: 'API Gateway overview' }),
  ).toBeVisible();
  await expect(page.getByText('payments-api (4qzwubhjbs)')).toBeVisible();
  await expect(page.getByText(/^Last crawled \d{4}-\d\d-\d\d/)).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await saveScreenshot(page, 'private-api-tab');
});
