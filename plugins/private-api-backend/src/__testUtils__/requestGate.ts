import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on loopback in front of the AWS simulator that holds every request until
 * it is opened, then forwards each unchanged (the Host header too, so the SigV4 scope the
 * simulator reads still matches). A test holds crawls at their first AWS call with it: a
 * crawl that has started stays under way, without a timer deciding for how long.
 */
export async function startRequestGate(target: string) {
  let open!: () => void;
  const opened = new Promise<void>(resolve => {
    open = resolve;
  });
  let held = 0;
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', chunk => body.push(chunk));
    req.on('end', async () => {
      held += 1;
      await opened;
      held -= 1;
      if (res.destroyed) return; // the client gave up while it was held
      const upstream = http.request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', error => res.destroy(error));
      upstream.end(Buffer.concat(body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Requests waiting for the gate to open. */
    held: () => held,
    open: () => open(),
    stop: () =>
      new Promise<void>(resolve => {
        open();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
