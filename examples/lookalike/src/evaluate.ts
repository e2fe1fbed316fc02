import { join } from 'node:path';
import { Calibration, distance, type FaceEmbedder, type FaceGallery } from '@aiffel/face-embed';
import type { ManifestRow } from './sources.js';

export interface Quality {
  photos: number;
  people: number;
  loo_queries: number;
  loo_top1: number;
  pairs: number;
  verification_accuracy_at_0_6: number;
  eer: number;
  eer_threshold: number;
  auc: number;
  group_faces_expected: number;
  group_faces_found: number;
  detection_recall: number;
  group_identified: number;
}

/**
 * The quality measures on a face folder: leave-one-out identification top-1 (queries
 * with at least one other photo of the same person), verification over every pair at the usual
 * 0.6 threshold, the equal-error rate, and detection recall plus identification on group photos.
 */
export async function evaluate(embedder: FaceEmbedder, dir: string, rows: ManifestRow[], gallery: FaceGallery): Promise<Quality> {
  const singles = rows.filter((r) => r.faces === 'single' && r.identity);
  const items: { id: string; d: Float32Array }[] = [];
  for (const r of singles) {
    const res = await embedder.embedLargest(join(dir, r.file));
    if (res.face) items.push({ id: r.identity, d: res.face.descriptor });
  }
  let hits = 0;
  let queries = 0;
  for (const a of items) {
    const others = items.filter((b) => b !== a);
    if (!others.some((b) => b.id === a.id)) continue;
    queries++;
    let best = others[0] as { id: string; d: Float32Array };
    for (const b of others) if (distance(a.d, b.d, 'l2') < distance(a.d, best.d, 'l2')) best = b;
    if (best.id === a.id) hits++;
  }
  const pairs: { distance: number; same: boolean }[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++)
      pairs.push({ distance: distance((items[i] as { d: Float32Array }).d, (items[j] as { d: Float32Array }).d, 'l2'), same: items[i]?.id === items[j]?.id });
  const cal = Calibration.fit(pairs).toJSON();
  let expected = 0;
  let found = 0;
  let identified = 0;
  for (const r of rows.filter((x) => x.faces === 'multiple')) {
    const faces = await embedder.embedAll(join(dir, r.file));
    expected += r.identities.length;
    found += Math.min(faces.length, r.identities.length);
    // Each expected person counts as identified when some face in the photo matches them first.
    const names = new Set(
      faces
        .map((f) => gallery.search(f.descriptor, { k: 1 })[0])
        .filter((h) => h !== undefined && h.distance <= 0.6)
        .map((h) => h?.name),
    );
    identified += r.identities.filter((p) => names.has(p)).length;
  }
  return {
    photos: items.length,
    people: new Set(items.map((i) => i.id)).size,
    loo_queries: queries,
    loo_top1: queries ? hits / queries : 0,
    pairs: pairs.length,
    verification_accuracy_at_0_6: pairs.filter((p) => p.distance <= 0.6 === p.same).length / pairs.length,
    eer: cal.eer,
    eer_threshold: cal.eerThreshold,
    auc: cal.auc,
    group_faces_expected: expected,
    group_faces_found: found,
    detection_recall: expected ? found / expected : 0,
    group_identified: identified,
  };
}
