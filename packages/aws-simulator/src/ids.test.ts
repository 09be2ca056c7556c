import { ids, seededRandom } from './ids';

describe('ids', () => {
  it('have the formats AWS uses', () => {
    expect(ids.api('a')).toMatch(/^[a-z0-9]{10}$/);
    expect(ids.short('a')).toMatch(/^[a-z0-9]{6}$/);
    expect(ids.v2('a')).toMatch(/^[a-z0-9]{7}$/);
    expect(ids.resource('vpce', 'a')).toMatch(/^vpce-[0-9a-f]{17}$/);
    expect(ids.hex('a', 16)).toMatch(/^[0-9a-f]{16}$/);
    expect(ids.upper('a', 20)).toMatch(/^[A-Z0-9]{20}$/);
    const unit = ids.unit('a');
    expect(unit).toBeGreaterThanOrEqual(0);
    expect(unit).toBeLessThan(1);
  });

  it('are stable per seed and spread out across seeds', () => {
    expect(ids.api('111111111111:us-east-1:rest:payments-api')).toBe(
      ids.api('111111111111:us-east-1:rest:payments-api'),
    );
    const many = new Set(
      Array.from({ length: 5000 }, (_, i) => ids.api(`account:${i}`)),
    );
    expect(many.size).toBe(5000);
    const vpcs = new Set(
      Array.from({ length: 5000 }, (_, i) => ids.resource('vpc', `${i}`)),
    );
    expect(vpcs.size).toBe(5000);
  });

  it('seededRandom repeats its sequence for a seed', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(seededRandom(6)()).not.toBe(seededRandom(5)());
  });
});
