import { Table, TableColumn } from '@backstage/core-components';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import { StateChip } from './StateChip';

/** A list of requests; choosing one opens it. */
export function AccessRequestTable(props: {
  title: string;
  requests: AccessRequest[];
  loading?: boolean;
  onOpen: (request: AccessRequest) => void;
  emptyText: string;
}) {
  const columns: TableColumn<AccessRequest>[] = [
    { title: 'API', field: 'apiName', highlight: true },
    {
      title: 'Caller',
      render: r =>
        `${r.kind === 'revoke' ? 'Revoke ' : ''}${r.vpcEndpointId ?? r.vpcId}`,
      customFilterAndSearch: (term, r) =>
        `${r.vpcEndpointId ?? ''} ${r.vpcId ?? ''}`.includes(term),
    },
    {
      title: 'Stages',
      render: r => (r.stages.length ? r.stages.join(', ') : 'all'),
    },
    { title: 'Requester', field: 'requester' },
    {
      title: 'State',
      field: 'state',
      render: r => <StateChip state={r.state} />,
    },
    {
      title: 'Updated',
      field: 'updatedAt',
      defaultSort: 'desc',
      render: r => new Date(r.updatedAt).toLocaleString(),
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
      }}
      localization={{ body: { emptyDataSourceMessage: props.emptyText } }}
    />
  );
}
