import sharp from 'sharp';
import type { ScoreResponse } from './engine/scoring-engine.js';

/**
 * A 1920x1280 JPEG with one face, made from a group photo and the server's own answer for it:
 * the region around the largest face, 3:2, scaled to 1920x1280 (the photo the latency goal is
 * stated for; no such photo ships in an npm package).
 */
export async function oneFacePhoto(groupPhoto: string, answer: ScoreResponse): Promise<Buffer> {
  const face = answer.faces[0];
  if (face === undefined) throw new Error(`${groupPhoto}: no face to build the one-face photo from`);
  const { width: W, height: H } = answer.image;
  const meta = await sharp(groupPhoto).rotate().toBuffer({ resolveWithObject: true });
  // Boxes are in the analysed image; scale them to the decoded photo.
  const s = meta.info.width / W;
  const h = Math.min(meta.info.height, face.box.height * s * 2.4);
  const w = Math.min(meta.info.width, h * 1.5);
  const cx = (face.box.x + face.box.width / 2) * s;
  const cy = (face.box.y + face.box.height / 2) * s;
  const left = Math.round(Math.max(0, Math.min(meta.info.width - w, cx - w / 2)));
  const top = Math.round(Math.max(0, Math.min(meta.info.height - h, cy - h / 2)));
  void H;
  return sharp(meta.data)
    .extract({ left, top, width: Math.round(w), height: Math.round(h) })
    .resize(1920, 1280, { fit: 'cover' })
    .jpeg({ quality: 90 })
    .toBuffer();
}
