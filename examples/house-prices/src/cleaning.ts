import type { House } from './houses.js';

/**
 * The exercise's outlier removal, on the training rows only (the competition's test rows are
 * never dropped: every one needs a prediction). Its author looked at log price by grade and
 * removed the sales far above their grade's range, and the one house with a living area over
 * 13,000 sqft. The thresholds are the exercise's, in log1p(price).
 */
export const OUTLIER_RULES: { name: string; drop: (h: House) => boolean }[] = [
  { name: 'grade 3 with log price > 12', drop: (h) => h.grade === 3 && Math.log1p(h.price) > 12 },
  { name: 'grade 8 with log price > 14.7', drop: (h) => h.grade === 8 && Math.log1p(h.price) > 14.7 },
  { name: 'grade 11 with log price > 15.5', drop: (h) => h.grade === 11 && Math.log1p(h.price) > 15.5 },
  { name: 'sqft_living > 13000', drop: (h) => h.sqft_living > 13000 },
];

export function removeOutliers(houses: House[]): { kept: House[]; removed: { rule: string; count: number }[] } {
  const counts = OUTLIER_RULES.map(() => 0);
  const kept = houses.filter((h) => {
    const k = OUTLIER_RULES.findIndex((r) => r.drop(h));
    if (k >= 0) counts[k] = (counts[k] as number) + 1;
    return k < 0;
  });
  return { kept, removed: OUTLIER_RULES.map((r, k) => ({ rule: r.name, count: counts[k] as number })) };
}
