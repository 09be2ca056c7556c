import { useCallback, useEffect, useState } from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import type { ScopeStatus } from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiApi, privateApiApiRef } from '../../api';
import { fakeClient, responseError } from '../../__testUtils__/fakes';
import { demoScopes } from '../../__testUtils__/demoData';
import { CrawlStatus } from './CrawlStatus';

/** CrawlStatus as the explorer uses it: the scopes loaded by the page, reloaded on retry. */
function Harness(props: { load: () => Promise<ScopeStatus[]> }) {
  const [state, setState] = useState<{ value?: ScopeStatus[] }>({});
  const retry = useCallback(() => {
    props.load().then(value => setState({ value }));
  }, [props]);
  // Loads once, as the page does; signals reload through retry.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(retry, []);
  return (
    <CrawlStatus scopes={{ loading: !state.value, ...state }} retry={retry} />
  );
}

function signals() {
  let listener: ((message: any) => void) | undefined;
  return {
    api: {
      subscribe: (_channel: string, onMessage: (message: any) => void) => {
        listener = onMessage;
        return { unsubscribe: () => (listener = undefined) };
      },
    },
    push: (message: object) => act(() => listener?.(message)),
  };
}

async function render(
  client: PrivateApiApi,
  load: jest.Mock,
  push = signals(),
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [privateApiApiRef, client],
        [signalApiRef, push.api],
      ]}
    >
      <Harness load={load} />
    </TestApiProvider>,
  );
  return push;
}

describe('CrawlStatus', () => {
  it('updates live as discovery signals each crawled account and Region', async () => {
    const crawled = demoScopes.items.map(s => ({
      ...s,
      lastSuccessAt: '2026-11-25T09:00:00.000Z',
    }));
    const load = jest
      .fn()
      .mockResolvedValueOnce(demoScopes.items)
      .mockResolvedValue(crawled);
    const client = fakeClient();
    const push = await render(client, load);
    expect(
      await screen.findByRole('table', { name: 'Crawl status' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/2026-11-25 09:00 UTC/)).not.toBeInTheDocument();
    await push.push({
      type: 'scope-crawled',
      at: '2026-11-25T09:00:00.000Z',
      accountId: demoScopes.items[0].accountId,
      region: demoScopes.items[0].region,
      ok: true,
    });
    expect(
      (await screen.findAllByText(/2026-11-25 09:00 UTC/)).length,
    ).toBeGreaterThan(0);
    // The run summary is read again too.
    expect(client.getDiscoveryStatus).toHaveBeenCalledTimes(2);
  });

  it('says when discovery ran and runs next', async () => {
    await render(
      fakeClient(),
      jest.fn(async () => demoScopes.items),
    );
    expect(
      await screen.findByText(
        /Last run 2026-11-20 10:00 UTC \(.* ago\)\. Next run about 2026-11-20 10:10 UTC \(.*\)\. It runs every 10 minutes\./,
      ),
    ).toBeInTheDocument();
  });

  it('says beside the button that discovery started, or why it could not', async () => {
    const client = fakeClient({
      refresh: jest
        .fn()
        .mockResolvedValueOnce(undefined)
        .mockRejectedValueOnce(
          await responseError(
            403,
            'You may not start a discovery run (permission private-api.discovery.refresh)',
          ),
        ),
    });
    await render(
      client,
      jest.fn(async () => demoScopes.items),
    );
    const start = await screen.findByRole('button', {
      name: 'Start discovery now',
    });
    await userEvent.click(start);
    expect(
      await screen.findByText(/Discovery started: each account and Region/),
    ).toBeInTheDocument();
    await userEvent.click(start);
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Could not start discovery: You may not start a discovery run',
      ),
    );
  });
});
