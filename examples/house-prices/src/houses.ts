import { readFileSync } from 'node:fs';
import { parseCsv } from '@aiffel/gbm-ensemble';

/** The kc_house_data.csv columns the example uses. */
export interface House {
  /**
   * The row's index in the file (0-based, header not counted): the submission's id. The parcel
   * `id` column repeats for houses sold twice, so it cannot name a sale.
   */
  row: number;
  date: string;
  price: number;
  bedrooms: number;
  bathrooms: number;
  sqft_living: number;
  sqft_lot: number;
  floors: number;
  waterfront: number;
  view: number;
  condition: number;
  grade: number;
  sqft_above: number;
  sqft_basement: number;
  yr_built: number;
  yr_renovated: number;
  zipcode: string;
  lat: number;
  long: number;
  sqft_living15: number;
  sqft_lot15: number;
}

const NUMERIC = [
  'price',
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
  'yr_renovated',
  'lat',
  'long',
  'sqft_living15',
  'sqft_lot15',
] as const;

export function loadHouses(path: string): House[] {
  const { header, rows } = parseCsv(readFileSync(path, 'utf8'));
  const at = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column "${name}" (is this kc_house_data.csv?)`);
    return i;
  };
  const idx = Object.fromEntries([...NUMERIC, 'date', 'zipcode'].map((n) => [n, at(n)]));
  return rows.map((r, line) => {
    const h: Record<string, unknown> = { row: line, date: r[idx.date as number], zipcode: r[idx.zipcode as number] };
    for (const n of NUMERIC) {
      const v = Number(r[idx[n] as number]);
      if (!Number.isFinite(v)) throw new Error(`${path} row ${line + 2}: ${n} is not a number (${JSON.stringify(r[idx[n] as number])})`);
      h[n] = v;
    }
    return h as unknown as House;
  });
}

/**
 * Built-in data with kc_house_data's columns (used without --data): prices from size, grade,
 * location and age with multiplicative noise, so the pipeline has the same shape of problem.
 */
export function syntheticHouses(n: number, seed = 1): House[] {
  let s = seed >>> 0;
  const r = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const zips = Array.from({ length: 30 }, (_, i) => String(98001 + i * 3));
  const zipEffect = zips.map(() => 0.6 + r() * 1.2);
  return Array.from({ length: n }, (_, row) => {
    const z = Math.floor(r() ** 1.3 * zips.length);
    const sqft = Math.round(600 + r() * 3500);
    const grade = Math.min(13, Math.max(3, Math.round(5 + sqft / 900 + r() * 2)));
    const built = 1900 + Math.floor(r() * 115);
    const reno = r() < 0.05 ? built + Math.floor(r() * (2015 - built)) : 0;
    const basement = r() < 0.4 ? Math.round(sqft * 0.3) : 0;
    const price = Math.round(
      120 * sqft * (zipEffect[z] as number) * (1 + (grade - 7) * 0.12) * (reno ? 1.15 : 1) * (1 - (2015 - built) * 0.001) * Math.exp((r() - 0.5) * 0.3),
    );
    return {
      row,
      date: `2014${String(1 + Math.floor(r() * 12)).padStart(2, '0')}01T000000`,
      price,
      bedrooms: Math.max(1, Math.round(sqft / 700 + r())),
      bathrooms: Math.max(1, Math.round((sqft / 1000 + r()) * 4) / 4),
      sqft_living: sqft,
      sqft_lot: Math.round(sqft * (1.5 + r() * 6)),
      floors: r() < 0.5 ? 1 : 2,
      waterfront: r() < 0.01 ? 1 : 0,
      view: Math.floor(r() ** 4 * 5),
      condition: 2 + Math.floor(r() * 3),
      grade,
      sqft_above: sqft - basement,
      sqft_basement: basement,
      yr_built: built,
      yr_renovated: reno,
      zipcode: zips[z] as string,
      lat: 47.2 + (z / zips.length) * 0.6 + r() * 0.02,
      long: -122.5 + r() * 0.7,
      sqft_living15: Math.round(sqft * (0.8 + r() * 0.4)),
      sqft_lot15: Math.round(sqft * (1.5 + r() * 6)),
    };
  });
}
