import type { House } from './houses.js';

/**
 * The exercise's features: the raw columns, total rooms, the total area (sqft_above +
 * sqft_basement), living/lot ratio, renovated flag, age at sale, sale year and month, the zip
 * code's digits, and location statistics computed on the training rows only (a target encoding
 * fitted on the test rows would leak the answer): each zip code's mean log price, and the mean and
 * variance of its price per square foot of total area (the exercise's "per_price").
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
  'sqft_total_size',
  'living_lot_ratio',
  'renovated',
  'age',
  'sale_year',
  'sale_month',
  'zip_digit3',
  'zip_digits45',
  'zip_mean_log_price',
  'zip_mean_price_per_sqft',
  'zip_var_price_per_sqft',
  'zipcode',
];

interface ZipEntry {
  meanLog: number;
  perSqftMean: number;
  perSqftVar: number;
}

export interface ZipStats {
  byZip: Map<string, ZipEntry>;
  overall: ZipEntry;
}

const totalSize = (h: House) => h.sqft_above + h.sqft_basement;

/** Per zip code statistics of the training sales, shrunk towards the overall ones by 10 pseudo-sales. */
export function zipStats(houses: House[]): ZipStats {
  type Sums = { n: number; log: number; per: number; per2: number };
  const acc = new Map<string, Sums>();
  const all: Sums = { n: 0, log: 0, per: 0, per2: 0 };
  const add = (a: Sums, h: House) => {
    const per = h.price / Math.max(1, totalSize(h));
    a.n++;
    a.log += Math.log1p(h.price);
    a.per += per;
    a.per2 += per * per;
  };
  for (const h of houses) {
    let a = acc.get(h.zipcode);
    if (!a) {
      a = { n: 0, log: 0, per: 0, per2: 0 };
      acc.set(h.zipcode, a);
    }
    add(a, h);
    add(all, h);
  }
  const entry = (a: Sums, k: number, prior: ZipEntry | undefined): ZipEntry => {
    const mean = (sum: number, p: number | undefined) => (sum + k * (p ?? 0)) / (a.n + k);
    const perSqftMean = mean(a.per, prior?.perSqftMean);
    const perSqftVar = Math.max(0, mean(a.per2, prior ? prior.perSqftVar + prior.perSqftMean ** 2 : undefined) - perSqftMean ** 2);
    return { meanLog: mean(a.log, prior?.meanLog), perSqftMean, perSqftVar };
  };
  const overall = entry(all, 0, undefined);
  return { byZip: new Map([...acc].map(([z, a]) => [z, entry(a, 10, overall)])), overall };
}

/** Rows of FEATURES; zipcode becomes an integer code for the booster's categorical splits. */
export function featureRows(houses: House[], stats: ZipStats, zipCodes: Map<string, number>): number[][] {
  return houses.map((h) => {
    const saleYear = Number(h.date.slice(0, 4));
    if (!zipCodes.has(h.zipcode)) zipCodes.set(h.zipcode, zipCodes.size);
    const z = stats.byZip.get(h.zipcode) ?? stats.overall;
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
      totalSize(h),
      h.sqft_living / Math.max(1, h.sqft_lot),
      h.yr_renovated > 0 ? 1 : 0,
      saleYear - h.yr_built,
      saleYear,
      Number(h.date.slice(4, 6)),
      Number(h.zipcode.slice(2, 3)),
      Number(h.zipcode.slice(3, 5)),
      z.meanLog,
      z.perSqftMean,
      z.perSqftVar,
      zipCodes.get(h.zipcode) as number,
    ];
  });
}
