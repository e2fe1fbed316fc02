import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExampleJson } from '@aiffel/example-kit';
import { describe, expect, it } from 'vitest';
import { builtInPokemon, loadPokemon } from '../src/data.js';
import { nameTokens, nameTypeFeatures, vocabulary } from '../src/features.js';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/pokemon/Pokemon.csv');

/** Runs the example and returns its closing JSON line. */
const runExample = (args: string[]): Record<string, unknown> => runExampleJson(here, args);

describe('pokemon-legendary example', () => {
  it('splits names into tokens at spaces, punctuation and case changes', () => {
    expect(nameTokens('MewtwoMega Mewtwo X')).toEqual(['mewtwo', 'mega', 'mewtwo', 'x']);
    expect(nameTokens('DeoxysNormal Forme')).toEqual(['deoxys', 'normal', 'forme']);
    expect(nameTokens("Farfetch'd")).toEqual(['farfetch', 'd']);
    expect(nameTokens('Ho-oh')).toEqual(['ho', 'oh']);
  });

  it('builds the name and type features from a label-free vocabulary', () => {
    const mons = [
      { name: 'KyogrePrimal Kyogre', type1: 'Water', type2: '', stats: [770, 100, 150, 90, 180, 160, 90, 3], legendary: true },
      { name: 'GroudonPrimal Groudon', type1: 'Ground', type2: 'Fire', stats: [770, 100, 180, 160, 150, 90, 90, 3], legendary: true },
      { name: 'Primal Test', type1: 'Water', type2: 'Ice', stats: [300, 50, 50, 50, 50, 50, 50, 1], legendary: false },
    ];
    const vocab = vocabulary(mons, 2);
    expect(vocab.tokens).toEqual(['primal']);
    expect(vocab.types).toEqual(['Fire', 'Ground', 'Ice', 'Water']);
    const { names, X } = nameTypeFeatures(mons, vocab);
    const at = (row: number, name: string) => X[row]?.[names.indexOf(name)];
    expect(at(0, 'name_length')).toBe(19);
    expect(at(0, 'long_name')).toBe(1);
    expect(at(0, 'name_has_space')).toBe(1);
    expect(at(0, 'name_is_alpha')).toBe(0);
    expect(at(0, 'token_primal')).toBe(1);
    expect(at(0, 'has_type2')).toBe(0);
    expect(at(1, 'type_Fire')).toBe(1);
    expect(at(1, 'type_Ground')).toBe(1);
    expect(at(2, 'type_Ice')).toBe(1);
    expect(at(2, 'Type 1')).toBe(vocab.types.indexOf('Water'));
    // Flipping every label leaves the features as they are: the vocabulary never reads them.
    const flipped = mons.map((m) => ({ ...m, legendary: !m.legendary }));
    expect(nameTypeFeatures(flipped, vocabulary(flipped, 2)).X).toEqual(X);
  });

  it('names the row of a bad stat and a missing column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-'));
    writeFileSync(
      join(dir, 'a.csv'),
      '#,Name,Type 1,Type 2,Total,HP,Attack,Defense,Sp. Atk,Sp. Def,Speed,Generation,Legendary\n1,Bulbasaur,Grass,Poison,318,45,49,x,65,65,45,1,False\n',
    );
    expect(() => loadPokemon(join(dir, 'a.csv'))).toThrow(/row 2: Defense is not a number \("x"\)/);
    writeFileSync(join(dir, 'b.csv'), 'Name,Total\nA,1\n');
    expect(() => loadPokemon(join(dir, 'b.csv'))).toThrow(/no column "Type 1"/);
    expect(builtInPokemon(50)).toHaveLength(50);
  });

  it('on built-in data: five stratified folds with and without the name/type features, and the EDA plots', () => {
    const out = mkdtempSync(join(tmpdir(), 'pk-out-'));
    const m = runExample(['--quick', '--out', out]);
    const folds = m.auc_gbm_folds as number[];
    expect(folds).toHaveLength(5);
    for (const a of folds) expect(a).toBeGreaterThan(0.8);
    expect(m.auc_gbm as number).toBeCloseTo(folds.reduce((a, b) => a + b, 0) / folds.length, 12);
    expect(m.auc_rf as number).toBeGreaterThan(0.8);
    expect(m.auc_gbm_name_type_folds as number[]).toHaveLength(5);
    expect(m.auc_rf_name_type as number).toBeGreaterThan(0.8);
    expect((m.features as { name_type: string[] }).name_type.length).toBeGreaterThan((m.features as { base: string[] }).base.length);
    for (const f of ['pokemon-stats.png', 'pokemon-types.png']) expect(readFileSync(join(out, f)).subarray(1, 4).toString()).toBe('PNG');
  });

  it.skipIf(!existsSync(real))('on Pokemon.csv: 800 Pokemon, 65 legendary, CV ROC AUC above 0.95 with and without the name/type features', () => {
    const m = runExample(['--data', real, '--out', mkdtempSync(join(tmpdir(), 'pk-real-'))]);
    expect(m.rows).toBe(800);
    expect(m.legendary).toBe(65);
    expect(m.auc_gbm as number).toBeGreaterThan(0.95);
    expect(m.auc_rf as number).toBeGreaterThan(0.95);
    expect(m.auc_gbm_name_type as number).toBeGreaterThan(0.95);
    expect((m.type_counts as Record<string, number>).Water).toBe(126);
  });

  it('names the file it cannot read', () => {
    expect(() => runExample(['--data', '/no/such/Pokemon.csv'])).toThrow(/no\/such\/Pokemon.csv/);
  });
});
