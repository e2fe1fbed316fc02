/**
 * OpenCV's default border (BORDER_REFLECT_101: `dcb|abcd|cba`), so our blurs agree with cv2.blur
 * and cv2.GaussianBlur pixel for pixel, edges included. Works for any offset, even past 2n.
 */
export function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}
