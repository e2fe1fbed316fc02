import { tokenize } from '../text/normalizer.js';
import { PAD_ID, UNK_ID, type Vocabulary } from '../text/vocabulary.js';

/**
 * A batch of sources in the copy model's extended vocabulary: the target vocabulary (V words)
 * followed, per input, by that input's own out-of-vocabulary words. Copying works on these ids,
 * so a word the target vocabulary lacks can still be emitted, as itself.
 */
export interface ExtendedSources {
  /**
   * [rows, steps], aligned with the SourceBatch ids (left padded with PAD): each source word's
   * target-vocabulary id, or V + k for the row's k-th out-of-vocabulary word.
   */
  ids: Int32Array;
  /** Per row, its out-of-vocabulary words in order of first appearance (id V + k is oovs[row][k]). */
  oovs: string[][];
  /** The most out-of-vocabulary words of any row: the extended vocabulary is V + maxOovs wide. */
  maxOovs: number;
}

/** Source texts (cut to their first `steps` tokens, as sourceBatch cuts them) in the extended vocabulary. */
export function extendSources(texts: readonly string[], targetVocab: Vocabulary, steps: number): ExtendedSources {
  const V = targetVocab.size;
  const ids = new Int32Array(texts.length * steps).fill(PAD_ID);
  const oovs: string[][] = [];
  let maxOovs = 0;
  texts.forEach((text, r) => {
    const tokens = tokenize(text).slice(0, steps);
    const own: string[] = [];
    const index = new Map<string, number>();
    const at = r * steps + steps - tokens.length;
    tokens.forEach((word, j) => {
      let id = targetVocab.has(word) ? targetVocab.idOf(word) : index.get(word);
      if (id === undefined) {
        id = V + own.length;
        index.set(word, id);
        own.push(word);
      }
      ids[at + j] = id;
    });
    oovs.push(own);
    maxOovs = Math.max(maxOovs, own.length);
  });
  return { ids, oovs, maxOovs };
}

/** A target's words as extended ids: in-vocabulary id, else V + k when the source has the word, else UNK. */
export function extendTarget(tokens: readonly string[], targetVocab: Vocabulary, oovs: readonly string[]): number[] {
  const V = targetVocab.size;
  return tokens.map((word) => {
    if (targetVocab.has(word)) return targetVocab.idOf(word);
    const k = oovs.indexOf(word);
    return k < 0 ? UNK_ID : V + k;
  });
}

/** The word of an extended id (a copied out-of-vocabulary word for ids >= V). */
export function extendedWord(id: number, targetVocab: Vocabulary, oovs: readonly string[]): string {
  return id < targetVocab.size ? targetVocab.wordOf(id) : (oovs[id - targetVocab.size] ?? targetVocab.wordOf(UNK_ID));
}
