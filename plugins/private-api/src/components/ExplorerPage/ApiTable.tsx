import { Box, Chip, Theme, Typography, useMediaQuery } from '@material-ui/core';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  ApiListSort,
  ApiSummary,
} from '@private-api-catalog/plugin-private-api-common';
import { ReactNode } from 'react';
import { formatUsd } from '../common/format';
import { AUTHORIZATION_TYPES } from './filters';
import { KeysetPagination } from '../common/KeysetPagination';
import { ApiPageOrder, ApiPages, PAGE_SIZES } from '../common/useApiPages';

/** One row: the API with the owner the catalog gives it (stored by discovery). */
export type ApiRow = ApiSummary;

const AUTH_LABEL = Object.fromEntries(
  AUTHORIZATION_TYPES.map(a => [
    a.value,
    a.label.replace(' (open routes)', ''),
  ]),
);

/**
 * The server's order behind each sortable column (the backend sorts and pages; the table
 * keeps the rows in the order they come). "Allowed callers" puts any endpoint above every
 * count and none below; a cost not computed yet sorts below every figure.
 */
const SORT_OF_COLUMN: Record<string, ApiListSort> = {
  API: 'name',
  Type: 'type',
  'Account and Region': 'account',
  Owner: 'owner',
  'Allowed callers': 'allowedCallers',
  Access: 'allowedCallers',
  'Monthly cost': 'monthlyCost',
};

/** Keeps the server's order: material-table sorts a page's rows otherwise. */
const serverOrder = () => 0;

/** Who the policy lets in: any endpoint, a count of the VPCs and endpoints it names, or none. */
export function allowedCallersText(row: ApiSummary): string {
  switch (row.callerAccess) {
    case 'any':
      return 'Any VPC endpoint';
    case 'listed': {
      const n = row.allowedVpcCount ?? 0;
      if (n === 1) return '1 VPC or endpoint';
      return n > 1 ? `${n} VPCs or endpoints` : 'Some';
    }
    case 'none':
      return row.hasPolicy === false ? 'None (no policy)' : 'None';
    case 'unknown':
      return 'Unknown';
    default:
      return row.endpointType === 'PRIVATE' && row.allowedVpcCount !== undefined
        ? String(row.allowedVpcCount)
        : '—';
  }
}

const VIA_LABEL: Record<string, string> = {
  'private-custom-domain': 'private custom domain',
  'private-dns': 'private DNS',
  'route53-alias': 'Route 53 alias',
  'vpce-dns': 'endpoint DNS name + Host header',
};

/** The path of the entity page's Private API tab (as the plugin mounts it). */
const ENTITY_TAB = 'private-api';

function FromThere(props: { row: ApiRow }) {
  const { row } = props;
  const entityRoute = useRouteRef(entityRouteRef);
  const access = row.access;
  if (!access) return <>—</>;
  const link = `${entityRoute({
    kind: 'api',
    namespace: 'default',
    name: row.entityName,
  })}/${ENTITY_TAB}?caller=${encodeURIComponent(
    `vpce:${access.vpcEndpointId}`,
  )}`;
  return (
    <Box style={{ overflowWrap: 'anywhere' }}>
      <Typography variant="body2" component="span">
        {access.invokeUrl ?? 'no stage deployed'}
      </Typography>
      <Typography variant="caption" display="block" color="textSecondary">
        via {access.vpcEndpointId}
        {access.via ? `, ${VIA_LABEL[access.via]}` : ''}
        {access.verdict === 'signed-only'
          ? `; signed callers only: ${access.principals.join('; ')}`
          : ''}
      </Typography>
      <Link to={link}>How to call it from there</Link>
    </Box>
  );
}

function ApiName(props: { row: ApiRow; children?: ReactNode }) {
  const { row, children } = props;
  return (
    <Box>
      <EntityRefLink
        entityRef={{
          kind: 'API',
          namespace: 'default',
          name: row.entityName,
        }}
        hideIcon
      >
        {row.name}
      </EntityRefLink>
      <Box display="flex" alignItems="center" gridGap={8}>
        <Typography variant="caption" color="textSecondary">
          {row.apiId}
        </Typography>
        {row.stale && (
          <Chip size="small" variant="outlined" label="stale data" />
        )}
      </Box>
      {children}
    </Box>
  );
}

function accountAndRegion(row: ApiRow): string {
  return row.accountName
    ? `${row.accountName} (${row.accountId}), ${row.region}`
    : `${row.accountId}, ${row.region}`;
}

function OwnerLink(props: { row: ApiRow }) {
  return props.row.owner ? (
    <EntityRefLink entityRef={props.row.owner} defaultKind="Group" hideIcon />
  ) : (
    <>—</>
  );
}

function authorizationText(row: ApiRow): string {
  return row.authorizationTypes.map(t => AUTH_LABEL[t] ?? t).join(', ') || '—';
}

function AllowedCallers(props: { row: ApiRow }) {
  const { row } = props;
  return (
    <Box>
      {allowedCallersText(row)}
      {row.crossAccount && (
        <Typography variant="caption" display="block" color="textSecondary">
          incl. other accounts
        </Typography>
      )}
    </Box>
  );
}

const costColumn: TableColumn<ApiRow> = {
  title: 'Monthly cost',
  field: 'monthlyCostUsd',
  type: 'numeric',
  render: row =>
    row.monthlyCostUsd === undefined ? '—' : formatUsd(row.monthlyCostUsd),
};

