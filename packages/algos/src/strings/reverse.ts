import { checkOneOf, checkOptions, typeError } from '@aiffel/core';
import { checkString } from './check-string.js';

type Mutable = { length: number; [i: number]: unknown };

/** Reverses an array or typed array in place with two pointers (O(1) extra memory) and returns it. */
export function reverseInPlace<T extends Mutable>(a: T): T {
  if (!(Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView)))) throw typeError('a', 'an array or typed array', a);
  for (let i = 0, j = a.length - 1; i < j; i++, j--) {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

export interface ReverseStringOptions {
  /**
   * 'grapheme' (default): user-perceived characters stay intact (a flag or a letter with a combining
   * accent is not split). 'codePoint': surrogate pairs stay intact. 'unit': raw UTF-16 units, which
   * can produce invalid strings — only for parity with naive implementations.
   */
  by?: 'grapheme' | 'codePoint' | 'unit';
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A reversed copy of `s` (JavaScript strings are immutable; use reverseInPlace on arrays). */
export function reverseString(s: string, options: ReverseStringOptions = {}): string {
  checkString('s', s);
  checkOptions('reverseString options', options, ['by']);
  const by = checkOneOf('options.by', options.by ?? 'grapheme', ['grapheme', 'codePoint', 'unit'] as const);
  let parts: string[];
  if (by === 'grapheme') parts = Array.from(graphemes.segment(s), (g) => g.segment);
  else if (by === 'codePoint') parts = Array.from(s);
  else parts = s.split('');
  return reverseInPlace(parts).join('');
}
