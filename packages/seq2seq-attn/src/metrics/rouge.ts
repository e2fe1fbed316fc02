import { typeError } from '@aiffel/runtime';

export interface RougeScore {
  precision: number;
  recall: number;
  f: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

/**
 * Tokenisation of Google's rouge-score package (the reference the papers report): lower case,
 * every run of characters other than letters and digits is a separator. Unicode letters count.
 */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

function score(overlap: number, candidateCount: number, referenceCount: number): RougeScore {
  const precision = candidateCount === 0 ? 0 : overlap / candidateCount;
  const recall = referenceCount === 0 ? 0 : overlap / referenceCount;
  const f = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f };
}

function rougeN(cand: readonly string[], ref: readonly string[], n: number): RougeScore {
  const c = ngrams(cand, n);
  const r = ngrams(ref, n);
  let overlap = 0;
  for (const [k, v] of c) overlap += Math.min(v, r.get(k) ?? 0);
  return score(overlap, Math.max(0, cand.length - n + 1), Math.max(0, ref.length - n + 1));
}

/** Length of the longest common subsequence (two-row dynamic programme). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

/** ROUGE-1, ROUGE-2 and ROUGE-L (sentence-level LCS) of one candidate against one reference. */
export function rougePair(candidate: string, reference: string): RougeScores {
  if (typeof candidate !== 'string') throw typeError('candidate', 'a string', candidate);
  if (typeof reference !== 'string') throw typeError('reference', 'a string', reference);
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return { rouge1: rougeN(c, r, 1), rouge2: rougeN(c, r, 2), rougeL: score(lcsLength(c, r), c.length, r.length) };
}

/**
 * Mean ROUGE over candidate/reference pairs (each score averaged over the pairs, as rouge-score's
 * BootstrapAggregator's mid value and most papers report).
 */
export function rouge(candidates: readonly string[], references: readonly string[]): RougeScores {
  if (!Array.isArray(candidates)) throw typeError('candidates', 'an array of strings', candidates);
  if (!Array.isArray(references)) throw typeError('references', 'an array of strings', references);
  if (candidates.length !== references.length) {
    throw new RangeError(`candidates and references must have the same length, got ${candidates.length} and ${references.length}`);
  }
  if (candidates.length === 0) throw new RangeError('candidates must be a non-empty array, got an array of length 0');
  const sum: RougeScores = { rouge1: { precision: 0, recall: 0, f: 0 }, rouge2: { precision: 0, recall: 0, f: 0 }, rougeL: { precision: 0, recall: 0, f: 0 } };
  candidates.forEach((c, i) => {
    if (typeof c !== 'string') throw typeError(`candidates[${i}]`, 'a string', c);
    const r = references[i];
    if (typeof r !== 'string') throw typeError(`references[${i}]`, 'a string', r);
    const s = rougePair(c, r);
    for (const k of ['rouge1', 'rouge2', 'rougeL'] as const) {
      sum[k].precision += s[k].precision;
      sum[k].recall += s[k].recall;
      sum[k].f += s[k].f;
    }
  });
  const n = candidates.length;
  for (const k of ['rouge1', 'rouge2', 'rougeL'] as const) {
    sum[k].precision /= n;
    sum[k].recall /= n;
    sum[k].f /= n;
  }
  return sum;
}
