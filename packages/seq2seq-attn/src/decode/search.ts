import { EOS_ID, PAD_ID, SOS_ID, UNK_ID } from '../text/vocabulary.js';
import type { ResolvedSearch } from './search-options.js';

/** One step's output for every row (batch x beams, row-major). */
export interface StepResult {
  /** Log-probabilities of the next token [rows, V] (-Infinity: impossible). */
  logProbs: Float32Array;
  /** Attention [rows, S]. */
  attention?: Float32Array;
  /** A copy model's p_gen per row [rows]: the probability of generating rather than copying. */
  pGen?: Float32Array;
  /** A copy model's share of each token's probability that comes from copying [rows, V]. */
  copyShare?: Float32Array;
}

/**
 * What a decoder gives the search at each step (a StepResult): the log-probabilities of the
 * next token and optionally the attention and the copy switch. For a copy model V is the extended
 * vocabulary (the target vocabulary, then the input's own out-of-vocabulary words).
 * `parents[r]` is the row of the previous step that row r continues (the stepper reorders its
 * recurrent state accordingly); `lastTokens[r]` the token just appended to row r.
 */
export interface Stepper {
  readonly vocabSize: number;
  /** Source positions in the attention rows (0 if the stepper reports no attention). */
  readonly sourceLength: number;
  step(lastTokens: Int32Array, parents: Int32Array, prefixes: readonly (readonly number[])[]): StepResult;
}

export interface Hypothesis {
  /** Generated ids, without SOS and EOS. */
  tokens: number[];
  /** Sum of token log-probabilities (EOS included when it ended the output). */
  logProb: number;
  /** Final score: logProb / lengthPenalty + coveragePenalty. */
  score: number;
  /** Attention rows, one per generated token (EOS included when emitted). */
  attention: Float32Array[];
  /** Whether the output ended with EOS (false: cut at maxLength). */
  finished: boolean;
  /** Per generated token (EOS included when emitted), when the stepper reports them: p_gen, and the share of the token's probability that came from copying. */
  pGen: number[];
  copyShare: number[];
}

/** What a hypothesis accumulates while it grows. */
interface Growing {
  tokens: number[];
  logProb: number;
  attention: Float32Array[];
  pGen: number[];
  copyShare: number[];
}

/** `h` grown by `token` from row `row` of a step's result. */
function extend(h: Growing, token: number, logProb: number, out: StepResult, row: number, S: number, V: number, append: boolean): Growing {
  return {
    tokens: append ? [...h.tokens, token] : h.tokens,
    logProb,
    attention: out.attention ? [...h.attention, out.attention.slice(row * S, row * S + S)] : h.attention,
    pGen: out.pGen ? [...h.pGen, out.pGen[row] as number] : h.pGen,
    copyShare: out.copyShare ? [...h.copyShare, out.copyShare[row * V + token] as number] : h.copyShare,
  };
}

/** GNMT length normaliser ((5 + len) / 6)^alpha. */
export function lengthNorm(length: number, alpha: number): number {
  return alpha === 0 ? 1 : ((5 + length) / 6) ** alpha;
}

/** GNMT coverage penalty beta * sum_j log(min(sum_i a_ij, 1)) over the real source positions. */
export function coverage(attention: readonly Float32Array[], beta: number, sourceMask?: ArrayLike<number>): number {
  if (beta === 0 || attention.length === 0) return 0;
  const S = (attention[0] as Float32Array).length;
  let total = 0;
  for (let j = 0; j < S; j++) {
    if (sourceMask && !sourceMask[j]) continue;
    let sum = 0;
    for (const row of attention) sum += row[j] as number;
    total += Math.log(Math.min(Math.max(sum, 1e-10), 1));
  }
  return beta * total;
}

/** Tokens that would complete an n-gram already present in `prefix` (n-gram blocking). */
export function bannedTokens(prefix: readonly number[], n: number): Set<number> {
  const banned = new Set<number>();
  if (n <= 0 || prefix.length < n - 1) return banned;
  const tail = prefix.slice(prefix.length - (n - 1));
  for (let i = 0; i + n <= prefix.length; i++) {
    let match = true;
    for (let k = 0; k < n - 1; k++) {
      if (prefix[i + k] !== tail[k]) {
        match = false;
        break;
      }
    }
    if (match) banned.add(prefix[i + n - 1] as number);
  }
  return banned;
}

