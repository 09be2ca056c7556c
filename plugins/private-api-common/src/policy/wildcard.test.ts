import { wildcardMatch } from './wildcard';

describe('wildcardMatch', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything/at:all', true],
    ['execute-api:*', 'execute-api:Invoke', true],
    ['execute-api:Inv?ke', 'execute-api:Invoke', true],
    ['execute-api:Inv?ke', 'execute-api:Invooke', false],
    ['abc123/prod/*/pets', 'abc123/prod/GET/pets', true],
    ['abc123/prod/*/pets', 'abc123/prod/GET/pets/1', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    // A `*` in the value is an ordinary character: the pattern's `*` still matches runs.
    ['abc123/*', 'abc123/*/*/*', true],
    ['abc123/x', 'abc123/*', false],
    ['vpce-0a?', 'vpce-0a', false],
  ])('%s against %s → %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it('ignores case only when asked', () => {
    expect(wildcardMatch('EXECUTE-API:*', 'execute-api:Invoke')).toBe(false);
    expect(wildcardMatch('EXECUTE-API:*', 'execute-api:Invoke', true)).toBe(
      true,
    );
  });

  it('answers a pattern with many stars against a long value that fails at the end', () => {
    expect(wildcardMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
  });
});
