import { useEffect, useRef } from 'react';
import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Content, Header, Page } from '@backstage/core-components';
import { ApiTable } from './ApiTable';
import { CrawlStatus, StaleScopesAlert } from './CrawlStatus';
import { ExplorerFiltersBar } from './ExplorerFiltersBar';
import { serverQuery, useExplorerFilters, useExplorerOrder } from './filters';
import { useEstate, useOwnerChoices, useScopes } from './useExplorerData';
import { useApiPages } from '../common/useApiPages';
import { useDiscoverySignal } from '../common/useDiscoverySignal';
import { LoadError } from '../common/LoadError';

/**
 * Every discovered API in one table, a page at a time in the order picked (the backend
 * filters, sorts and pages), with filters (among them "Callable from": what a VPC or
 * endpoint may call, and how), the catalog owner, allowed callers and monthly cost with the
 * total of every API the filters match, links to the entity pages, and the crawl status of
 * every account and Region.
 * Without a page header: the new frontend system's page puts its own around it.
 *
 * @public
 */
export function PrivateApiExplorerContent() {
  const [filters, setFilters] = useExplorerFilters();
  const [order, setOrder] = useExplorerOrder();
  const pages = useApiPages(serverQuery(filters), order);
  const scopes = useScopes();
  const owners = useOwnerChoices();
  const estate = useEstate();
  // A finished discovery run may have changed any page and the totals: read them again
  // (the page by the same cursor, so the reader stays where they are).
  const signal = useDiscoverySignal();
  const reload = useRef(() => {});
  reload.current = () => {
    pages.retry();
    pages.totals.retry();
  };
  useEffect(() => {
    if (signal?.type === 'run-finished') reload.current();
  }, [signal]);

  return (
    <Box display="flex" flexDirection="column" gridGap={24}>
      <StaleScopesAlert scopes={scopes.value ?? []} />
      <ExplorerFiltersBar
        filters={filters}
        onChange={setFilters}
        scopes={scopes.value ?? []}
        owners={owners.value ?? []}
        estate={estate.value}
      />
      {owners.error && (
        <Alert severity="warning">
          The catalog did not answer ({owners.error.message}): the owner filter
          offers no owners.
        </Alert>
      )}
      {pages.error ? (
        <Box>
          <LoadError error={pages.error} retry={pages.retry} />
        </Box>
      ) : (
        <ApiTable
          pages={pages}
          order={order}
          onOrder={setOrder}
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
