import { useMemo } from 'react';
import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Content,
  Header,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ApiTable, ApiRow } from './ApiTable';
import { CrawlStatus, StaleScopesAlert } from './CrawlStatus';
import { ExplorerFiltersBar } from './ExplorerFiltersBar';
import {
  matchesClientFilters,
  serverQuery,
  useExplorerFilters,
} from './filters';
import {
  useAllApis,
  useCatalogOwners,
  useEstate,
  useScopes,
} from './useExplorerData';

/**
 * Every discovered API in one table, with filters (among them "Callable from": what a VPC or
 * endpoint may call, and how), the catalog owner, allowed callers and monthly cost with the
 * total of the rows shown, links to the entity pages, and the crawl status of every account
 * and Region.
 * Without a page header: the new frontend system's page puts its own around it.
 *
 * @public
 */
export function PrivateApiExplorerContent() {
  const [filters, setFilters] = useExplorerFilters();
  const query = serverQuery(filters);
  const apis = useAllApis(query);
  const scopes = useScopes();
  const owners = useCatalogOwners();
  const estate = useEstate();

  const ownerOf = useMemo(() => {
    const map = owners.value;
    return (entityName: string) => map?.get(entityName);
  }, [owners.value]);
  const rows: ApiRow[] = useMemo(
    () =>
      (apis.value ?? [])
        .filter(api => matchesClientFilters(api, filters, ownerOf))
        .map(api => ({ ...api, owner: ownerOf(api.entityName) })),
    [apis.value, filters, ownerOf],
  );
  const ownerRefs = useMemo(
    () => [...new Set(owners.value?.values() ?? [])].sort(),
    [owners.value],
  );

  return (
    <Box display="flex" flexDirection="column" gridGap={24}>
      <StaleScopesAlert scopes={scopes.value ?? []} />
      <ExplorerFiltersBar
        filters={filters}
        onChange={setFilters}
        scopes={scopes.value ?? []}
        owners={ownerRefs}
        estate={estate.value}
      />
      {owners.error && (
        <Alert severity="warning">
          The catalog did not answer ({owners.error.message}): owners are not
          shown and the owner filter is off.
        </Alert>
      )}
      {apis.error ? (
        <ResponseErrorPanel error={apis.error} />
      ) : (
        <ApiTable
          rows={rows}
          loading={apis.loading}
          reachable={!!filters.from}
        />
      )}
      <CrawlStatus scopes={scopes} retry={scopes.retry} />
    </Box>
  );
}

/**
 * The Private APIs page for the legacy frontend system, with its header.
 *
 * @public
 */
export function PrivateApiExplorerPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Private APIs"
        subtitle="Every Amazon API Gateway API discovered across your AWS accounts and Regions"
      />
      <Content>
        <PrivateApiExplorerContent />
      </Content>
    </Page>
  );
}
