/** Decoded RGB pixels crossing to a worker (the buffer is moved, not copied). */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One detected face as a worker returns it. */
export interface FaceResult {
  box: Box;
  score: number;
  landmarks: { x: number; y: number }[];
  descriptor: Float32Array;
  appearance: Float32Array;
  age: number;
  gender: 'male' | 'female';
  genderProbability: number;
}
