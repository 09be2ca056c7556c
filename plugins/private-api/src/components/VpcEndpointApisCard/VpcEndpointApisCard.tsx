import { Box, Typography } from '@material-ui/core';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { useState } from 'react';
import {
  ANNOTATION_VPC_ENDPOINT_ID,
  ApiSummary,
} from '@private-api-catalog/plugin-private-api-common';
import { KeysetPagination } from '../common/KeysetPagination';
import { PAGE_SIZES, useApiPages } from '../common/useApiPages';
import { LoadError } from '../common/LoadError';

const VIA: Record<string, string> = {
  'private-custom-domain': 'private custom domain',
  'private-dns': 'private DNS',
  'route53-alias': 'Route 53 alias',
  'vpce-dns': "the endpoint's DNS name with a Host header",
};

function HowToCall(props: { api: ApiSummary; vpcEndpointId: string }) {
  const { api, vpcEndpointId } = props;
  const entityRoute = useRouteRef(entityRouteRef);
  const access = api.access;
  const link = `${entityRoute({
    kind: 'api',
    namespace: 'default',
    name: api.entityName,
  })}/private-api?caller=${encodeURIComponent(`vpce:${vpcEndpointId}`)}`;
  return (
    <Box style={{ wordBreak: 'break-all' }}>
      <Typography variant="body2">
        {access?.invokeUrl ?? 'No stage deployed'}
      </Typography>
      <Typography variant="caption" display="block" color="textSecondary">
        {access?.via ? `by ${VIA[access.via]}` : ''}
        {access?.headers?.Host ? ` (Host: ${access.headers.Host})` : ''}
      </Typography>
      <Link to={link}>Commands for this endpoint</Link>
    </Box>
  );
}

/**
 * "APIs this endpoint may call", on the Resource entity of an execute-api VPC endpoint: the
 * private APIs whose resource policy lets calls through it in (anonymous, or only the signed
 * callers named), with the URL to use from behind it.
 *
 * @public
 */
export function VpcEndpointApisCard() {
  const { entity } = useEntity();
  const vpcEndpointId =
    entity.metadata.annotations?.[ANNOTATION_VPC_ENDPOINT_ID] ?? '';
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  // By name, a page at a time (an endpoint open to many APIs would otherwise load them all).
  const pages = useApiPages(
    vpcEndpointId ? { reachableFrom: vpcEndpointId } : undefined,
    { sort: 'name', order: 'asc', pageSize },
  );

  const columns: TableColumn<ApiSummary>[] = [
    {
      title: 'API',
      field: 'name',
      highlight: true,
      sorting: false,
      render: api => (
        <Box>
          <EntityRefLink
            entityRef={{
              kind: 'API',
              namespace: 'default',
              name: api.entityName,
            }}
            hideIcon
          >
            {api.name}
          </EntityRefLink>
          <Typography variant="caption" display="block" color="textSecondary">
            {api.accountName ?? api.accountId}, {api.region}
          </Typography>
        </Box>
      ),
    },
    {
      title: 'Who may call',
      sorting: false,
      render: api =>
        api.access?.verdict === 'signed-only'
          ? `Signed callers only: ${api.access.principals.join('; ')}`
          : 'Anyone behind this endpoint',
    },
    {
      title: 'URL from here',
      sorting: false,
      render: api => <HowToCall api={api} vpcEndpointId={vpcEndpointId} />,
    },
  ];

  let body;
  if (!vpcEndpointId) {
    body = (
      <EmptyState
        missing="field"
        title="Not an execute-api VPC endpoint"
        description={`This entity lacks the ${ANNOTATION_VPC_ENDPOINT_ID} annotation that discovery writes on the VPC endpoints it finds.`}
      />
    );
  } else if (pages.loading && pages.pageIndex === 0) {
    body = <Progress />;
  } else if (pages.error) {
    body = <LoadError error={pages.error} retry={pages.retry} />;
  } else if (pages.items.length === 0 && pages.pageIndex === 0) {
    body = (
      <Typography variant="body2">
        No private API's resource policy lets calls through {vpcEndpointId} in.
        To call one, ask its owners for access from the API's page (Private API
        tab, VPC access requests).
      </Typography>
    );
  } else {
    body = (
      <Table<ApiSummary>
        // material-table reads its page size only when it mounts.
        key={pageSize}
        columns={columns}
        data={pages.items}
        isLoading={pages.loading}
        options={{
          search: false,
          toolbar: false,
          paging: true,
          pageSize,
          pageSizeOptions: PAGE_SIZES,
          emptyRowsWhenPaging: false,
          padding: 'dense',
          draggable: false,
        }}
        components={{
          Pagination: () => (
            <KeysetPagination
              component="td"
              pageIndex={pages.pageIndex}
              pageSize={pageSize}
              shown={pages.items.length}
              totalCount={pages.totals.value?.totalCount}
              onNext={pages.next}
              onPrevious={pages.previous}
              onPageSize={setPageSize}
            />
          ),
        }}
      />
    );
  }
  return (
    <InfoCard
      title="APIs this endpoint may call"
      subheader="Private APIs whose resource policy lets calls through this endpoint in"
    >
      {body}
    </InfoCard>
  );
}
