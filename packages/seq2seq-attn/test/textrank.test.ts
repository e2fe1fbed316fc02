import { describe, expect, it } from 'vitest';
import { leadN, splitSentences, textRank } from '../src/index.js';

const doc = [
  'The city council approved the new budget for schools and roads on Monday.',
  'Mr. Smith said the budget for schools will hire new teachers.',
  'The budget for roads will repair bridges across the city.',
  'Rain is expected tomorrow.',
].join(' ');

describe('TextRank', () => {
  it('splits sentences without breaking at abbreviations', () => {
    expect(splitSentences(doc)).toHaveLength(4);
    expect(splitSentences('Dr. Rao won. She smiled!')).toEqual(['Dr. Rao won.', 'She smiled!']);
  });
  it('picks the central sentence and leaves the unrelated one last', () => {
    const r = textRank(doc, { sentences: 1 });
    expect(r.sentences[0]?.index).toBe(0);
    const worst = [...r.ranking].sort((a, b) => a.score - b.score)[0];
    expect(worst?.index).toBe(3);
    const total = r.ranking.reduce((s, x) => s + x.score, 0);
    expect(total).toBeCloseTo(1, 6);
  });
  it('keeps document order and honours ratio and word budgets', () => {
    const r = textRank(doc, { ratio: 0.5 });
    expect(r.sentences.map((s) => s.index)).toEqual([...r.sentences.map((s) => s.index)].sort((a, b) => a - b));
    expect(r.sentences).toHaveLength(2);
    expect(textRank(doc, { words: 12 }).sentences).toHaveLength(1);
  });
  it('Lead-N takes the first sentences', () => {
    expect(leadN(doc, 2)).toBe(splitSentences(doc).slice(0, 2).join(' '));
  });
  it('rejects bad options', () => {
    expect(() => textRank(doc, { sentences: 1, ratio: 0.5 })).toThrow(/only one of sentences, ratio, words/);
    expect(() => textRank(doc, { ratio: 2 })).toThrow(/ratio must be a number in \(0, 1\]/);
    expect(() => textRank(5 as unknown as string)).toThrow(/text must be a string/);
    expect(() => leadN(doc, 0)).toThrow(/n must be a positive integer/);
  });
});
