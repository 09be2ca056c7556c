import { parseCredentialScope, SessionStore } from './auth';
import { SimError } from './errors';
import { buildEstateFromObject } from './estate/load';
import type { SimRequest } from './protocols/types';

describe('parseCredentialScope', () => {
  const request = (authorization?: string, query = ''): SimRequest => ({
    method: 'GET',
    path: '/',
    query: new URLSearchParams(query),
    headers: authorization ? { authorization } : {},
    body: Buffer.alloc(0),
  });

  it('reads the key, Region and service from the Authorization header', () => {
    expect(
      parseCredentialScope(
        request(
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/apigateway/aws4_request, SignedHeaders=host, Signature=abc',
        ),
      ),
    ).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      region: 'eu-west-1',
      service: 'apigateway',
    });
  });

  it('reads a presigned URL and refuses anything else', () => {
    expect(
      parseCredentialScope(
        request(
          undefined,
          'X-Amz-Credential=KEY%2F20240101%2Fus-east-1%2Fsts%2Faws4_request',
        ),
      ),
    ).toEqual({
      accessKeyId: 'KEY',
      region: 'us-east-1',
      service: 'sts',
    });
    expect(parseCredentialScope(request())).toBeUndefined();
    expect(parseCredentialScope(request('Bearer token'))).toBeUndefined();
  });
});

describe('SessionStore', () => {
  const estate = buildEstateFromObject({
    accounts: [
      { id: '111122223333', name: 'main' },
      { id: '444455556666', name: 'member' },
    ],
  });
  const expired = () => new SimError('ExpiredToken', 'expired');

  it('expires temporary credentials at their expiration', () => {
    const sessions = new SessionStore(estate);
    const now = new Date('2025-01-01T00:00:00Z');
    const issued = sessions.issue('444455556666', 'Reader', 'tests', 900, now);
    expect(
      sessions.identify(
        issued.accessKeyId,
        new Date(now.getTime() + 899_000),
        expired,
      ).accountId,
    ).toBe('444455556666');
    expect(() =>
      sessions.identify(
        issued.accessKeyId,
        new Date(now.getTime() + 900_000),
        expired,
      ),
    ).toThrow('expired');
  });

  it('still maps a temporary key to its account after a restart (a new store)', () => {
    const issued = new SessionStore(estate).issue(
      '444455556666',
      'Reader',
      'tests',
      900,
      new Date(),
    );
    const identity = new SessionStore(estate).identify(
      issued.accessKeyId,
      new Date(),
      expired,
    );
    expect(identity.accountId).toBe('444455556666');
  });
});
