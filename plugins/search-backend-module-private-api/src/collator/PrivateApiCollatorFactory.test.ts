import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { PrivateApiSearchDocument } from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiCollatorFactory } from './PrivateApiCollatorFactory';

function document(apiId: string, accountId: string): PrivateApiSearchDocument {
  const name = `api-${apiId}`;
  return {
    title: name,
    text: `PRIVATE REST API ${apiId}`,
    location: `/catalog/default/api/${name}`,
    entityRef: `api:default/${name}`,
    apiId,
    apiType: 'REST',
    endpointType: 'PRIVATE',
    accountId,
    accountName: '',
    region: 'us-east-1',
    owner: 'team-a',
    routes: 'GET /',
    lambdaFunctions: '',
    integrationHosts: '',
    customDomains: '',
    vpcEndpointIds: 'vpce-0aaaaaaaaaaaaaaa1',
    vpcIds: 'vpc-0aaaaaaaaaaaaaaa1',
  };
}

/** A stand-in for the private-api backend's two routes, on loopback. */
async function startInventory(
  scopes: Record<string, PrivateApiSearchDocument[]>,
  options: { failScopes?: boolean } = {},
) {
  const requests: Array<{ url: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url!, authorization: req.headers.authorization });
    const url = new URL(req.url!, 'http://localhost');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/api/private-api/scopes') {
      if (options.failScopes) {
        res.statusCode = 503;
        res.end(JSON.stringify({ error: { name: 'Error', message: 'down' } }));
        return;
      }
      res.end(
        JSON.stringify({
          items: Object.keys(scopes).map(key => {
            const [accountId, region] = key.split('/');
            return { accountId, region };
          }),
        }),
      );
      return;
    }
    const match =
      /^\/api\/private-api\/scopes\/(\d+)\/([a-z0-9-]+)\/search-documents$/.exec(
        url.pathname,
      );
    const docs = match ? scopes[`${match[1]}/${match[2]}`] : undefined;
    if (!docs) {
      res.statusCode = 404;
      res.end('{}');
      return;
    }
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset'));
    res.end(JSON.stringify({ items: docs.slice(offset, offset + limit) }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    discovery: mockServices.discovery.mock({
      getBaseUrl: async (pluginId: string) =>
        `http://127.0.0.1:${port}/api/${pluginId}`,
    }),
    stop: () => new Promise(resolve => server.close(resolve)),
  };
}

async function collate(factory: PrivateApiCollatorFactory) {
  const documents = [];
  for await (const d of await factory.getCollator()) documents.push(d);
  return documents;
}

describe('PrivateApiCollatorFactory', () => {
  it('collates every API of every scope, a page at a time, with its catalog entity to authorize', async () => {
    const inventory = await startInventory({
      '111111111111/us-east-1': [
        document('aaaaaaaaa1', '111111111111'),
        document('aaaaaaaaa2', '111111111111'),
        document('aaaaaaaaa3', '111111111111'),
      ],
      '222222222222/us-east-1': [document('bbbbbbbbb1', '222222222222')],
    });
    try {
      const factory = new PrivateApiCollatorFactory({
        auth: mockServices.auth(),
        discovery: inventory.discovery,
        logger: mockServices.logger.mock(),
        pageSize: 2,
      });
      expect(factory.type).toBe('private-api');
      expect(factory.visibilityPermission.name).toBe('catalog.entity.read');
      const documents = await collate(factory);
      expect(documents.map(d => d.apiId)).toEqual([
        'aaaaaaaaa1',
        'aaaaaaaaa2',
        'aaaaaaaaa3',
        'bbbbbbbbb1',
      ]);
      expect(documents[0].authorization).toEqual({
        resourceRef: 'api:default/api-aaaaaaaaa1',
      });
      expect(inventory.requests.map(r => r.url)).toEqual([
        '/api/private-api/scopes',
        '/api/private-api/scopes/111111111111/us-east-1/search-documents?limit=2&offset=0',
        '/api/private-api/scopes/111111111111/us-east-1/search-documents?limit=2&offset=2',
        '/api/private-api/scopes/222222222222/us-east-1/search-documents?limit=2&offset=0',
      ]);
      expect(
        inventory.requests.every(r => r.authorization?.startsWith('Bearer ')),
      ).toBe(true);
    } finally {
      await inventory.stop();
    }
  });

  it('fails the indexing run when the private-api backend answers an error', async () => {
    const inventory = await startInventory({}, { failScopes: true });
    try {
      const factory = new PrivateApiCollatorFactory({
        auth: mockServices.auth(),
        discovery: inventory.discovery,
        logger: mockServices.logger.mock(),
      });
      await expect(collate(factory)).rejects.toThrow(/503/);
    } finally {
      await inventory.stop();
    }
  });
});
