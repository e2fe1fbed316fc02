import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isPalindrome,
  lengthOfLongestSubstring,
  minWindowSubstring,
  numJewelsInStones,
  reorderLogFiles,
  reverseInPlace,
  reverseString,
  slidingWindowMax,
  slidingWindowMin,
} from '../src/index.js';

// Small alphabets make repeats (the interesting case) common; the emoji and accents check code points.
const chars = fc.constantFrom('a', 'b', 'c', 'A', ' ', '1', 'é', '😀', '👍', '!');
const text = fc.array(chars, { maxLength: 40 }).map((a) => a.join(''));

function bruteLongest(s: string): number {
  const cps = Array.from(s);
  let best = 0;
  for (let i = 0; i < cps.length; i++) {
    for (let j = i; j < cps.length; j++) {
      if (new Set(cps.slice(i, j + 1)).size === j - i + 1) best = Math.max(best, j - i + 1);
    }
  }
  return best;
}

describe('lengthOfLongestSubstring', () => {
  it('matches brute force on random strings, counting code points', () => {
    fc.assert(fc.property(text, (s) => lengthOfLongestSubstring(s) === bruteLongest(s)));
  });
  it('handles the classic cases, empty input and astral characters', () => {
    expect(lengthOfLongestSubstring('abcabcbb')).toBe(3);
    expect(lengthOfLongestSubstring('bbbbb')).toBe(1);
    expect(lengthOfLongestSubstring('pwwkew')).toBe(3);
    expect(lengthOfLongestSubstring('')).toBe(0);
    expect(lengthOfLongestSubstring('a')).toBe(1);
    // Two different emoji share a UTF-16 high surrogate: counting units would say 3.
    expect(lengthOfLongestSubstring('😀😁')).toBe(2);
    expect(lengthOfLongestSubstring('abba')).toBe(2);
  });
  it('is linear on an adversarial long input', () => {
    const s = 'ab'.repeat(200_000) + 'abcdefghij'.repeat(1000);
    expect(lengthOfLongestSubstring(s)).toBe(10);
  });
  it('rejects a non-string', () => {
    expect(() => lengthOfLongestSubstring(42 as unknown as string)).toThrow(/s must be a string, got 42/);
  });
});

describe('numJewelsInStones', () => {
  it('counts stones that are jewels (brute-force property)', () => {
    fc.assert(
      fc.property(text, text, (j, s) => {
        const kinds = Array.from(j);
        return numJewelsInStones(j, s) === Array.from(s).filter((c) => kinds.includes(c)).length;
      }),
    );
    expect(numJewelsInStones('aA', 'aAAbbbb')).toBe(3);
    expect(numJewelsInStones('z', 'ZZ')).toBe(0);
    expect(numJewelsInStones('', 'abc')).toBe(0);
  });
  it('rejects non-strings, naming the argument', () => {
    expect(() => numJewelsInStones('a', null as unknown as string)).toThrow(/stones must be a string/);
  });
});

describe('isPalindrome', () => {
  it('matches filter-and-reverse on random strings', () => {
    fc.assert(
      fc.property(text, (s) => {
        const kept = Array.from(s)
          .filter((c) => /[A-Za-z0-9]/.test(c))
          .map((c) => c.toLowerCase());
        return isPalindrome(s) === (kept.join('') === [...kept].reverse().join(''));
      }),
    );
  });
  it('handles the classic cases', () => {
    expect(isPalindrome('A man, a plan, a canal: Panama')).toBe(true);
    expect(isPalindrome('race a car')).toBe(false);
    expect(isPalindrome(' ')).toBe(true);
    expect(isPalindrome('0P')).toBe(false);
  });
  it('counts Unicode letters only when asked', () => {
    expect(isPalindrome('été')).toBe(true); // ASCII mode sees only "t"
    expect(isPalindrome('étè')).toBe(true);
    expect(isPalindrome('étè', { unicode: true })).toBe(false);
    expect(isPalindrome('Ésope reste ici et se repose', { unicode: true })).toBe(false);
    expect(isPalindrome('Ésope reste ici et se reposé', { unicode: true })).toBe(true);
    // Decomposed and composed forms of é compare equal after NFC normalisation.
    expect(isPalindrome('e\u0301te\u0301', { unicode: true })).toBe(true);
    expect(isPalindrome('\u00e9t e\u0301', { unicode: true })).toBe(true);
    expect(isPalindrome('\u00e9t e', { unicode: true })).toBe(false);
  });
  it('rejects unknown options', () => {
    expect(() => isPalindrome('a', { unicod: true } as never)).toThrow(/unknown option "unicod"/);
  });
});

