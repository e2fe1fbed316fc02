import { describe, expect, it } from 'vitest';
import { bannedTokens } from '../src/decode/search.js';
import { beamSearch, EOS_ID, greedySearch, resolveSearch, type Stepper } from '../src/index.js';

/** A hand-built scorer: log-probabilities from a table keyed by the prefix. */
function tableStepper(table: (prefix: readonly number[]) => number[], V: number): Stepper {
  return {
    vocabSize: V,
    sourceLength: 0,
    step(_last, _parents, prefixes) {
      const out = new Float32Array(prefixes.length * V);
      prefixes.forEach((p, r) => {
        const probs = table(p);
        for (let t = 0; t < V; t++) out[r * V + t] = Math.log(probs[t] ?? 1e-12);
      });
      return { logProbs: out };
    },
  };
}

// Tokens 0..3 are specials (3 = EOS); 4 and 5 are words. Greedy takes 4 (0.6) and is then stuck
// with a poor continuation; the best sequence is 5 5 EOS: 0.4 * 0.9 * 0.9 = 0.324 > 0.6 * 0.5.
const V = 6;
const table = (p: readonly number[]): number[] => {
  if (p.length === 0) return [0, 0, 0, 0, 0.6, 0.4];
  if (p[0] === 4) return [0, 0, 0, 0.5, 0.25, 0.25];
  if (p.length === 1) return [0, 0, 0, 0.05, 0.05, 0.9];
  return [0, 0, 0, 0.9, 0.05, 0.05];
};

describe('search', () => {
  it('beam search finds the known best sequence that greedy misses', () => {
    const o = resolveSearch({ beamSize: 2, maxLength: 5 }, 5);
    const [best] = beamSearch(tableStepper(table, V), 1, o)[0] ?? [];
    expect(best?.tokens).toEqual([5, 5]);
    expect(best?.logProb).toBeCloseTo(Math.log(0.4 * 0.9 * 0.9), 5);
    expect(best?.finished).toBe(true);
    const [g] = greedySearch(tableStepper(table, V), 1, resolveSearch({ maxLength: 5 }, 5));
    expect(g?.tokens).toEqual([4]);
  });

  it('beam search with beamSize 1 equals greedy, with and without constraints', () => {
    for (const extra of [{}, { minLength: 3 }, { noRepeatNgramSize: 1 }, { lengthPenalty: 1 }]) {
      const o = resolveSearch({ beamSize: 1, maxLength: 6, ...extra }, 6);
      const beam = beamSearch(tableStepper(table, V), 1, o)[0]?.[0];
      const greedy = greedySearch(tableStepper(table, V), 1, o)[0];
      expect(beam?.tokens).toEqual(greedy?.tokens);
      expect(beam?.score).toBeCloseTo(greedy?.score as number, 6);
    }
  });

  it('minLength bars EOS and n-gram blocking holds', () => {
    const o = resolveSearch({ beamSize: 3, minLength: 4, maxLength: 8, noRepeatNgramSize: 2 }, 8);
    for (const h of beamSearch(tableStepper(table, V), 1, o)[0] ?? []) {
      expect(h.tokens.length).toBeGreaterThanOrEqual(4);
      const grams = h.tokens.slice(1).map((t, i) => `${h.tokens[i]},${t}`);
      expect(new Set(grams).size).toBe(grams.length);
    }
    expect([...bannedTokens([4, 5, 4], 2)]).toEqual([5]);
    expect(EOS_ID).toBe(3);
  });

  it('length penalty favours longer outputs', () => {
    const short = beamSearch(tableStepper(table, V), 1, resolveSearch({ beamSize: 2, maxLength: 5 }, 5))[0] ?? [];
    const long = beamSearch(tableStepper(table, V), 1, resolveSearch({ beamSize: 2, maxLength: 5, lengthPenalty: 2 }, 5))[0] ?? [];
    expect(short.length).toBeGreaterThan(0);
    expect(long[0]?.score).toBeGreaterThan(long[0]?.logProb as number);
  });

  it('never emits UNK unless allowUnknown, nor PAD or SOS', () => {
    // Token 1 (UNK) is the most likely at every step.
    const unkTable = (p: readonly number[]): number[] => (p.length < 2 ? [0.05, 0.6, 0.05, 0.05, 0.15, 0.1] : [0, 0.5, 0, 0.4, 0.05, 0.05]);
    const o = resolveSearch({ beamSize: 2, maxLength: 4 }, 4);
    for (const h of beamSearch(tableStepper(unkTable, V), 1, o)[0] ?? []) expect(h.tokens.some((t) => t <= 2)).toBe(false);
    expect(greedySearch(tableStepper(unkTable, V), 1, o)[0]?.tokens).toEqual([4, 4]);
    expect(greedySearch(tableStepper(unkTable, V), 1, resolveSearch({ maxLength: 4, allowUnknown: true }, 4))[0]?.tokens).toEqual([1, 1, 1, 1]);
  });

  it('rejects bad options', () => {
    expect(() => resolveSearch({ beamSize: 0 }, 5)).toThrow(/beamSize must be an integer in 1..1024, got 0/);
    expect(() => resolveSearch({ minLength: 9 }, 5)).toThrow(/minLength must be at most maxLength/);
    expect(() => resolveSearch({ lengthPenalty: -1 }, 5)).toThrow(/lengthPenalty must be a non-negative number/);
    expect(() => resolveSearch({ beam: 2 } as never, 5)).toThrow(/unknown option "beam"/);
  });
});
