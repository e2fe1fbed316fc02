import { assertKnownOptions, assertPositiveInteger, rangeError } from '@aiffel/runtime';
import { rougeTokens } from '../metrics/rouge.js';
import { ENGLISH_STOPWORDS } from '../text/stopwords.js';
import { splitSentences } from './sentences.js';

export interface TextRankOptions {
  /** Number of sentences to keep. Default 3 (when neither ratio nor words is given). */
  sentences?: number;
  /** Keep this share of the sentences (0, 1]. */
  ratio?: number;
  /** Keep the best sentences until this many words. */
  words?: number;
  /** PageRank damping factor. Default 0.85. */
  damping?: number;
  /** Stopwords ignored by the similarity. Default: the built-in English list. */
  stopwords?: ReadonlySet<string>;
}

export interface RankedSentence {
  text: string;
  /** Position in the document. */
  index: number;
  /** PageRank score. */
  score: number;
}

export interface ExtractiveSummary {
  /** The chosen sentences joined, in document order. */
  summary: string;
  /** The chosen sentences, in document order. */
  sentences: RankedSentence[];
  /** Every sentence with its score, in document order. */
  ranking: RankedSentence[];
}

/** Lower-case words (ROUGE's tokenisation) that are not stopwords. */
function contentWords(sentence: string, stopwords: ReadonlySet<string>): string[] {
  return rougeTokens(sentence).filter((w) => !stopwords.has(w));
}

/**
 * PageRank over the sentence graph with the overlap similarity of Mihalcea and Tarau (2004):
 * |Si ∩ Sj| / (log |Si| + log |Sj|), on content words. Power iteration to 1e-6.
 */
export function sentenceScores(sentences: readonly string[], damping = 0.85, stopwords: ReadonlySet<string> = ENGLISH_STOPWORDS): Float64Array {
  if (!(damping > 0 && damping < 1)) throw rangeError('damping', 'a number in (0, 1)', damping);
  const n = sentences.length;
  const words = sentences.map((s) => new Set(contentWords(s, stopwords)));
  const w = new Float64Array(n * n);
  const outSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = words[i] as Set<string>;
      const b = words[j] as Set<string>;
      if (a.size < 1 || b.size < 1) continue;
      let common = 0;
      for (const x of a) if (b.has(x)) common++;
      const denom = Math.log(a.size + 1) + Math.log(b.size + 1); // +1 keeps one-word sentences finite
      const sim = common / denom;
      w[i * n + j] = sim;
      w[j * n + i] = sim;
      outSum[i] = (outSum[i] as number) + sim;
      outSum[j] = (outSum[j] as number) + sim;
    }
  }
  let score = new Float64Array(n).fill(1 / Math.max(n, 1));
  for (let iter = 0; iter < 200; iter++) {
    const next = new Float64Array(n).fill((1 - damping) / n);
    let dangling = 0;
    for (let j = 0; j < n; j++) if (outSum[j] === 0) dangling += score[j] as number;
    for (let i = 0; i < n; i++) {
      let acc = dangling / n;
      for (let j = 0; j < n; j++) {
        const wij = w[j * n + i] as number;
        if (wij > 0) acc += (wij / (outSum[j] as number)) * (score[j] as number);
      }
      next[i] = (next[i] as number) + damping * acc;
    }
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs((next[i] as number) - (score[i] as number));
    score = next;
    if (delta < 1e-6) break;
  }
  return score;
}

function keepCount(n: number, options: TextRankOptions): number | undefined {
  const given = ['sentences', 'ratio', 'words'].filter((k) => options[k as keyof TextRankOptions] !== undefined);
  if (given.length > 1) throw rangeError('textRank options', 'only one of sentences, ratio, words', given.join(', '));
  if (options.ratio !== undefined) {
    if (!(options.ratio > 0 && options.ratio <= 1)) throw rangeError('ratio', 'a number in (0, 1]', options.ratio);
    return Math.max(1, Math.round(n * options.ratio));
  }
  if (options.words !== undefined) {
    assertPositiveInteger('words', options.words);
    return undefined;
  }
  const k = options.sentences ?? 3;
  assertPositiveInteger('sentences', k);
  return Math.min(k, n);
}

/** Extractive summary by TextRank: the highest-ranked sentences, in document order. */
export function textRank(text: string, options: TextRankOptions = {}): ExtractiveSummary {
  assertKnownOptions('textRank options', options, ['sentences', 'ratio', 'words', 'damping', 'stopwords']);
  const sentences = splitSentences(text);
  const scores = sentenceScores(sentences, options.damping ?? 0.85, options.stopwords ?? ENGLISH_STOPWORDS);
  const ranking = sentences.map((s, index) => ({ text: s, index, score: scores[index] as number }));
  const k = keepCount(sentences.length, options);
  // Ties go to the earlier sentence, which is what a reader expects of a news text.
  const order = [...ranking].sort((a, b) => b.score - a.score || a.index - b.index);
  let chosen: RankedSentence[];
  if (k !== undefined) chosen = order.slice(0, k);
  else {
    chosen = [];
    let words = 0;
    for (const s of order) {
      const n = s.text.split(/\s+/).length;
      if (chosen.length > 0 && words + n > (options.words as number)) break;
      chosen.push(s);
      words += n;
    }
  }
  chosen.sort((a, b) => a.index - b.index);
  return { summary: chosen.map((s) => s.text).join(' '), sentences: chosen, ranking };
}

/** The Lead-N baseline: the first n sentences (news puts the point first). */
export function leadN(text: string, n = 1): string {
  assertPositiveInteger('n', n);
  return splitSentences(text).slice(0, n).join(' ');
}
