import type { EmbeddedFace } from '@aiffel/face-embed';

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

/** A face of `FaceEmbedder` (loaded with `ageGender: true`) as the server passes it around. */
export function toFaceResult(f: EmbeddedFace): FaceResult {
  return {
    box: f.box,
    score: f.score,
    landmarks: f.landmarks,
    descriptor: f.descriptor,
    appearance: f.appearance as Float32Array,
    age: f.age as number,
    gender: f.gender as 'male' | 'female',
    genderProbability: f.genderProbability as number,
  };
}
