import {
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { Simulator } from '../index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from '../__testUtils__';

/** Organizations ListAccounts (awsJson1_1): paging that includes empty pages. */
describe('Organizations', () => {
  let simulator: Simulator;
  let management: OrganizationsClient;

  beforeAll(async () => {
    simulator = await startSimulator();
    management = new OrganizationsClient(clientConfig(simulator));
  });
  afterAll(() => simulator.stop());

  it('lists every account only to a client that keeps paging through empty pages', async () => {
    const pages: number[] = [];
    const accounts: string[] = [];
    let token: string | undefined;
    do {
      const page = await management.send(
        new ListAccountsCommand({ MaxResults: 2, NextToken: token }),
      );
      pages.push(page.Accounts!.length);
      accounts.push(...page.Accounts!.map(a => a.Id!));
      token = page.NextToken;
    } while (token);
    // An empty first page, three real pages, an empty last page.
    expect(pages).toEqual([0, 2, 2, 1, 0]);
    expect(accounts).toEqual([
      DEMO.platform,
      DEMO.payments,
      DEMO.identity,
      DEMO.commerce,
      DEMO.analytics,
    ]);
  });

  it('returns the account shape with names, emails and ARNs', async () => {
    let token: string | undefined;
    const all = [];
    do {
      const page = await management.send(
        new ListAccountsCommand({ NextToken: token }),
      );
      all.push(...page.Accounts!);
      token = page.NextToken;
    } while (token);
    expect(all[1]).toMatchObject({
      Id: DEMO.payments,
      Name: 'payments-prod',
      Email: 'aws-payments@example.com',
      Status: 'ACTIVE',
      Arn: `arn:aws:organizations::${DEMO.platform}:account/o-demo4k2m9x7q/${DEMO.payments}`,
      JoinedMethod: 'CREATED',
    });
    expect(all[1].JoinedTimestamp).toEqual(new Date('2019-06-15T00:00:00Z'));
  });

  it('pages without empty pages when the estate turns them off', async () => {
    const plain = await startSimulator({
      estate: {
        organization: { emptyPages: false },
        accounts: [
          { id: '111122223333', name: 'main' },
          { id: '444455556666', name: 'member' },
        ],
      },
    });
    try {
      const page = await new OrganizationsClient(clientConfig(plain)).send(
        new ListAccountsCommand({}),
      );
      expect(page.Accounts!.map(a => a.Name)).toEqual(['main', 'member']);
      expect(page.NextToken).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });

  it('refuses member accounts, bad MaxResults and forged tokens', async () => {
    const member = new OrganizationsClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.identity)),
    );
    const denied = await errorOf(member.send(new ListAccountsCommand({})));
    expect(denied.name).toBe('AccessDeniedException');
    const tooMany = await errorOf(
      management.send(new ListAccountsCommand({ MaxResults: 21 })),
    );
    expect(tooMany.name).toBe('InvalidInputException');
    expect(tooMany.Reason).toBe('MAX_VALUE_EXCEEDED');
    const forged = await errorOf(
      management.send(new ListAccountsCommand({ NextToken: 'abc' })),
    );
    expect(forged.Reason).toBe('INVALID_PAGINATION_TOKEN');
  });
});
