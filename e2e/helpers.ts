import { APIRequestContext, expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** Signs in with the guest provider, as a person does on the sign-in page. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/**
 * Saves a screenshot under test-results/screenshots, and under docs/screenshots (the
 * committed copies the READMEs show) when UPDATE_SCREENSHOTS=1.
 */
export async function saveScreenshot(page: Page, name: string) {
  const targets = [path.resolve(__dirname, '../test-results/screenshots')];
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    targets.push(path.resolve(__dirname, '../docs/screenshots'));
  }
  for (const dir of targets) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({
      path: path.join(dir, `${name}.png`),
      fullPage: true,
    });
  }
}

/** A guest's Backstage token, as the sign-in page gets it. */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const response = await request.get('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()).backstageIdentity.token;
}

/**
 * Waits until the catalog holds an entity: discovery and the catalog module ingest the
 * demo estate some seconds after the backend answers its health check.
 */
export async function waitForEntity(
  request: APIRequestContext,
  ref: { kind: string; name: string; namespace?: string },
) {
  const token = await guestToken(request);
  const url = `/api/catalog/entities/by-name/${ref.kind}/${
    ref.namespace ?? 'default'
  }/${ref.name}`;
  await expect
    .poll(
      async () =>
        (
          await request.get(url, {
            headers: { Authorization: `Bearer ${token}` },
          })
        ).status(),
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBe(200);
}
