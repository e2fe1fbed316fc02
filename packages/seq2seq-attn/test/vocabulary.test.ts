import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EOS_ID, PAD_ID, SOS_ID, UNK_ID, Vocabulary } from '../src/index.js';

const corpus = ['a a a b b c', 'a b d', 'e'];

describe('Vocabulary', () => {
  it('orders words by frequency then alphabetically after the specials', () => {
    const v = Vocabulary.build(corpus);
    expect(v.words).toEqual(['<pad>', '<unk>', '<sos>', '<eos>', 'a', 'b', 'c', 'd', 'e']);
    expect([PAD_ID, UNK_ID, SOS_ID, EOS_ID]).toEqual([0, 1, 2, 3]);
  });

  it('reports coverage of a minFreq cut', () => {
    const v = Vocabulary.build(corpus, { minFreq: 2 });
    expect(v.words.slice(4)).toEqual(['a', 'b']);
    // 10 tokens: a x4, b x3 kept = 7 of 10; 2 of 5 distinct words.
    expect(v.coverage).toMatchObject({ distinctWords: 5, keptWords: 2, totalTokens: 10, droppedRare: 3, droppedByCap: 0 });
    expect(v.coverage?.tokenCoverage).toBeCloseTo(0.7, 12);
    expect(v.coverage?.typeCoverage).toBeCloseTo(0.4, 12);
  });

  it('reports coverage of a maxSize cut', () => {
    const v = Vocabulary.build(corpus, { maxSize: 1 });
    expect(v.words.slice(4)).toEqual(['a']);
    expect(v.coverage).toMatchObject({ keptWords: 1, droppedByCap: 4, droppedRare: 0 });
    expect(v.coverage?.tokenCoverage).toBeCloseTo(0.4, 12);
  });

  it('encodes unknown words as UNK and decodes back, stopping at EOS', () => {
    const v = Vocabulary.build(corpus, { minFreq: 2 });
    const ids = v.encode('a zebra b', { addSos: true, addEos: true });
    expect(ids).toEqual([SOS_ID, 4, UNK_ID, 5, EOS_ID]);
    expect(v.decode(ids)).toBe('a <unk> b');
    expect(v.decode([...ids, 4])).toBe('a <unk> b');
    expect(v.decode(ids, { keepSpecials: true })).toBe('<sos> a <unk> b <eos>');
  });

  it('round-trips through save/load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vocab-'));
    const v = Vocabulary.build(corpus);
    await v.save(join(dir, 'v.json'));
    const back = await Vocabulary.load(join(dir, 'v.json'));
    expect(back.words).toEqual(v.words);
    expect(back.encode('e d')).toEqual(v.encode('e d'));
    // Atomic: a failed save (here the path is a folder) keeps what was there and leaves no temporary file.
    mkdirSync(join(dir, 'taken'));
    await expect(v.save(join(dir, 'taken'))).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['taken', 'v.json']);
  });

  it('rejects bad input and hostile JSON', () => {
    expect(() => Vocabulary.build([])).toThrow(/corpus must be a non-empty array/);
    expect(() => Vocabulary.build([3 as unknown as string])).toThrow(/corpus\[0\] must be a string or an array of strings/);
    expect(() => Vocabulary.build(corpus, { minFreq: 0 })).toThrow(/minFreq must be a positive integer/);
    expect(() => Vocabulary.fromWords(['a', 'a'])).toThrow(/words\[1\] must be a word not listed before/);
    expect(() => Vocabulary.fromJSON({ format: 'x' })).toThrow(/vocabulary JSON must be an object with format/);
    expect(() => Vocabulary.fromJSON({ format: 'aiffel-seq2seq-vocabulary', version: 1, words: ['a'] })).toThrow(/to start with <pad>/);
    expect(() => Vocabulary.build(corpus).wordOf(99)).toThrow(/id must be an integer in \[0, 8\]/);
    const dir = mkdtempSync(join(tmpdir(), 'vocab-'));
    writeFileSync(join(dir, 'bad.json'), '{"__proto__": {"polluted": 1}, "format": "aiffel-seq2seq-vocabulary", "version": 2, "words": []}');
    return expect(Vocabulary.load(join(dir, 'bad.json'))).rejects.toThrow(/version must be 1/);
  });
});
