import type { InventoryStore } from '../inventory/InventoryStore';
import { indexApis, regionEndpoints } from '../inventory/reverseIndex';
import { analysePolicies } from './derived';
import type { PolicyWork } from '../policyWork/PolicyWork';

/** APIs handed to the steps at once: one read of their rows, one write of each result. */
const BATCH = 25;

/**
 * The post-crawl work that depends on an API alone (its policy analysis) or on the API and
 * its Region's VPC endpoints (its reverse-index entry and search document), done in batches
 * of written APIs while the crawl goes on. A full crawl waits on API Gateway's quota most of
 * the time; this work fills those waits instead of queuing up behind the last call, and the
 * post-crawl steps then find it done (memoized by the inputs' hashes). What needs the whole
 * scope (the shared cost tiers, the traffic) stays after the crawl.
 *
 * The batches run one at a time per scope, behind the crawl. A failed batch is logged and
 * left to the post-crawl steps, which recompute whatever is missing.
 */
export class WrittenApiSteps {
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Some batch failed: the post-crawl steps must visit every API of the scope. */
  failed = false;

  constructor(
    private readonly options: {
      store: InventoryStore;
      accountId: string;
      region: string;
      /** Where the analyses and index verdicts run (the backend's worker threads). */
      policyWork?: PolicyWork;
      onError: (error: unknown) => void;
    },
  ) {}

  /** An API the crawl has just written. */
  add(apiId: string) {
    this.pending.push(apiId);
    if (this.pending.length >= BATCH) this.flush();
  }

  /** Waits for the APIs added so far. */
  async drain(): Promise<void> {
    this.flush();
    await this.chain;
  }

  private flush() {
    if (this.pending.length === 0) return;
    const apiIds = this.pending;
    this.pending = [];
    this.chain = this.chain
      .then(() => this.run(apiIds))
      .catch(error => {
        this.failed = true;
        this.options.onError(error);
      });
  }

  private async run(apiIds: string[]) {
    const { store, accountId, region, policyWork } = this.options;
    // Read again for every batch (a few rows): the crawl stores its own endpoints before
    // any API, but the other accounts of the Region, crawled at the same time, may store
    // theirs a moment later. Entries computed before that are caught by the post-crawl
    // index step, which recomputes those computed with other endpoints.
    const endpoints = await regionEndpoints(store, region);
    const items = await store.scopeApis(accountId, region, apiIds);
    await indexApis(
      store,
      await analysePolicies(store, items, policyWork),
      endpoints,
      policyWork,
    );
  }
}
