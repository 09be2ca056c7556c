import { useState } from 'react';
import { Box, Dialog, DialogContent, DialogTitle } from '@material-ui/core';
import { ResponseErrorPanel } from '@backstage/core-components';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiCard } from '../common/PrivateApiCard';
import { AccessRequestDetails } from './AccessRequestDetails';
import { AccessRequestTable } from './AccessRequestTable';
import { RequestAccessButton } from './RequestAccessButton';
import { useAccessRequests } from './useAccessRequests';

function RequestsOfApi(props: {
  accountId: string;
  region: string;
  apiId: string;
}) {
  const list = useAccessRequests({ view: 'all', ...props });
  const [opened, setOpened] = useState<AccessRequest>();
  if (list.error) return <ResponseErrorPanel error={list.error} />;
  return (
    <>
      <AccessRequestTable
        title="Requests you can see"
        requests={list.value?.requests ?? []}
        loading={list.loading}
        onOpen={setOpened}
        emptyText="No access requests for this API that you may see."
      />
      {opened && list.value && (
        <Dialog
          open
          onClose={() => setOpened(undefined)}
          fullWidth
          maxWidth="md"
          aria-labelledby="access-request-title"
        >
          <DialogTitle id="access-request-title">
            Access request for {opened.apiName}
          </DialogTitle>
          <DialogContent>
            <AccessRequestDetails
              request={opened}
              canDecide={list.value.decidable.has(opened.id)}
              isRequester={opened.requester === list.value.userEntityRef}
              onChange={request => {
                setOpened(request);
                list.retry();
              }}
            />
          </DialogContent>
        </Dialog>
      )}
    </>
  );
}

/**
 * The API's VPC access requests: ask for access, and for owners the queue of this API with
 * approve, reject and apply.
 */
export function AccessRequestsCard() {
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <PrivateApiCard title="VPC access requests" needsEstate>
      {({ api }, estate) =>
        api.endpointType === 'PRIVATE' && api.apiType === 'REST' ? (
          <Box display="flex" flexDirection="column" gridGap={16}>
            <Box>
              <RequestAccessButton
                api={api}
                estate={estate}
                onCreated={() => setRefreshKey(k => k + 1)}
              />
            </Box>
            <RequestsOfApi
              key={refreshKey}
              accountId={api.accountId}
              region={api.region}
              apiId={api.apiId}
            />
          </Box>
        ) : (
          <Box>
            This is a {api.endpointType.toLowerCase()} {api.apiType} API: it is
            called over its public endpoint, so there is no VPC access to
            request. Its authorizers say what a caller needs.
          </Box>
        )
      }
    </PrivateApiCard>
  );
}
