/** A comparator: negative when a comes first, positive when b does, 0 when equal. */
export type Compare<T> = (a: T, b: T) => number;

/** Ascending order for numbers, strings and bigints (`<`), the default everywhere here. */
export function ascending<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