const columns: TableColumn<ApiRow>[] = [
  {
    title: 'API',
    field: 'name',
    highlight: true,
    cellStyle: { minWidth: 150 },
    render: row => <ApiName row={row} />,
  },
  {
    title: 'Type',
    field: 'endpointType',
    render: row => (
      <Box>
        {row.apiType}
        <Typography variant="caption" display="block" color="textSecondary">
          {row.endpointType}
        </Typography>
      </Box>
    ),
  },
  {
    title: 'Account and Region',
    field: 'accountName',
    render: row => (
      <Box>
        {row.accountName ?? row.accountId}
        <Typography variant="caption" display="block" color="textSecondary">
          {row.accountName ? `${row.accountId}, ` : ''}
          {row.region}
        </Typography>
      </Box>
    ),
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row => <OwnerLink row={row} />,
  },
  {
    title: 'Authorization',
    sorting: false,
    render: authorizationText,
  },
  {
    title: 'Allowed callers',
    field: 'allowedVpcCount',
    render: row => <AllowedCallers row={row} />,
  },
  costColumn,
];

/** How to call each API from the picked caller; `minWidth` keeps a URL to a few lines. */
function fromThereColumn(minWidth: number): TableColumn<ApiRow> {
  return {
    title: 'From there',
    sorting: false,
    cellStyle: { minWidth },
    render: row => <FromThere row={row} />,
  };
}

/**
 * "What can this caller call" on a narrow screen (below 1280 px, e.g. 1024 px with the
 * sidebar open): account, Region and owner go under the API's name, authorization and
 * allowed callers share a column, so the way to call each API fits beside it without
 * scrolling the table sideways.
 */
const compactReachableColumns: TableColumn<ApiRow>[] = [
  {
    title: 'API',
    field: 'name',
    highlight: true,
    cellStyle: { minWidth: 150 },
    render: row => (
      <ApiName row={row}>
        <Typography variant="caption" display="block" color="textSecondary">
          {accountAndRegion(row)}
        </Typography>
        <Typography variant="caption" display="block" color="textSecondary">
          Owner: <OwnerLink row={row} />
        </Typography>
      </ApiName>
    ),
  },
  {
    title: 'Access',
    field: 'allowedVpcCount',
    render: row => (
      <Box>
        <AllowedCallers row={row} />
        <Typography variant="caption" display="block" color="textSecondary">
          Authorization: {authorizationText(row)}
        </Typography>
      </Box>
    ),
  },
  costColumn,
  fromThereColumn(200),
];

/**
 * "12 APIs · $41.20 a month": every API the filters match and the sum of their monthly
 * costs (of those with a figure), from the server, whatever page is shown.
 */
export function tableTitle(totals?: {
  totalCount?: number;
  monthlyCostTotalUsd?: number;
  pricedCount?: number;
}): string {
  if (totals?.totalCount === undefined) return 'APIs';
  const n = totals.totalCount;
  const count = `${n.toLocaleString('en-US')} API${n === 1 ? '' : 's'}`;
  const priced = totals.pricedCount ?? 0;
  if (priced === 0) return count;
  const partial =
    priced < n ? ` (${priced.toLocaleString('en-US')} with a cost figure)` : '';
  return `${count} · ${formatUsd(
    totals.monthlyCostTotalUsd ?? 0,
  )} a month${partial}`;
}

export function ApiTable(props: {
  pages: ApiPages;
  order: ApiPageOrder;
  onOrder: (change: Partial<ApiPageOrder>) => void;
  /** The rows answer "what can this caller call": show how to call each from there. */
  reachable?: boolean;
}) {
  const { pages, order, onOrder, reachable } = props;
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  let base = columns;
  if (reachable) {
    // What a caller may call is always a private REST API: the type column gives way
    // to how to call each one from there.
    base = narrow
      ? compactReachableColumns
      : [...columns.filter(c => c.title !== 'Type'), fromThereColumn(280)];
  }
  const shown = base.map(column => {
    const sort = SORT_OF_COLUMN[String(column.title)];
    if (!sort || column.sorting === false) return column;
    return {
      ...column,
      customSort: serverOrder,
      ...(sort === order.sort ? { defaultSort: order.order } : {}),
    };
  });
  const totals = pages.totals.value;
  return (
    <Table<ApiRow>
      // A new order or page size mounts the table again: material-table reads its sort
      // and page size options only when it mounts.
      key={`${order.sort}-${order.order}-${order.pageSize}-${reachable}-${narrow}`}
      title={tableTitle(totals)}
      subtitle={
        pages.totals.error
          ? `The total did not load (${pages.totals.error.message})`
          : undefined
      }
      isLoading={pages.loading}
      columns={shown}
      data={pages.items}
      onOrderChange={(index, direction) => {
        const sort =
          index >= 0 ? SORT_OF_COLUMN[String(shown[index]?.title)] : undefined;
        onOrder(
          sort && direction
            ? { sort, order: direction }
            : { sort: 'name', order: 'asc' },
        );
      }}
      options={{
        // The filters above search on the backend; the table's own box would only search this page.
        search: false,
        paging: true,
        pageSize: order.pageSize,
        pageSizeOptions: PAGE_SIZES,
        emptyRowsWhenPaging: false,
        padding: 'dense',
        // Draggable headers put a focusable handle inside each sort button (axe:
        // nested-interactive); reordering columns is not worth that.
        draggable: false,
      }}
      components={{
        Pagination: () => (
          <KeysetPagination
            component="td"
            pageIndex={pages.pageIndex}
            pageSize={order.pageSize}
            shown={pages.items.length}
            totalCount={totals?.totalCount}
            onNext={pages.next}
            onPrevious={pages.previous}
            onPageSize={pageSize => onOrder({ pageSize })}
          />
        ),
      }}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2">
            No API matches these filters. Clear a filter, or search for another
            name, id, route or Lambda function.
          </Typography>
        </Box>
      }
    />
  );
}