describe('reverse', () => {
  it('reverses arrays and typed arrays in place', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (a) => {
        const copy = a.slice();
        const out = reverseInPlace(a);
        return out === a && JSON.stringify(a) === JSON.stringify(copy.reverse());
      }),
    );
    const t = Float64Array.of(1, 2, 3);
    expect(Array.from(reverseInPlace(t))).toEqual([3, 2, 1]);
    expect(reverseInPlace([])).toEqual([]);
  });
  it('keeps graphemes and code points intact in reverseString', () => {
    expect(reverseString('hello')).toBe('olleh');
    expect(reverseString('a😀b')).toBe('b😀a');
    expect(reverseString('🇫🇷🇩🇪')).toBe('🇩🇪🇫🇷');
    expect(reverseString('🇫🇷🇩🇪', { by: 'codePoint' })).toBe('🇪🇩🇷🇫');
    expect(reverseString('ae\u0301')).toBe('e\u0301a');
  });
  it('rejects bad input', () => {
    expect(() => reverseInPlace('abc' as never)).toThrow(/a must be an array or typed array, got "abc"/);
    expect(() => reverseString('a', { by: 'byte' as never })).toThrow(/options.by must be one of/);
  });
});

describe('reorderLogFiles', () => {
  it('orders letter-logs by content then id and keeps digit-logs in order', () => {
    expect(reorderLogFiles(['dig1 8 1 5 1', 'let1 art can', 'dig2 3 6', 'let2 own kit dig', 'let3 art zero'])).toEqual([
      'let1 art can',
      'let3 art zero',
      'let2 own kit dig',
      'dig1 8 1 5 1',
      'dig2 3 6',
    ]);
    expect(reorderLogFiles(['a1 9 2 3 1', 'g1 act car', 'zo4 4 7', 'ab1 off key dog', 'a8 act zoo'])).toEqual([
      'g1 act car',
      'a8 act zoo',
      'ab1 off key dog',
      'a1 9 2 3 1',
      'zo4 4 7',
    ]);
    expect(reorderLogFiles(['b1 same', 'a1 same'])).toEqual(['a1 same', 'b1 same']);
    expect(reorderLogFiles([])).toEqual([]);
  });
  it('rejects malformed lines, naming them', () => {
    expect(() => reorderLogFiles(['let1 art', 'lonely'])).toThrow(/logs\[1\] must be an identifier followed by at least one word/);
    expect(() => reorderLogFiles(['x1 a', 3 as never])).toThrow(/logs\[1\] must be a string/);
  });
});

describe('sliding windows', () => {
  const bruteWindows = (a: number[], k: number, f: (...v: number[]) => number) => Array.from({ length: a.length - k + 1 }, (_, i) => f(...a.slice(i, i + k)));
  it('sliding max and min match brute force', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 60 }), (a, k0) => {
        const k = Math.min(k0, a.length);
        return (
          JSON.stringify(Array.from(slidingWindowMax(a, k))) === JSON.stringify(bruteWindows(a, k, Math.max)) &&
          JSON.stringify(Array.from(slidingWindowMin(a, k))) === JSON.stringify(bruteWindows(a, k, Math.min))
        );
      }),
    );
    expect(Array.from(slidingWindowMax([1, 3, -1, -3, 5, 3, 6, 7], 3))).toEqual([3, 3, 5, 5, 6, 7]);
    expect(slidingWindowMax([], 1).length).toBe(0);
  });
  it('rejects k out of range and NaN values', () => {
    expect(() => slidingWindowMax([1, 2], 3)).toThrow(/k must be an integer in \[1, 2\], got 3/);
    expect(() => slidingWindowMin([1, 2], 0)).toThrow(/k must be a positive integer, got 0/);
    expect(() => slidingWindowMax([1, Number.NaN], 1)).toThrow(/values\[1\] must be a number \(not NaN\)/);
  });

  function bruteMinWindow(s: string, t: string): string {
    const cs = Array.from(s);
    const need = Array.from(t);
    let best: string | undefined;
    for (let len = 1; len <= cs.length && best === undefined; len++) {
      for (let i = 0; i + len <= cs.length; i++) {
        const win = cs.slice(i, i + len);
        const ok = need.every((c) => win.filter((w) => w === c).length >= need.filter((n) => n === c).length);
        if (ok) {
          best = win.join('');
          break;
        }
      }
    }
    return t.length === 0 ? '' : (best ?? '');
  }
  it('minWindowSubstring matches brute force (leftmost shortest)', () => {
    const small = fc.array(fc.constantFrom('a', 'b', 'c', '😀'), { maxLength: 14 }).map((a) => a.join(''));
    const target = fc.array(fc.constantFrom('a', 'b', '😀'), { maxLength: 4 }).map((a) => a.join(''));
    fc.assert(fc.property(small, target, (s, t) => minWindowSubstring(s, t) === bruteMinWindow(s, t)));
    expect(minWindowSubstring('ADOBECODEBANC', 'ABC')).toBe('BANC');
    expect(minWindowSubstring('a', 'aa')).toBe('');
  });
});
