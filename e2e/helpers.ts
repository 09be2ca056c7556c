import { APIRequestContext, expect, Locator, Page } from '@playwright/test';
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
 * committed copies the READMEs show) when UPDATE_SCREENSHOTS=1: of the whole page, or of
 * one element (a card) when `element` is given.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  element?: Locator,
) {
  const targets = [path.resolve(__dirname, '../test-results/screenshots')];
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    targets.push(path.resolve(__dirname, '../docs/screenshots'));
  }
  for (const dir of targets) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    if (element) await element.screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
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

/**
 * Opens an API entity's Private API tab (once discovery has put the entity in the catalog)
 * and waits for its cards to load.
 */
export async function openPrivateApiTab(page: Page, entityName: string) {
  await waitForEntity(page.request, { kind: 'api', name: entityName });
  await page.goto(`/catalog/default/api/${entityName}/private-api`);
  await expect(
    page.getByRole('heading', { name: 'API Gateway overview' }),
  ).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
}

/**
 * Fails on critical or serious accessibility violations (axe-core, WCAG 2.1 A and AA) in
 * the part of the page `selector` names, listing each with the elements concerned.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  selector: string,
) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const results = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter(v => v.impact === 'critical' || v.impact === 'serious')
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map(n => n.target.join(' '))
          .join(', ')}`,
    );
  expect(serious).toEqual([]);
}
