import { AccountQuota, DEFAULT_QUOTAS, TokenBucket } from './quota';

/** A virtual clock: sleeping advances time instantly, so tests measure rates, not wall time. */
function virtualClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    elapsed: () => now,
  };
}

describe('TokenBucket', () => {
  it('serves the burst at once, then one token per 1/rate seconds', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket(10, 40, clock.now, clock.sleep);
    for (let i = 0; i < 40; i++) await bucket.take();
    expect(clock.elapsed()).toBe(0);
    for (let i = 0; i < 50; i++) await bucket.take();
    // 50 more tokens at 10/s: 5 seconds.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(4_900);
    expect(clock.elapsed()).toBeLessThanOrEqual(5_100);
  });

  it('limits GetResources to 5 per 2 s (rate 2.5, burst 5)', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket(2.5, 5, clock.now, clock.sleep);
    await Promise.all(Array.from({ length: 15 }, () => bucket.take()));
    // 5 at once, then 10 at 2.5/s = 4 s.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(3_900);
    expect(clock.elapsed()).toBeLessThanOrEqual(4_100);
  });

  it('empties after a throttling answer, so the next call waits a full interval', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket(1, 5, clock.now, clock.sleep);
    bucket.drain();
    await bucket.take();
    expect(clock.elapsed()).toBe(1_000);
  });
});

describe('AccountQuota', () => {
  it("keeps ten tokens of AWS's burst in reserve, so calls that land together are not throttled", async () => {
    const clock = virtualClock();
    const quota = new AccountQuota(DEFAULT_QUOTAS, clock);
    // AWS's bucket for the account: 10 calls a second, a burst of 40.
    const aws = new TokenBucket(10, 40, clock.now, clock.sleep);
    for (let i = 0; i < 200; i++) {
      await quota.acquire('GetStages');
      const sent = clock.elapsed();
      await aws.take();
      expect(clock.elapsed()).toBe(sent);
    }
    // 30 at once, then 170 at AWS's rate of 10 a second.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(16_900);
    expect(clock.elapsed()).toBeLessThanOrEqual(17_100);
    // Ten calls delayed on the way and landing together still find tokens.
    const landed = clock.elapsed();
    for (let i = 0; i < 10; i++) await aws.take();
    expect(clock.elapsed() - landed).toBeLessThanOrEqual(1);
  });
});
