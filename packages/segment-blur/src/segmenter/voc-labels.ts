/** PASCAL VOC 2012's 21 labels in model output order (DeepLab v3's VOC exports use these). */
export const VOC_LABELS: readonly string[] = [
  'background',
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tv',
];

/**
 * PASCAL VOC's colour for a label (the dataset's palette: the label's bits spread over the high
 * bits of R, G and B), so overlays look like the ones in papers and the exercise.
 */
export function vocColour(label: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let c = label;
  for (let shift = 7; shift >= 0 && c > 0; shift--) {
    r |= (c & 1) << shift;
    g |= ((c >> 1) & 1) << shift;
    b |= ((c >> 2) & 1) << shift;
    c >>= 3;
  }
  return [r, g, b];
}
