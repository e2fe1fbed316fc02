import { checkString } from './check-string.js';

/**
 * Length of the longest substring without a repeated character, counted in Unicode code points
 * (an emoji is one character, not two UTF-16 units). Sliding window with each character's last
 * position: O(n) time, O(alphabet) memory — the deque-and-join version costs O(n^2).
 */
export function lengthOfLongestSubstring(s: string): number {
  checkString('s', s);
  const lastSeen = new Map<number, number>();
  let best = 0;
  let start = 0;
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    const prev = lastSeen.get(cp);
    if (prev !== undefined && prev >= start) start = prev + 1;
    lastSeen.set(cp, i);
    if (i - start + 1 > best) best = i - start + 1;
    i++;
  }
  return best;
}
