import { Calibration } from './calibration.js';

/**
 * Calibration of the default model (dlib ResNet via face-api.js weights, our eye-level chips,
 * numJitters 1, L2 distance), fitted by `scripts/calibrate.mts` on every pair of the 19
 * single-face photos of 6 people in ../shared/data/faces/face_recognition (the photos of
 * ageitgey/face_recognition's examples and tests). The pairs are few: treat the probability map
 * as a guide and re-fit on your own labelled pairs with `Calibration.fit`.
 */
export const DEFAULT_CALIBRATION_JSON = {
  format: 'aiffel-face-calibration',
  version: 1,
  metric: 'l2',
  slope: 25.1035760641882,
  midpoint: 0.5948301915944045,
  eer: 0.007407407407407408,
  eerThreshold: 0.621450088788532,
  auc: 0.9995884773662563,
  accuracy: 0.9883040935672515,
  samePairs: 36,
  differentPairs: 135,
  source: "19 single-face photos of 6 people in ../shared/data/faces/face_recognition, every pair (align 'roll')",
} as const;

export function defaultCalibration(): Calibration {
  return Calibration.fromJSON(DEFAULT_CALIBRATION_JSON);
}
