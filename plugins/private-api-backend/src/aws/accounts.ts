import { Account, paginateListAccounts } from '@aws-sdk/client-organizations';
import { Config } from '@backstage/config';
import type { PrivateApiConfig } from '../config/config';
import type { AwsClientFactory } from './clients';

/** One account discovery crawls, with its Regions. */
export interface DiscoveryAccount {
  accountId: string;
  name?: string;
  regions: string[];
}

function isActive(account: Account): boolean {
  // `State` replaces `Status` in newer Organizations responses; accept either.
  const state = (account as { State?: string }).State ?? account.Status;
  return state === undefined || state === 'ACTIVE';
}

function matchesFilters(
  account: { accountId: string; name?: string },
  filters: { include: RegExp[]; exclude: RegExp[] },
): boolean {
  const candidates = [account.accountId, account.name ?? ''];
  const included =
    filters.include.length === 0 ||
    filters.include.some(r => candidates.some(c => r.test(c)));
  const excluded = filters.exclude.some(r => candidates.some(c => r.test(c)));
  return included && !excluded;
}

/**
 * The accounts to crawl: the explicit list, the accounts of Backstage's `aws.accounts`
 * (which also hold their credentials), and the active accounts of the organisation, merged
 * by id (an explicit entry's name and Regions win).
 */
export async function resolveAccounts(options: {
  config: PrivateApiConfig;
  rootConfig: Config;
  clients: AwsClientFactory;
}): Promise<DiscoveryAccount[]> {
  const { config, rootConfig, clients } = options;
  const byId = new Map<string, DiscoveryAccount>();
  const add = (account: DiscoveryAccount) => {
    if (!byId.has(account.accountId)) byId.set(account.accountId, account);
  };

  for (const account of config.accounts) {
    add({
      accountId: account.accountId,
      name: account.name,
      regions: account.regions ?? config.regions,
    });
  }

  if (config.useAwsIntegrationAccounts) {
    for (const account of rootConfig.getOptionalConfigArray('aws.accounts') ??
      []) {
      add({
        accountId: account.getString('accountId'),
        regions: config.regions,
      });
    }
  }

  if (config.organizations) {
    const organizations = await clients.organizations(
      config.organizations.accountId,
    );
    try {
      // Keep paging while NextToken is set, even after an empty page (AWS-FACTS §9).
      for await (const page of paginateListAccounts(
        { client: organizations, pageSize: 20 },
        {},
      )) {
        for (const account of page.Accounts ?? []) {
          if (!account.Id || !isActive(account)) continue;
          const candidate = { accountId: account.Id, name: account.Name };
          if (matchesFilters(candidate, config.organizations)) {
            add({ ...candidate, regions: config.regions });
          }
        }
      }
    } finally {
      // A client for this one listing: its connections close with it.
      organizations.destroy();
    }
  }

  return [...byId.values()];
}
