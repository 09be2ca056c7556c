import { Typography, useTheme } from '@material-ui/core';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import { formatWhen } from '../common/format';
import { StateChip } from './StateChip';

/** A list of requests; choosing one opens it, and the open one is highlighted. */
export function AccessRequestTable(props: {
  title: string;
  requests: AccessRequest[];
  loading?: boolean;
  onOpen: (request: AccessRequest) => void;
  emptyText: string;
  /** The request open beside the list, highlighted. */
  selectedId?: string;
  /** The request's own page: its API name links there (rows are not keyboard targets). */
  hrefOf?: (request: AccessRequest) => string;
}) {
  const { hrefOf } = props;
  const theme = useTheme();
  const columns: TableColumn<AccessRequest>[] = [
    {
      title: 'API',
      field: 'apiName',
      highlight: true,
      cellStyle: { whiteSpace: 'nowrap' },
      render: r =>
        hrefOf ? (
          <Link
            to={hrefOf(r)}
            onClick={e => e.stopPropagation()}
            aria-current={r.id === props.selectedId ? 'page' : undefined}
          >
            {r.apiName}
          </Link>
        ) : (
          r.apiName
        ),
    },
    {
      title: 'Caller',
      render: r => (
        <>
          <span style={{ whiteSpace: 'nowrap' }}>
            {r.vpcEndpointId ?? r.vpcId}
          </span>
          <Typography variant="caption" display="block">
            {r.stages.length ? `stages ${r.stages.join(', ')}` : 'every stage'}
          </Typography>
        </>
      ),
      customFilterAndSearch: (term, r) =>
        `${r.vpcEndpointId ?? ''} ${r.vpcId ?? ''}`.includes(term),
    },
    {
      title: 'Requester',
      field: 'requester',
      // The catalog's display name, linking to the user's page.
      render: r => <EntityRefLink entityRef={r.requester} defaultKind="user" />,
    },
    {
      title: 'State',
      field: 'state',
      cellStyle: { whiteSpace: 'nowrap' },
      render: r => <StateChip state={r.state} />,
    },
    {
      title: 'Updated',
      field: 'updatedAt',
      defaultSort: 'desc',
      render: r => (
        <time dateTime={r.updatedAt}>{formatWhen(r.updatedAt)}</time>
      ),
    },
  ];
  return (
    <Table<AccessRequest>
      title={props.title}
      columns={columns}
      data={props.requests}
      isLoading={props.loading}
      onRowClick={(_, row) => row && props.onOpen(row)}
      options={{
        paging: props.requests.length > 20,
        pageSize: 20,
        search: props.requests.length > 5,
        padding: 'dense',
        // Draggable headers nest a focusable handle in each sort button (axe: nested-interactive).
        draggable: false,
        rowStyle: (row: AccessRequest) =>
          row.id === props.selectedId
            ? {
                backgroundColor: theme.palette.action.selected,
                boxShadow: `inset 4px 0 0 ${theme.palette.primary.main}`,
              }
            : {},
      }}
      localization={{ body: { emptyDataSourceMessage: props.emptyText } }}
    />
  );
}
