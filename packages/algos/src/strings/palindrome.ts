import { checkOptions } from '@aiffel/core';
import { checkString } from './check-string.js';

export interface PalindromeOptions {
  /**
   * false (default): only ASCII letters and digits count, compared case-insensitively (the
   * LeetCode definition). true: every Unicode letter and number counts, compared after NFC
   * normalisation and lower-casing, code point by code point.
   */
  unicode?: boolean;
}

function asciiKey(c: number): number {
  if (c >= 48 && c <= 57) return c;
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c + 32;
  return -1;
}

const letterOrNumber = /[\p{L}\p{N}]/u;

/** Whether `s` reads the same backwards, ignoring everything but letters and digits. O(n). */
export function isPalindrome(s: string, options: PalindromeOptions = {}): boolean {
  checkString('s', s);
  checkOptions('isPalindrome options', options, ['unicode']);
  if (!options.unicode) {
    let i = 0;
    let j = s.length - 1;
    while (i < j) {
      const a = asciiKey(s.charCodeAt(i));
      if (a < 0) {
        i++;
        continue;
      }
      const b = asciiKey(s.charCodeAt(j));
      if (b < 0) {
        j--;
        continue;
      }
      if (a !== b) return false;
      i++;
      j--;
    }
    return true;
  }
  const kept: string[] = [];
  for (const ch of s.normalize('NFC')) if (letterOrNumber.test(ch)) kept.push(...ch.toLowerCase());
  for (let i = 0, j = kept.length - 1; i < j; i++, j--) if (kept[i] !== kept[j]) return false;
  return true;
}
