import { readFileSync } from 'node:fs';
import { parseCsv } from '@aiffel/gbm-ensemble';

export const STATS = ['Total', 'HP', 'Attack', 'Defense', 'Sp. Atk', 'Sp. Def', 'Speed', 'Generation'] as const;

export interface Pokemon {
  name: string;
  type1: string;
  /** '' when the Pokemon has one type. */
  type2: string;
  stats: number[];
  legendary: boolean;
}

/**
 * Built-in data with Pokemon.csv's columns: legendary ones have high totals, and more often long
 * names with a form ("Forme", "Mega") and the Psychic or Dragon type, as in the games.
 */
export function builtInPokemon(n: number): Pokemon[] {
  let s = 3;
  const r = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const types = ['Water', 'Fire', 'Grass', 'Psychic', 'Dragon', 'Normal', 'Bug', 'Flying'];
  const syllables = ['pi', 'ka', 'chu', 'zar', 'dra', 'mew', 'tor', 'bul', 'sa', 'ur', 'gon', 'rai'];
  return Array.from({ length: n }, () => {
    const legendary = r() < 0.08;
    const base = legendary ? 95 + r() * 30 : 45 + r() * 45;
    const st = Array.from({ length: 6 }, () => Math.round(base * (0.7 + r() * 0.6)));
    const stem = Array.from({ length: 2 + Math.floor(r() * (legendary ? 3 : 2)) }, () => syllables[Math.floor(r() * syllables.length)]).join('');
    const name = stem[0]?.toUpperCase() + stem.slice(1);
    const form = legendary && r() < 0.3 ? (r() < 0.5 ? `${name}Mega ${name}` : `${name}Normal Forme`) : r() < 0.03 ? `${name}Mega ${name}` : name;
    const t1 = legendary && r() < 0.5 ? (r() < 0.5 ? 'Psychic' : 'Dragon') : (types[Math.floor(r() * types.length)] as string);
    return {
      name: form,
      type1: t1,
      type2: r() < 0.5 ? (types[Math.floor(r() * types.length)] as string) : '',
      stats: [st.reduce((a, b) => a + b, 0), ...st, 1 + Math.floor(r() * 6)],
      legendary,
    };
  });
}

/** Pokemon.csv (#, Name, Type 1, Type 2, Total, HP, ..., Generation, Legendary); a missing column or a bad number names the row. */
export function loadPokemon(path: string): Pokemon[] {
  const { header, rows } = parseCsv(readFileSync(path, 'utf8'));
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column "${name}" (is this Pokemon.csv?)`);
    return i;
  };
  const [name, t1, t2, legendary] = [col('Name'), col('Type 1'), col('Type 2'), col('Legendary')];
  const stats = STATS.map(col);
  return rows.map((r, k) => ({
    name: r[name] ?? '',
    type1: r[t1] ?? '',
    type2: r[t2] ?? '',
    stats: stats.map((c, j) => {
      const v = Number(r[c]);
      if (r[c] === '' || !Number.isFinite(v)) throw new Error(`row ${k + 2}: ${STATS[j]} is not a number (${JSON.stringify(r[c])})`);
      return v;
    }),
    legendary: r[legendary] === 'True',
  }));
}
