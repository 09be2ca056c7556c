import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { addAccessRequestRoutes } from '../service/accessRouter';
import { createRouter } from '../service/router';
import { addSearchDocumentRoutes } from '../service/searchRouter';

/** `METHOD /path/{param}` of every route an express router serves. */
function routesOf(router: express.Router): string[] {
  return (router.stack as any[])
    .filter(layer => layer.route)
    .flatMap(layer =>
      Object.keys(layer.route.methods).map(
        method =>
          `${method.toUpperCase()} ${String(layer.route.path).replace(
            /:(\w+)/g,
            '{$1}',
          )}`,
      ),
    )
    .sort();
}

describe('openapi.yaml', () => {
  it('documents exactly the routes the plugin serves', async () => {
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      store: {} as any,
    });
    addAccessRequestRoutes(router, {
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      requests: {} as any,
      service: {} as any,
    });
    addSearchDocumentRoutes(router, { store: {} as any, transform: {} as any });
    const document = YAML.parse(
      fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
    );
    const documented = Object.entries(document.paths as Record<string, object>)
      .flatMap(([route, methods]) =>
        Object.keys(methods)
          .filter(m => m !== 'parameters')
          .map(m => `${m.toUpperCase()} ${route}`),
      )
      .sort();
    expect(documented).toEqual(routesOf(router));
  });
});
