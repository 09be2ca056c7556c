/**
 * Remembers the results of a pure function of a string. The policy analysis evaluates
 * thousands of sample calls that share the same ARNs and addresses; parsing each once keeps
 * it fast. The cache is emptied when it grows past `limit`, so a long-running backend that
 * sees many distinct values does not grow without bound.
 */
export function memoize<T>(
  fn: (text: string) => T,
  limit = 5000,
): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string) => {
    if (cache.has(text)) return cache.get(text) as T;
    if (cache.size >= limit) cache.clear();
    const result = fn(text);
    cache.set(text, result);
    return result;
  };
}
