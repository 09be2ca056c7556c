import { useEffect, useRef } from 'react';
import { Box, Tab, Tabs, Typography } from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Navigate,
  Route,
  Routes,
  useNavigate,
  useParams,
  useSearchParams,
} from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { accessRequestsApiRef } from '../../api/AccessRequestsClient';
import { AccessRequestDetails } from './AccessRequestDetails';
import { AccessRequestTable } from './AccessRequestTable';
import { needsOwnerAction } from './queue';
import { AccessRequestsView, useAccessRequests } from './useAccessRequests';

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
    empty:
      'Nothing waits on you: no request for the APIs you own needs a decision, an apply or a retry.',
  },
  {
    view: 'all',
    label: 'All I can see',
    empty: 'No access requests you may see.',
  },
] as const;

type View = (typeof VIEWS)[number]['view'];

/** "To approve" holds what waits on the owners; the other lists every request. */
function shown(view: View, list: AccessRequestsView | undefined) {
  const requests = list?.requests ?? [];
  return view === 'approvals' ? requests.filter(needsOwnerAction) : requests;
}

/** One request, opened above the list and scrolled into view. */
function OpenedRequest(props: {
  id: string;
  list: AccessRequestsView | undefined;
  onChange: () => void;
}) {
  const client = useApi(accessRequestsApiRef);
  const opened = useAsyncRetry(() => client.get(props.id), [client, props.id]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'start' });
  }, [props.id]);
  const request = opened.value;
  let body;
  if (opened.error) body = <ResponseErrorPanel error={opened.error} />;
  else if (!request || !props.list) body = <Progress />;
  else {
    body = (
      <AccessRequestDetails
        request={request}
        canDecide={props.list.decidable.has(request.id)}
        isRequester={request.requester === props.list.userEntityRef}
        onChange={() => {
          opened.retry();
          props.onChange();
        }}
      />
    );
  }
  return (
    <div ref={ref}>
      <InfoCard
        title={
          request
            ? `Access request for ${request.apiName}`
            : `Access request ${props.id}`
        }
        subheader={`Request ${props.id}`}
        titleTypographyProps={{ component: 'h2' }}
      >
        {body}
      </InfoCard>
    </div>
  );
}

/**
 * The queues ("My requests", "To approve", "All I can see") and, at `…/:id`, one request
 * opened above them with its row highlighted. The tab is in the URL (`?view=`), so going
 * back returns to the same list; notifications' older `?request={id}` links redirect to
 * the request's own route.
 */
function Queue() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const legacyId = params.get('request');
  const tab = Math.max(
    0,
    VIEWS.findIndex(v => v.view === params.get('view')),
  );
  const { view, label, empty } = VIEWS[tab];
  const list = useAccessRequests({ view });
  const query = params.get('view') ? `?view=${params.get('view')}` : '';

  if (legacyId && !id) {
    return <Navigate to={`${encodeURIComponent(legacyId)}${query}`} replace />;
  }
  // Relative to this route: `req-1` from the list, `../req-1` from an opened request.
  const pathOf = (requestId: string) =>
    `${id ? '../' : ''}${encodeURIComponent(requestId)}${query}`;

  return (
    <Box display="flex" flexDirection="column" gridGap={24}>
      {id && (
        <>
          <Typography variant="body2">
            <Link to={`..${query}`} underline="always">
              <ArrowBackIcon
                fontSize="inherit"
                style={{ verticalAlign: 'middle' }}
              />{' '}
              All requests
            </Link>
          </Typography>
          <OpenedRequest id={id} list={list.value} onChange={list.retry} />
        </>
      )}
      <Tabs
        value={tab}
        onChange={(_, v: number) => {
          const next = new URLSearchParams(params);
          next.set('view', VIEWS[v].view);
          setParams(next);
        }}
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
          requests={shown(view, list.value)}
          loading={list.loading}
          onOpen={request => navigate(pathOf(request.id))}
          hrefOf={request => pathOf(request.id)}
          selectedId={id}
          emptyText={empty}
        />
      )}
    </Box>
  );
}

/**
 * "My requests" and the owners' approval queue; a request opens at
 * `/private-apis/access-requests/{id}` (the notifications link there).
 *
 * @public
 */
export function AccessRequestsContent() {
  return (
    <Routes>
      <Route path="/" element={<Queue />} />
      <Route path=":id" element={<Queue />} />
    </Routes>
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