/**
 * Whether `t` may follow `prefix`: never PAD or SOS, UNK only with allowUnknown (an output of
 * "<unk> <unk> ..." is the classic failure of a model trained on a cut vocabulary), EOS not before
 * minLength, nothing that repeats an n-gram.
 */
function allowed(t: number, prefix: readonly number[], banned: ReadonlySet<number>, o: ResolvedSearch): boolean {
  if (t === PAD_ID || t === SOS_ID || banned.has(t)) return false;
  if (t === UNK_ID) return o.allowUnknown;
  return t !== EOS_ID || prefix.length >= o.minLength;
}

function finalize(h: Growing, finished: boolean, o: ResolvedSearch, mask?: ArrayLike<number>): Hypothesis {
  const len = h.tokens.length + (finished ? 1 : 0);
  const score = h.logProb / lengthNorm(len, o.lengthPenalty) + coverage(h.attention, o.coveragePenalty, mask);
  return { tokens: h.tokens, logProb: h.logProb, score, attention: h.attention, finished, pGen: h.pGen, copyShare: h.copyShare };
}

/**
 * Beam search over `batch` inputs at once. Rows are batch x beamSize; each input's beams start as
 * one live hypothesis (the others at -Infinity). At each step every live beam proposes its
 * allowed continuations (EOS barred before minLength, n-gram blocking), the best 2 x beamSize
 * candidates are taken in order, those ending in EOS become finished outputs and the rest refill
 * the beams. An input is done once it has beamSize finished outputs; at maxLength the live beams
 * are finished as they are. Outputs are sorted by score, best first.
 */
export function beamSearch(stepper: Stepper, batch: number, o: ResolvedSearch, sourceMasks?: readonly ArrayLike<number>[]): Hypothesis[][] {
  const K = o.beamSize;
  const rows = batch * K;
  const V = stepper.vocabSize;
  type Live = Growing;
  const empty = (logProb: number): Live => ({ tokens: [], logProb, attention: [], pGen: [], copyShare: [] });
  let live: Live[] = Array.from({ length: rows }, (_, r) => empty(r % K === 0 ? 0 : Number.NEGATIVE_INFINITY));
  const done: Hypothesis[][] = Array.from({ length: batch }, () => []);
  const closed = new Uint8Array(batch);
  let lastTokens = new Int32Array(rows).fill(SOS_ID);
  let parents = Int32Array.from({ length: rows }, (_, r) => r);
  for (let step = 0; step < o.maxLength; step++) {
    const out = stepper.step(
      lastTokens,
      parents,
      live.map((h) => h.tokens),
    );
    const { logProbs } = out;
    const S = stepper.sourceLength;
    const nextLive: Live[] = new Array(rows);
    const nextTokens = new Int32Array(rows);
    const nextParents = new Int32Array(rows);
    for (let b = 0; b < batch; b++) {
      const cands: { score: number; row: number; token: number }[] = [];
      if (!closed[b]) {
        for (let k = 0; k < K; k++) {
          const r = b * K + k;
          const h = live[r] as Live;
          if (h.logProb === Number.NEGATIVE_INFINITY) continue;
          const banned = bannedTokens(h.tokens, o.noRepeatNgramSize);
          // Keep only this beam's best 2K tokens: enough to fill all beams whatever the others do.
          const top = topTokens(logProbs, r * V, V, 2 * K, (t) => allowed(t, h.tokens, banned, o));
          for (const [t, lp] of top) cands.push({ score: h.logProb + lp, row: r, token: t });
        }
        cands.sort((x, y) => y.score - x.score || x.row - y.row || x.token - y.token);
      }
      let filled = 0;
      for (const cand of cands) {
        if (filled === K) break;
        const parent = live[cand.row] as Live;
        const eos = cand.token === EOS_ID;
        const grown = extend(parent, cand.token, cand.score, out, cand.row, S, V, !eos);
        if (eos) {
          (done[b] as Hypothesis[]).push(finalize(grown, true, o, sourceMasks?.[b]));
          if ((done[b] as Hypothesis[]).length >= K) break;
          continue;
        }
        const r = b * K + filled;
        nextLive[r] = grown;
        nextTokens[r] = cand.token;
        nextParents[r] = cand.row;
        filled++;
      }
      if ((done[b] as Hypothesis[]).length >= K || cands.length === 0) closed[b] = 1;
      for (let k = filled; k < K; k++) {
        const r = b * K + k;
        nextLive[r] = empty(Number.NEGATIVE_INFINITY);
        nextTokens[r] = SOS_ID;
        nextParents[r] = r;
      }
      if (closed[b]) for (let k = 0; k < K; k++) (nextLive[b * K + k] as Live).logProb = Number.NEGATIVE_INFINITY;
    }
    live = nextLive;
    lastTokens = nextTokens;
    parents = nextParents;
    if (closed.every((x) => x === 1)) break;
  }
  for (let b = 0; b < batch; b++) {
    const list = done[b] as Hypothesis[];
    if (list.length < K) {
      for (let k = 0; k < K && list.length < K; k++) {
        const h = live[b * K + k] as Live;
        if (h.logProb > Number.NEGATIVE_INFINITY) list.push(finalize(h, false, o, sourceMasks?.[b]));
      }
    }
    list.sort((x, y) => y.score - x.score);
  }
  return done;
}

