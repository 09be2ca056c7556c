import fc from 'fast-check';
import { editScript, lineDiff } from './diff';

/** Length of the longest common subsequence, the textbook way. */
function lcs(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    let diagonal = 0;
    for (let j = b.length - 1; j >= 0; j--) {
      const below = row[j];
      row[j] = a[i] === b[j] ? diagonal + 1 : Math.max(row[j], row[j + 1]);
      diagonal = below;
    }
  }
  return row[0];
}

describe('editScript', () => {
  it('rebuilds both texts with the fewest changed lines', () => {
    const lines = fc.array(fc.constantFrom('{', '}', '"a": 1,', '"b": 2,', '  ]'), {
      maxLength: 14,
    });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const marks = editScript(a, b);
        expect(marks.filter(m => m.mark !== '+').map(m => m.text)).toEqual(a);
        expect(marks.filter(m => m.mark !== '-').map(m => m.text)).toEqual(b);
        expect(marks.filter(m => m.mark !== ' ').length).toBe(
          a.length + b.length - 2 * lcs(a, b),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('lineDiff', () => {
  it('keeps three lines of context and cuts the rest', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[10] = 'changed';
    expect(lineDiff(before.join('\n'), after.join('\n')).split('\n')).toEqual([
      '…',
      '  line 7',
      '  line 8',
      '  line 9',
      '- line 10',
      '+ changed',
      '  line 11',
      '  line 12',
      '  line 13',
      '…',
    ]);
    expect(lineDiff('same', 'same')).toBe('');
  });
});
