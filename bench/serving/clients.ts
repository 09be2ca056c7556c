/*
 * The benchmark's concurrent clients, on a thread of their own: a user's browser does not
 * share the backend's event loop, so reading the answers (up to ~100 KB of JSON each) must
 * not be counted as the server's time. The main thread serves the router; this thread sends
 * each figure's requests, `clients` at a time over kept-alive sockets, and sends back the
 * time each took from its start to its last byte.
 */
import http from 'node:http';
import { parentPort, Worker } from 'node:worker_threads';

/** A request as one of the clients sends it: its path and, for the access routes, its user. */
export type Request = string | { path: string; user: number };

interface Job {
  port: number;
  clients: number;
  requests: Request[];
  userHeader: string;
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

function timed(job: Job, request: Request): Promise<number> {
  const { path: url, user } =
    typeof request === 'string' ? { path: request, user: undefined } : request;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port: job.port,
          path: url,
          agent: keepAlive,
          headers: user === undefined ? {} : { [job.userHeader]: String(user) },
        },
        res => {
          let bytes = 0;
          res.on('data', chunk => (bytes += chunk.length));
          res.on('end', () => {
            if (res.statusCode !== 200 || bytes === 0)
              reject(
                new Error(`${url}: HTTP ${res.statusCode}, ${bytes} bytes`),
              );
            else resolve(Number(process.hrtime.bigint() - started) / 1e6);
          });
        },
      )
      .on('error', reject);
  });
}

async function run(job: Job): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      while (next < job.requests.length) {
        times.push(await timed(job, job.requests[next++]));
      }
    }),
  );
  return times;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: Job) =>
    run(job).then(
      times => port.postMessage({ times }),
      error => port.postMessage({ error: String(error) }),
    ),
  );
}

/** The client thread, seen from the main thread. */
export class ClientThread {
  private readonly worker = new Worker(__filename);

  send(job: Job): Promise<number[]> {
    return new Promise((resolve, reject) => {
      // One job at a time: each listener goes when its job ends (else they pile up).
      const onError = (error: Error) => {
        this.worker.off('message', onMessage);
        reject(error);
      };
      const onMessage = (m: { times?: number[]; error?: string }) => {
        this.worker.off('error', onError);
        if (m.error) reject(new Error(m.error));
        else resolve(m.times!);
      };
      this.worker.once('message', onMessage);
      this.worker.once('error', onError);
      this.worker.postMessage(job);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
