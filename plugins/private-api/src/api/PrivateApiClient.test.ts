import { ResponseError } from '@backstage/errors';
import { PrivateApiClient } from './PrivateApiClient';
import { paymentsApi } from '../__testUtils__/demoData';

const BASE = 'http://backstage.test/api/private-api';

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function setup(respond: (url: string, init?: RequestInit) => Response) {
  const fetch = jest.fn(async (url: string, init?: RequestInit) =>
    respond(url, init),
  );
  const client = new PrivateApiClient({
    discoveryApi: { getBaseUrl: async () => BASE },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

describe('PrivateApiClient', () => {
  it('lists APIs with only the filters that are set', async () => {
    const { client, fetch } = setup(() => json({ items: [], totalCount: 0 }));
    await client.listApis({
      accountId: '222222222222',
      apiType: 'REST',
      q: 'pay ments',
      limit: 1000,
      offset: 0,
      region: undefined,
    });
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/apis?accountId=222222222222&apiType=REST&q=pay+ments&limit=1000&offset=0`,
      undefined,
    );
  });

  it('reads one API by account, Region and id', async () => {
    const { client, fetch } = setup(() => json(paymentsApi));
    const details = await client.getApiDetails({
      accountId: '222222222222',
      region: 'us-east-1',
      apiId: '4qzwubhjbs',
    });
    expect(details.api.name).toBe('payments-api');
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/apis/222222222222/us-east-1/4qzwubhjbs`,
      undefined,
    );
  });

  it('returns the OpenAPI definition as the text the backend sent', async () => {
    const text = '{\n  "openapi": "3.0.1"\n}';
    const { client } = setup(
      () =>
        new Response(text, { headers: { 'content-type': 'application/json' } }),
    );
    await expect(
      client.getApiDefinition({
        accountId: '222222222222',
        region: 'us-east-1',
        apiId: '4qzwubhjbs',
      }),
    ).resolves.toBe(text);
  });

  it('turns a failed response into a ResponseError with the backend message', async () => {
    const { client } = setup(() =>
      json(
        {
          error: { name: 'NotFoundError', message: 'No API zzzzzzzzzz' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    const error = await client
      .getApiDetails({
        accountId: '222222222222',
        region: 'us-east-1',
        apiId: 'zzzzzzzzzz',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('No API zzzzzzzzzz');
  });

  it('shares one request between identical GETs in flight, and asks again afterwards', async () => {
    const { client, fetch } = setup(() => json({ items: [] }));
    await Promise.all([client.listScopes(), client.listScopes()]);
    expect(fetch).toHaveBeenCalledTimes(1);
    await client.listScopes();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('starts discovery with a POST, and reports a refusal', async () => {
    const { client, fetch } = setup(() =>
      json(
        {
          error: {
            name: 'NotAllowedError',
            message: 'You may not start a discovery run',
          },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    await expect(client.refresh()).rejects.toThrow(/403/);
    expect(fetch).toHaveBeenCalledWith(`${BASE}/refresh`, { method: 'POST' });
  });
});
