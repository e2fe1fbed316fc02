export { numJewelsInStones } from './jewels.js';
export { lengthOfLongestSubstring } from './longest-substring.js';
export { isPalindrome, type PalindromeOptions } from './palindrome.js';
export { reorderLogFiles } from './reorder-logs.js';
export { type ReverseStringOptions, reverseInPlace, reverseString } from './reverse.js';
export { minWindowSubstring, slidingWindowMax, slidingWindowMin } from './sliding-window.js';
