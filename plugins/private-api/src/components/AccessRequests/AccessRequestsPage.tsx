import { useEffect, useState } from 'react';
import { Box, Tab, Tabs } from '@material-ui/core';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useSearchParams } from 'react-router-dom';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import { accessRequestsApiRef } from '../../api/AccessRequestsClient';
import { AccessRequestDetails } from './AccessRequestDetails';
import { AccessRequestTable } from './AccessRequestTable';
import { useAccessRequests } from './useAccessRequests';

const VIEWS = [
  {
    view: 'mine',
    label: 'My requests',
    empty:
      'You have not asked for VPC access yet: open an API’s Private API tab and choose Request access.',
  },
  {
    view: 'approvals',
    label: 'To approve',
    empty: 'No requests for APIs you own.',
  },
  {
    view: 'all',
    label: 'All I can see',
    empty: 'No access requests you may see.',
  },
] as const;

/**
 * "My requests" and the owners' approval queue, with one request opened below (its link is
 * `?request={id}`, as in the notifications).
 *
 * @public
 */
export function AccessRequestsContent() {
  const [params, setParams] = useSearchParams();
  const [tab, setTab] = useState(0);
  const { view, label, empty } = VIEWS[tab];
  const list = useAccessRequests({ view });
  const client = useApi(accessRequestsApiRef);
  const openId = params.get('request');
  const [opened, setOpened] = useState<AccessRequest>();
  const [openError, setOpenError] = useState<Error>();

  useEffect(() => {
    if (!openId) {
      setOpened(undefined);
      return;
    }
    client.get(openId).then(setOpened, setOpenError);
  }, [client, openId]);

  const open = (request: AccessRequest) => setParams({ request: request.id });
  const changed = (request: AccessRequest) => {
    setOpened(request);
    list.retry();
  };

  return (
    <Box display="flex" flexDirection="column" gridGap={24}>
      <Tabs
        value={tab}
        onChange={(_, v) => setTab(v)}
        aria-label="Access request lists"
        indicatorColor="primary"
      >
        {VIEWS.map(v => (
          <Tab key={v.view} label={v.label} />
        ))}
      </Tabs>
      {list.error ? (
        <ResponseErrorPanel error={list.error} />
      ) : (
        <AccessRequestTable
          title={label}
          requests={list.value?.requests ?? []}
          loading={list.loading}
          onOpen={open}
          emptyText={empty}
        />
      )}
      {openError && <ResponseErrorPanel error={openError} />}
      {opened && list.value && (
        <InfoCard title={`Access request ${opened.id}`}>
          <AccessRequestDetails
            request={opened}
            canDecide={list.value.decidable.has(opened.id)}
            isRequester={opened.requester === list.value.userEntityRef}
            onChange={changed}
          />
        </InfoCard>
      )}
    </Box>
  );
}

/**
 * The access requests page for the legacy frontend system, with its header.
 *
 * @public
 */
export function AccessRequestsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="VPC access requests"
        subtitle="Ask for your VPC to be allowed to call a private API; approve requests for the APIs you own"
      />
      <Content>
        <AccessRequestsContent />
      </Content>
    </Page>
  );
}