/** The best `n` (token, logProb) pairs of one row that pass `allowed`, best first. */
function topTokens(logProbs: Float32Array, offset: number, V: number, n: number, allowed: (t: number) => boolean): [number, number][] {
  const best: [number, number][] = [];
  for (let t = 0; t < V; t++) {
    const lp = logProbs[offset + t] as number;
    if (best.length === n && lp <= (best[n - 1] as [number, number])[1]) continue;
    if (!allowed(t)) continue;
    let i = best.length < n ? best.length : n - 1;
    if (best.length < n) best.push([t, lp]);
    while (i > 0 && (best[i - 1] as [number, number])[1] < lp) {
      best[i] = best[i - 1] as [number, number];
      i--;
    }
    best[i] = [t, lp];
  }
  return best;
}

/**
 * Greedy decoding with the same constraints (minLength, n-gram blocking): the most probable
 * allowed token at every step until EOS or maxLength. Equal to beamSearch with beamSize 1.
 */
export function greedySearch(stepper: Stepper, batch: number, o: ResolvedSearch, sourceMasks?: readonly ArrayLike<number>[]): Hypothesis[] {
  const V = stepper.vocabSize;
  const S = stepper.sourceLength;
  let hyps: Growing[] = Array.from({ length: batch }, () => ({ tokens: [], logProb: 0, attention: [], pGen: [], copyShare: [] }));
  const eos = new Uint8Array(batch);
  const stopped = new Uint8Array(batch);
  let last = new Int32Array(batch).fill(SOS_ID);
  const parents = Int32Array.from({ length: batch }, (_, r) => r);
  for (let step = 0; step < o.maxLength && stopped.includes(0); step++) {
    const out = stepper.step(
      last,
      parents,
      hyps.map((h) => h.tokens),
    );
    const next = new Int32Array(batch).fill(SOS_ID);
    hyps = hyps.map((h, b) => {
      if (stopped[b]) return h;
      const banned = bannedTokens(h.tokens, o.noRepeatNgramSize);
      const [best] = topTokens(out.logProbs, b * V, V, 1, (t) => allowed(t, h.tokens, banned, o));
      if (best === undefined) {
        stopped[b] = 1;
        return h;
      }
      const [token, lp] = best;
      if (token === EOS_ID) {
        eos[b] = 1;
        stopped[b] = 1;
      }
      next[b] = token;
      return extend(h, token, h.logProb + lp, out, b, S, V, token !== EOS_ID);
    });
    last = next;
  }
  return hyps.map((h, b) => finalize(h, eos[b] === 1, o, sourceMasks?.[b]));
}
