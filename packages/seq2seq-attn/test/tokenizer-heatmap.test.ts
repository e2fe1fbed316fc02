import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { attentionHeatmapPng, attentionHeatmapSvg, EOS_ID, SOS_ID, Tokenizer, UNK_ID } from '../src/index.js';

describe('Tokenizer', () => {
  const texts = ["The cat's toy (red) isn't here", 'The dog is here', 'the cat sat'];

  it('normalises, fits a vocabulary and encodes padded batches with a truncation report', () => {
    const t = new Tokenizer({ minFreq: 2 }).fit(texts);
    // the x3; cat, here, is x2 each ("isn't" expands to "is not"), ties alphabetical.
    expect(t.vocabulary.words.slice(4)).toEqual(['the', 'cat', 'here', 'is']);
    const b = t.encodeBatch(['The cat is not here at all', 'cat'], { maxLength: 4, addSos: true, addEos: true });
    const id = (w: string) => t.vocabulary.idOf(w);
    expect([...b.ids.slice(0, 4)]).toEqual([SOS_ID, id('the'), id('cat'), id('is')]);
    expect([...b.ids.slice(4)]).toEqual([SOS_ID, id('cat'), EOS_ID, 0]);
    expect(b.report.truncated).toEqual([0]);
    expect(t.encode(['zebra'])).toEqual([[UNK_ID]]);
    expect(t.decode([SOS_ID, id('cat'), EOS_ID, id('the')])).toBe('cat');
  });

  it('round-trips through save/load', async () => {
    const t = new Tokenizer({ normalizer: { removeStopwords: true } }).fit(texts);
    const path = join(mkdtempSync(join(tmpdir(), 'tok-')), 't.json');
    await t.save(path);
    const back = await Tokenizer.load(path);
    expect(back.encode(texts)).toEqual(t.encode(texts));
    expect(back.tokens('The dog')).toEqual(['dog']);
  });

  it('rejects use before fit and bad input', () => {
    expect(() => new Tokenizer().encode(['a'])).toThrow(/call fit\(texts\) before/);
    expect(() => new Tokenizer().fit([1 as unknown as string])).toThrow(/texts\[0\] must be a string/);
    expect(() => new Tokenizer({ minfreq: 2 } as never)).toThrow(/unknown option "minfreq"/);
    expect(() => new Tokenizer().fit(texts).encodeBatch(texts, { maxLength: 0 })).toThrow(/maxLength must be a positive integer/);
    expect(() => Tokenizer.fromJSON({ format: 'aiffel-seq2seq-tokenizer', version: 1, normalizer: 3, vocabulary: {} })).toThrow(
      /normalizer must be an options object or false/,
    );
  });
});

describe('attention heatmap', () => {
  const input = {
    sourceTokens: ['a', '<b>', 'c'],
    outputTokens: ['x', '<eos>'],
    attention: [Float32Array.from([0.7, 0.2, 0.1]), Float32Array.from([0, 0, 1])],
  };

  it('draws one cell per weight, darker for more weight, labels escaped', () => {
    const svg = attentionHeatmapSvg(input);
    expect(svg.match(/<rect x=/g)).toHaveLength(6);
    expect(svg).toContain('&#60;b&#62;');
    expect(svg).toContain('fill="rgb(0,0,255)"'); // weight 1
    expect(svg).toContain('fill="rgb(255,255,255)"'); // weight 0
    expect(svg).not.toContain('<b>');
  });

  it('renders to a PNG of the SVG size', async () => {
    const png = await attentionHeatmapPng(input, { cell: 10 });
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    const svgWidth = Number(/width="(\d+)"/.exec(attentionHeatmapSvg(input, { cell: 10 }))?.[1]);
    expect(meta.width).toBe(svgWidth);
  });

  it('rejects mismatched rows and columns', () => {
    expect(() => attentionHeatmapSvg({ ...input, outputTokens: ['x'] })).toThrow(/attention must be 1 rows/);
    expect(() => attentionHeatmapSvg({ ...input, attention: [Float32Array.from([1]), Float32Array.from([1])] })).toThrow(/attention\[0\] must be 3 weights/);
  });
});
