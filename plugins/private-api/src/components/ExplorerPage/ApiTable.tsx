import { Box, Chip, Typography } from '@material-ui/core';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ApiSummary } from '@private-api-catalog/plugin-private-api-common';
import { formatUsd } from '../common/format';
import { AUTHORIZATION_TYPES } from './filters';

/** One row: the API with the owner the catalog gives it. */
export interface ApiRow extends ApiSummary {
  owner?: string;
}

const AUTH_LABEL = Object.fromEntries(
  AUTHORIZATION_TYPES.map(a => [
    a.value,
    a.label.replace(' (open routes)', ''),
  ]),
);

/** A missing number (not computed yet) sorts below every number. */
function byOptionalNumber(key: 'allowedVpcCount' | 'monthlyCostUsd') {
  return (a: ApiRow, b: ApiRow) =>
    (a[key] ?? Number.NEGATIVE_INFINITY) - (b[key] ?? Number.NEGATIVE_INFINITY);
}

const columns: TableColumn<ApiRow>[] = [
  {
    title: 'API',
    field: 'name',
    highlight: true,
    cellStyle: { minWidth: 180 },
    render: row => (
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
      </Box>
    ),
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
    title: 'Account',
    field: 'accountName',
    cellStyle: { minWidth: 130 },
    render: row => (
      <Box>
        {row.accountName ?? row.accountId}
        {row.accountName && (
          <Typography variant="caption" display="block" color="textSecondary">
            {row.accountId}
          </Typography>
        )}
      </Box>
    ),
  },
  { title: 'Region', field: 'region' },
  {
    title: 'Owner',
    field: 'owner',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="Group" hideIcon />
      ) : (
        '—'
      ),
  },
  {
    title: 'Authorization',
    sorting: false,
    render: row =>
      row.authorizationTypes.map(t => AUTH_LABEL[t] ?? t).join(', ') || '—',
  },
  {
    title: 'Allowed VPCs',
    field: 'allowedVpcCount',
    type: 'numeric',
    customSort: byOptionalNumber('allowedVpcCount'),
    render: row => row.allowedVpcCount ?? '—',
  },
  {
    title: 'Monthly cost',
    field: 'monthlyCostUsd',
    type: 'numeric',
    customSort: byOptionalNumber('monthlyCostUsd'),
    render: row =>
      row.monthlyCostUsd === undefined ? '—' : formatUsd(row.monthlyCostUsd),
  },
];

export function ApiTable(props: { rows: ApiRow[]; loading: boolean }) {
  const { rows, loading } = props;
  return (
    <Table<ApiRow>
      title={`${rows.length} API${rows.length === 1 ? '' : 's'}`}
      isLoading={loading}
      columns={columns}
      data={rows}
      options={{
        // The filters above search on the backend; the table's own box would only search this page.
        search: false,
        paging: rows.length > 50,
        pageSize: 50,
        pageSizeOptions: [50, 100, 500],
        padding: 'dense',
        // Draggable headers put a focusable handle inside each sort button (axe:
        // nested-interactive); reordering columns is not worth that.
        draggable: false,
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
