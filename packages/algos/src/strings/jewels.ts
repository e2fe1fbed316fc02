import { checkString } from './check-string.js';

/**
 * How many of `stones` are jewels: each character of `stones` (code point, case-sensitive) that
 * appears in `jewels` counts once. O(|jewels| + |stones|).
 */
export function numJewelsInStones(jewels: string, stones: string): number {
  checkString('jewels', jewels);
  checkString('stones', stones);
  const kinds = new Set<string>(jewels);
  let count = 0;
  for (const ch of stones) if (kinds.has(ch)) count++;
  return count;
}
