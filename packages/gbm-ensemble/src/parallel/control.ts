/** Slots of the shared Int32Array through which the main thread drives histogram workers. */
export const GEN = 0; // bumped for every command
export const DONE = 1; // workers finished with the current command
export const BEGIN = 2;
export const END = 3;
export const CMD = 4;
export const ERROR = 5; // set by a worker whose command threw
export const READY = 6; // workers that received the current setup
export const CONTROL_SLOTS = 8;

export const CMD_BUILD = 1;
/** Leave the blocking loop and go back to the event loop (to take a new setup or exit). */
export const CMD_YIELD = 2;

export interface SetupMessage {
  control: Int32Array;
  bins: Uint8Array;
  cols: number;
  outputs: number;
  order: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  /** The histogram being built; each thread writes its own features' part. */
  target: Float64Array;
  /** This worker's part (1..threads-1; the main thread takes part 0). */
  part: number;
  threads: number;
}

/** Features [f0, f1) of thread p out of `parts`. */
export function featureRange(cols: number, p: number, parts: number): [number, number] {
  return [Math.floor((cols * p) / parts), Math.floor((cols * (p + 1)) / parts)];
}
