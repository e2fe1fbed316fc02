import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExampleJson } from '@aiffel/example-kit';
import { describe, expect, it } from 'vitest';
import { removeOutliers } from '../src/cleaning.js';
import { FEATURES, featureRows, zipStats } from '../src/features.js';
import { type House, loadHouses, syntheticHouses } from '../src/houses.js';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/house-prices/kc_house_data.csv');

/** Runs the example and returns its closing JSON line. */
const runExample = (args: string[]): Record<string, unknown> => runExampleJson(here, args);

describe('house-prices example', () => {
  it('loads kc_house_data columns and names the row and column of a bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'houses-'));
    const header =
      'id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,condition,grade,sqft_above,sqft_basement,yr_built,yr_renovated,zipcode,lat,long,sqft_living15,sqft_lot15';
    const good = '"1","20141013T000000",221900,3,1,1180,5650,"1",0,0,3,7,1180,0,1955,0,"98178",47.5112,-122.257,1340,5650';
    writeFileSync(join(dir, 'ok.csv'), `${header}\n${good}\n`);
    const [h] = loadHouses(join(dir, 'ok.csv'));
    expect(h?.price).toBe(221900);
    expect(h?.zipcode).toBe('98178');
    writeFileSync(join(dir, 'bad.csv'), `${header}\n${good}\n${good.replace('221900', 'abc')}\n`);
    expect(() => loadHouses(join(dir, 'bad.csv'))).toThrow(/bad.csv row 3: price is not a number \("abc"\)/);
    writeFileSync(join(dir, 'other.csv'), 'a,b\n1,2\n');
    expect(() => loadHouses(join(dir, 'other.csv'))).toThrow(/no column "price"/);
  });

  it('builds one value per named feature, with zip statistics from the training rows only', () => {
    const houses = syntheticHouses(300);
    const train = houses.slice(0, 200);
    const stats = zipStats(train);
    const rows = featureRows(houses.slice(200), stats, new Map());
    expect(rows).toHaveLength(100);
    for (const r of rows) expect(r).toHaveLength(FEATURES.length);
    // Changing a test price must not change any feature: the target encoding saw only training rows.
    const changed = houses.slice(200).map((h) => ({ ...h, price: h.price * 10 }));
    expect(featureRows(changed, stats, new Map())).toEqual(rows);
  });

  it("removes the exercise's outliers from training rows only, counting each rule", () => {
    const houses = syntheticHouses(50);
    const odd = [
      { ...(houses[0] as House), grade: 3, price: 300_000 },
      { ...(houses[1] as House), grade: 8, price: 3_000_000 },
      { ...(houses[2] as House), grade: 11, price: 6_000_000 },
      { ...(houses[3] as House), sqft_living: 13_540 },
      { ...(houses[4] as House), grade: 8, price: 2_000_000 },
    ];
    const { kept, removed } = removeOutliers([...odd, ...houses.slice(5)]);
    expect(removed.map((r) => r.count)).toEqual([1, 1, 1, 1]);
    expect(kept).toHaveLength(46);
    expect(kept[0]?.price).toBe(2_000_000);
  });

  it('runs end to end on built-in data: a vote better than predicting the mean, the plots and submission.csv for every test sale', () => {
    const out = mkdtempSync(join(tmpdir(), 'hp-out-'));
    const m = runExample(['--quick', '--out', out, '--trials', '3', '--seed', '7']);
    const houses = syntheticHouses(4000);
    const logs = houses.map((h) => Math.log1p(h.price));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
    expect(m.example).toBe('house-prices');
    expect(m.rmse_log_voting as number).toBeLessThan(0.5 * sd);
    const dollars = m.rmse_dollars as Record<string, number>;
    expect(Object.keys(dollars)).toEqual([
      'tuned_gbdt',
      'xgboost-depth6',
      'lgbm-goss-d7',
      'lgbm-gbdt-d13',
      'lgbm-gbdt-d7',
      'lgbm-goss-d11',
      'voting',
      'stacking',
    ]);
    // Averaging five models is no worse than their mean error.
    const memberMean = ['xgboost-depth6', 'lgbm-goss-d7', 'lgbm-gbdt-d13', 'lgbm-gbdt-d7', 'lgbm-goss-d11'].reduce((s, k) => s + (dollars[k] as number), 0) / 5;
    expect(dollars.voting).toBeLessThanOrEqual(memberMean);
    expect(readFileSync(join(out, 'house-prices-importance.svg'), 'utf8')).toContain('<svg');
    for (const png of ['house-prices-spearman.png', 'house-prices-zipcodes.png']) expect(readFileSync(join(out, png)).subarray(1, 4).toString()).toBe('PNG');
    const lines = readFileSync(join(out, 'submission.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,price');
    expect(lines).toHaveLength(1 + (m.test_rows as number));
    const ids = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of lines.slice(1)) expect(Number(l.split(',')[1])).toBeGreaterThan(0);
    expect((m.tpe_best as { params: object }).params).toHaveProperty('numLeaves');
  });

  it.skipIf(!existsSync(real))('on the King County data the held-out RMSE in log price is below 0.2', () => {
    const m = runExample(['--quick', '--trials', '3', '--data', real, '--out', mkdtempSync(join(tmpdir(), 'hp-real-'))]);
    expect(m.test_rows).toBe(4323);
    // The exercise's outliers: five training sales.
    expect(m.train_rows).toBe(17290 - 5);
    expect(m.rmse_log_voting as number).toBeLessThan(0.2);
    expect((m.rmse_dollars as Record<string, number>).voting).toBeLessThan(130_000);
  });
});
