/** A line diff of two texts, for showing a policy change before it is applied. */

/** Lines of context kept around each change. */
const CONTEXT = 3;

/**
 * The lines of `before` and `after` marked `  ` (kept), `- ` (removed) or `+ ` (added),
 * from a longest common subsequence; unchanged stretches beyond three lines of a change
 * are cut to `…`. Empty when the texts are equal.
 */
export function lineDiff(before: string, after: string): string {
  if (before === after) return '';
  const lines = (text: string) => (text === '' ? [] : text.split('\n'));
  const a = lines(before);
  const b = lines(after);
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = Array.from(
    { length: a.length + 1 },
    () => new Uint32Array(b.length + 1),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i][j] =
        a[i] === b[j]
          ? common[i + 1][j + 1] + 1
          : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const marked: Array<{ mark: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      marked.push({ mark: ' ', text: a[i++] });
      j++;
    } else if (
      j >= b.length ||
      (i < a.length && common[i + 1][j] >= common[i][j + 1])
    ) {
      marked.push({ mark: '-', text: a[i++] });
    } else {
      marked.push({ mark: '+', text: b[j++] });
    }
  }
  const near = (k: number) =>
    marked
      .slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1)
      .some(line => line.mark !== ' ');
  const out: string[] = [];
  marked.forEach((line, k) => {
    if (near(k)) out.push(`${line.mark} ${line.text}`);
    else if (out[out.length - 1] !== '…') out.push('…');
  });
  return out.join('\n');
}
