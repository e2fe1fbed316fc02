import type { SearchHit } from './face-gallery.js';

/** One identity's standing for a query: its nearest photo, or the mean over all its photos. */
export interface PersonHit {
  /** 1 for the nearest person. */
  rank: number;
  name: string;
  /** The nearest photo's distance ('best') or the mean distance over the person's photos ('mean'). */
  distance: number;
  /** How many gallery entries the person has. */
  photos: number;
  /** The person's nearest entry, with its own rank among all entries. */
  nearest: SearchHit;
  /** Calibrated same-person probability of `distance` ('best' only: the calibration is per pair of photos). */
  probability?: number;
}

/**
 * Ranks people from entry hits sorted nearest first. With 'best' the hits may be a prefix of the
 * full ranking: the first k distinct names of any prefix are the k nearest people. With 'mean'
 * they must cover every entry.
 */
export function rankPeople(hits: SearchHit[], photos: Map<string, number>, k: number, by: 'best' | 'mean'): PersonHit[] {
  const people = new Map<string, { nearest: SearchHit; sum: number; seen: number }>();
  for (const h of hits) {
    const p = people.get(h.name);
    if (p) {
      p.sum += h.distance;
      p.seen++;
    } else people.set(h.name, { nearest: h, sum: h.distance, seen: 1 });
  }
  const ranked = [...people].map(([name, p]) => {
    const hit: PersonHit = {
      rank: 0,
      name,
      distance: by === 'best' ? p.nearest.distance : p.sum / p.seen,
      photos: photos.get(name) ?? p.seen,
      nearest: p.nearest,
    };
    if (by === 'best' && p.nearest.probability !== undefined) hit.probability = p.nearest.probability;
    return hit;
  });
  // A stable sort keeps first-seen order on ties, which for 'best' is the entries' own tie order.
  ranked.sort((a, b) => a.distance - b.distance);
  return ranked.slice(0, k).map((p, i) => ({ ...p, rank: i + 1 }));
}
