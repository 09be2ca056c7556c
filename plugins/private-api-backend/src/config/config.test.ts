import { ConfigReader } from '@backstage/config';
import { readPrivateApiConfig } from './config';

describe('readPrivateApiConfig', () => {
  it('fills documented defaults', () => {
    const config = readPrivateApiConfig(
      new ConfigReader({
        privateApi: { accounts: [{ accountId: '111111111111' }] },
      }),
    );
    expect(config).toMatchObject({
      regions: ['us-east-1'],
      apiTypes: ['REST', 'HTTP', 'WEBSOCKET'],
      tagKeys: { owner: 'owner', system: 'system', lifecycle: 'lifecycle' },
      defaults: { lifecycle: 'production' },
      exportDefinitions: true,
      traffic: { enabled: true, days: 30 },
      quotas: {
        enabled: true,
        requestsPerSecond: 10,
        burst: 40,
        getResourcesPerSecond: 2.5,
      },
      schedule: { frequency: { minutes: 30 }, scope: 'global' },
    });
  });

  it('reads a schedule in the Backstage scheduler format', () => {
    const config = readPrivateApiConfig(
      new ConfigReader({
        privateApi: {
          accounts: [{ accountId: '111111111111' }],
          schedule: { frequency: { minutes: 5 }, timeout: { minutes: 4 } },
        },
      }),
    );
    expect(config.schedule).toMatchObject({
      frequency: { minutes: 5 },
      timeout: { minutes: 4 },
      scope: 'global',
    });
  });

  it('names every bad key in one error', () => {
    expect(() =>
      readPrivateApiConfig(
        new ConfigReader({
          privateApi: {
            accounts: [{ accountId: '111111111111' }, { accountId: 12345 }],
            regions: ['us-east-1', 'Virginia'],
            apiTypes: ['SOAP'],
            endpoints: { default: 'not a url' },
            typo: true,
          },
        }),
      ),
    ).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /privateApi\.accounts\[1\]\.accountId[\s\S]*privateApi\.regions\[1\]: expected an AWS Region code[\s\S]*privateApi\.apiTypes\[0\][\s\S]*privateApi\.endpoints\.default: expected a URL[\s\S]*typo/,
        ),
      }),
    );
  });

  it('refuses a privateApi section with no account source', () => {
    expect(() =>
      readPrivateApiConfig(
        new ConfigReader({ privateApi: { regions: ['eu-west-1'] } }),
      ),
    ).toThrow(/no accounts to discover; set privateApi.accounts/);
  });

  it('compiles organization filters', () => {
    const config = readPrivateApiConfig(
      new ConfigReader({
        privateApi: {
          organizations: {
            accountId: '999999999999',
            include: ['^prod-'],
            exclude: ['sandbox'],
          },
        },
      }),
    );
    expect(config.organizations!.include[0].test('prod-payments')).toBe(true);
    expect(() =>
      readPrivateApiConfig(
        new ConfigReader({
          privateApi: {
            organizations: { accountId: '999999999999', include: ['('] },
          },
        }),
      ),
    ).toThrow(
      /privateApi\.organizations\.include\[0\]: expected a valid regular expression/,
    );
  });

  it('keeps a policy thread for users unless told otherwise, and refuses more discovery threads than threads', () => {
    const read = (policyWorkers: object) =>
      readPrivateApiConfig(
        new ConfigReader({
          privateApi: {
            accounts: [{ accountId: '111111111111' }],
            policyWorkers,
          },
        }),
      ).policyWorkers;
    expect(read({}).threads).toBeGreaterThanOrEqual(2);
    expect(read({ threads: 4, discoveryThreads: 4 })).toMatchObject({
      threads: 4,
      discoveryThreads: 4,
    });
    expect(() => read({ threads: 2, discoveryThreads: 3 })).toThrow(
      /privateApi\.policyWorkers\.discoveryThreads: discoveryThreads must not exceed threads/,
    );
  });
});
