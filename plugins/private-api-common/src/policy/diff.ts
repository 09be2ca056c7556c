/** A line diff of two texts, for showing a policy change before it is applied. */

/** Lines of context kept around each change. */
const CONTEXT = 3;

type Mark = { mark: ' ' | '-' | '+'; text: string };

/**
 * Myers' O((N+M)·D) shortest edit script, D being the number of changed lines: a grant
 * touches a few lines of a long document, so this stays fast where a full table of common
 * subsequences (N·M) of a 20,000-character policy would not.
 */
export function editScript(a: string[], b: string[]): Mark[] {
  const n = a.length;
  const m = b.length;
  // v[k + offset]: the furthest x reached on diagonal k; one saved copy per edit distance.
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  let x = 0;
  let y = 0;
  search: for (let d = 0; d <= n + m; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
      x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
      y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break search;
    }
  }
  const marks: Mark[] = [];
  for (let d = trace.length - 1; d >= 0; d--) {
    // trace[d] holds diagonals -d-1 .. d+1 as they were before step d.
    const at = (k: number) => trace[d][k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      marks.push({ mark: ' ', text: a[--x] });
      y--;
    }
    if (d === 0) break;
    if (down) marks.push({ mark: '+', text: b[--y] });
    else marks.push({ mark: '-', text: a[--x] });
  }
  return marks.reverse();
}

/**
 * The lines of `before` and `after` marked `  ` (kept), `- ` (removed) or `+ ` (added),
 * from a shortest edit script; unchanged stretches beyond three lines of a change are cut
 * to `…`. Empty when the texts are equal.
 */
export function lineDiff(before: string, after: string): string {
  if (before === after) return '';
  const lines = (text: string) => (text === '' ? [] : text.split('\n'));
  const marked = editScript(lines(before), lines(after));
  const changed = marked.map(line => line.mark !== ' ');
  const near = (k: number) => {
    const last = Math.min(marked.length - 1, k + CONTEXT);
    for (let i = Math.max(0, k - CONTEXT); i <= last; i++) {
      if (changed[i]) return true;
    }
    return false;
  };
  const out: string[] = [];
  marked.forEach((line, k) => {
    if (near(k)) out.push(`${line.mark} ${line.text}`);
    else if (out[out.length - 1] !== '…') out.push('…');
  });
  return out.join('\n');
}
