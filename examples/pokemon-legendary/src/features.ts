import { type Pokemon, STATS } from './data.js';

/** "MewtwoMega Mewtwo X" -> mewtwo, mega, mewtwo, x: words, split again where a capital follows a small letter. */
export function nameTokens(name: string): string[] {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .flatMap((w) => w.split(/(?<=\p{Ll})(?=\p{Lu})/u))
    .filter((t) => t !== '')
    .map((t) => t.toLowerCase());
}

export interface Vocabulary {
  /** Name tokens that occur at least `minCount` times among all names. */
  tokens: string[];
  types: string[];
}

/**
 * The tokens and types the features are made of. The exercise kept the tokens most common in
 * legendary names, which lets the labels choose features; here the tokens are the ones frequent
 * among all names (labels unseen), and the boosting model finds which of them matter.
 */
export function vocabulary(pokemon: Pokemon[], minCount = 3): Vocabulary {
  const counts = new Map<string, number>();
  for (const p of pokemon) for (const t of new Set(nameTokens(p.name))) counts.set(t, (counts.get(t) ?? 0) + 1);
  const tokens = [...counts]
    .filter(([, c]) => c >= minCount)
    .map(([t]) => t)
    .sort();
  const types = [...new Set(pokemon.flatMap((p) => [p.type1, p.type2]).filter((t) => t !== ''))].sort();
  return { tokens, types };
}

/** The base columns: the stats and Type 1 as a category code. */
export function baseFeatures(pokemon: Pokemon[], vocab: Vocabulary): { names: string[]; X: number[][] } {
  return { names: [...STATS, 'Type 1'], X: pokemon.map((p) => [...p.stats, vocab.types.indexOf(p.type1)]) };
}

/**
 * The exercise's name and type features on top of the base ones: name length, a long-name flag
 * (10 or more characters), whether the name has a space or only letters, one column per frequent
 * name token, one per type (in Type 1 or Type 2), and whether there is a second type.
 */
export function nameTypeFeatures(pokemon: Pokemon[], vocab: Vocabulary): { names: string[]; X: number[][] } {
  const base = baseFeatures(pokemon, vocab);
  const names = [
    ...base.names,
    'name_length',
    'long_name',
    'name_has_space',
    'name_is_alpha',
    'has_type2',
    ...vocab.tokens.map((t) => `token_${t}`),
    ...vocab.types.map((t) => `type_${t}`),
  ];
  const X = pokemon.map((p, i) => {
    const tokens = new Set(nameTokens(p.name));
    return [
      ...(base.X[i] as number[]),
      p.name.length,
      p.name.length >= 10 ? 1 : 0,
      p.name.includes(' ') ? 1 : 0,
      /^\p{L}+$/u.test(p.name) ? 1 : 0,
      p.type2 === '' ? 0 : 1,
      ...vocab.tokens.map((t) => (tokens.has(t) ? 1 : 0)),
      ...vocab.types.map((t) => (p.type1 === t || p.type2 === t ? 1 : 0)),
    ];
  });
  return { names, X };
}
