import type { House } from './houses.js';

/**
 * The exercise's feature engineering: total rooms, living/lot ratio, renovated flag, age at
 * sale, sale month, and location statistics — the zipcode's mean log price computed on the
 * training rows only (a target encoding fitted on the test rows would leak the answer).
 */
export const FEATURES = [
  'bedrooms',
  'bathrooms',
  'sqft_living',
  'sqft_lot',
  'floors',
  'waterfront',
  'view',
  'condition',
  'grade',
  'sqft_above',
  'sqft_basement',
  'yr_built',
  'lat',
  'long',
  'sqft_living15',
  'sqft_lot15',
  'total_rooms',
  'living_lot_ratio',
  'renovated',
  'age',
  'sale_month',
  'zip_mean_log_price',
  'zipcode',
];

export interface ZipStats {
  mean: Map<string, number>;
  overall: number;
}

export function zipStats(houses: House[]): ZipStats {
  const sum = new Map<string, [number, number]>();
  let total = 0;
  for (const h of houses) {
    const lp = Math.log1p(h.price);
    total += lp;
    const s = sum.get(h.zipcode) ?? [0, 0];
    sum.set(h.zipcode, [s[0] + lp, s[1] + 1]);
  }
  const overall = total / houses.length;
  // Shrink small zipcodes towards the overall mean (10 pseudo-sales).
  return { mean: new Map([...sum].map(([z, [s, n]]) => [z, (s + 10 * overall) / (n + 10)])), overall };
}

/** Rows of FEATURES; zipcode becomes an integer code for the booster's categorical splits. */
export function featureRows(houses: House[], stats: ZipStats, zipCodes: Map<string, number>): number[][] {
  return houses.map((h) => {
    const saleYear = Number(h.date.slice(0, 4));
    if (!zipCodes.has(h.zipcode)) zipCodes.set(h.zipcode, zipCodes.size);
    return [
      h.bedrooms,
      h.bathrooms,
      h.sqft_living,
      h.sqft_lot,
      h.floors,
      h.waterfront,
      h.view,
      h.condition,
      h.grade,
      h.sqft_above,
      h.sqft_basement,
      h.yr_built,
      h.lat,
      h.long,
      h.sqft_living15,
      h.sqft_lot15,
      h.bedrooms + h.bathrooms,
      h.sqft_living / Math.max(1, h.sqft_lot),
      h.yr_renovated > 0 ? 1 : 0,
      saleYear - h.yr_built,
      Number(h.date.slice(4, 6)),
      stats.mean.get(h.zipcode) ?? stats.overall,
      zipCodes.get(h.zipcode) as number,
    ];
  });
}
