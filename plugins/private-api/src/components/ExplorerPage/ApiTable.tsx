import { Box, Chip, Typography } from '@material-ui/core';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ApiSummary } from '@private-api-catalog/plugin-private-api-common';
import { accountLabel, formatUsd } from '../common/format';
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

/** Missing numbers sort last, whichever the direction. */
function byOptionalNumber(key: 'allowedVpcCount' | 'monthlyCostUsd') {
  return (a: ApiRow, b: ApiRow) =>
    (a[key] ?? Number.NEGATIVE_INFINITY) - (b[key] ?? Number.NEGATIVE_INFINITY);
}

const columns: TableColumn<ApiRow>[] = [
  {
    title: 'API',
    field: 'name',
    highlight: true,
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
        <Typography variant="caption" display="block" color="textSecondary">
          {row.apiId}
        </Typography>
      </Box>
    ),
  },
  {
    title: 'Type',
    field: 'endpointType',
    render: row => `${row.apiType} · ${row.endpointType}`,
  },
  {
    title: 'Account',
    field: 'accountName',
    render: row => accountLabel(row.accountId, row.accountName),
  },
  { title: 'Region', field: 'region' },
  {
    title: 'Owner',
    field: 'owner',
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
  {
    title: 'Data',
    field: 'stale',
    render: row =>
      row.stale ? (
        <Chip size="small" variant="outlined" label="stale" />
      ) : (
        'current'
      ),
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
