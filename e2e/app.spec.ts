import { expect, test } from '@playwright/test';
import { saveScreenshot, signInAsGuest } from './helpers';

test('a guest opens an API from the catalog and sees its Private API tab', async ({
  page,
}) => {
  await signInAsGuest(page);

  // The catalog is the landing page; APIs are a kind filter away.
  await page.goto('/?filters[kind]=api&filters[user]=all');
  const apiLink = page.getByRole('link', { name: 'orders-internal' });
  await expect(apiLink).toBeVisible();
  await apiLink.click();

  await expect(
    page.getByRole('heading', { name: 'orders-internal' }).first(),
  ).toBeVisible();
  const tab = page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Private API' });
  await expect(tab).toBeVisible();
  await tab.click();

  await expect(page).toHaveURL(/\/private-api$/);
  await expect(
    page.getByText('No discovery data yet for API a1b2c3d4e5'),
  ).toBeVisible();
  await saveScreenshot(page, 'private-api-tab-empty');
});
