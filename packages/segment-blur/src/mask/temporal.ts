import { rangeError } from '@aiffel/runtime';
import { type Mask, type MaskInput, toMask } from './mask.js';

/**
 * Exponential moving average over the masks of a frame sequence, so the edge does not flicker:
 * smoothed = alpha * current + (1 - alpha) * previous. A change of frame size starts over.
 */
export class MaskSmoother {
  private state: Mask | undefined;
  readonly alpha: number;

  /** @param alpha weight of the newest frame, in (0, 1]; default 0.6. */
  constructor(alpha = 0.6) {
    if (!(alpha > 0 && alpha <= 1)) throw rangeError('alpha', 'a number in (0, 1]', alpha);
    this.alpha = alpha;
  }

  /** Adds a frame's mask and returns the smoothed mask (a new object; the input is not changed). */
  update(input: Mask | MaskInput): Mask {
    // NaN or out-of-range values would stay in the average for every later frame.
    const mask = toMask(input, 'mask');
    const prev = this.state;
    if (!prev || prev.width !== mask.width || prev.height !== mask.height) {
      this.state = { data: Float32Array.from(mask.data), width: mask.width, height: mask.height };
    } else {
      const a = this.alpha;
      for (let i = 0; i < prev.data.length; i++) prev.data[i] = a * (mask.data[i] as number) + (1 - a) * (prev.data[i] as number);
    }
    const s = this.state as Mask;
    return { data: Float32Array.from(s.data), width: s.width, height: s.height };
  }

  reset(): void {
    this.state = undefined;
  }
}
