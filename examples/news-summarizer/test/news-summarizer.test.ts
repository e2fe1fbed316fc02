import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExampleJson } from '@aiffel/example-kit';
import { ready } from '@aiffel/runtime';
import { Seq2Seq } from '@aiffel/seq2seq-attn';
import { describe, expect, it } from 'vitest';
import { builtinCorpus } from '../src/builtin-corpus.js';
import { loadNewsPairs, repairMojibake } from '../src/news-data.js';
import { loadTestPairs } from '../src/test-file.js';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/news-summary');
const hasReal = existsSync(join(real, 'inshorts_scraped_2019-12_2020-01.csv'));

/** Runs the example and returns its closing JSON line. */
const runExample = (args: string[]): Record<string, unknown> => runExampleJson(here, args);

describe('news-summarizer example', () => {
  it('makes a deterministic, clearly labelled built-in corpus', () => {
    const a = builtinCorpus(50, 3);
    expect(builtinCorpus(50, 3)).toEqual(a);
    expect(new Set(a.map((p) => p.source))).toEqual(new Set(['built-in synthetic']));
    for (const p of a) expect(p.text.split(' ').length).toBeGreaterThan(p.headline.split(' ').length);
  });

  it('repairs UTF-8 text that was decoded as Latin-1, and leaves other text alone', () => {
    expect(repairMojibake('losing \u00e2\u0082\u00b9150 crore')).toBe('losing \u20b9150 crore');
    expect(repairMojibake('Caf\u00c3\u00a9 owner')).toBe('Caf\u00e9 owner');
    expect(repairMojibake('plain text, Café')).toBe('plain text, Café');
    expect(repairMojibake('\u00c3 alone')).toBe('\u00c3 alone');
  });

  it('names the missing file of a --data folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'news-'));
    writeFileSync(join(dir, 'other.csv'), 'a,b\n');
    expect(() => loadNewsPairs(dir)).toThrow(/inshorts_scraped_2019-12_2020-01.csv is missing/);
  });

  it.skipIf(!hasReal)('loads the Inshorts pairs (and AG News with the flag) from ../shared/data (skipped when it is absent)', () => {
    const pairs = loadNewsPairs(real);
    expect(pairs).toHaveLength(5998);
    expect(pairs[0]?.headline).toBe('Scoring error led to Pakistani batsman getting run-out on 499');
    // The Kaggle prefix is Windows-1252: its first headline has no replacement characters.
    expect(pairs.filter((p) => p.source === 'kaggle').every((p) => !p.text.includes('\uFFFD'))).toBe(true);
    expect(loadNewsPairs(real, true)).toHaveLength(5998 + 7600);
  });

  it('runs end to end on the built-in corpus: learns headlines, writes the heatmap and a loadable model', async () => {
    const out = mkdtempSync(join(tmpdir(), 'news-out-'));
    // Bounded by epochs, not by the clock, so a slower machine gets the same model.
    // One worker: the package tests cover data-parallel training, and CI runs every suite at once.
    const r = runExample(['--quick', '--epochs', '30', '--minutes', '30', '--workers', '1', '--out', out]);
    expect(r.data).toBe('built-in synthetic');
    const greedy = r.greedy as { rouge1: number; rouge2: number; rougeL: number };
    const lead = r.lead as { rouge1: number };
    expect(greedy.rouge1).toBeGreaterThan(0.6);
    expect(greedy.rouge1).toBeGreaterThan(lead.rouge1);
    expect(lead.rouge1).toBeGreaterThan(0.3);
    expect(r.distinctGreedy as number).toBeGreaterThan(10);
    expect(existsSync(join(out, 'attention.png'))).toBe(true);
    await ready();
    const model = await Seq2Seq.load(join(out, 'model'));
    expect(model.parameterCount).toBe(r.parameters);
    expect(model.config.copy).toBe(true);
    model.dispose();
    expect(r.copy).toBe(true);
    expect(r.coverage).toBe(true);
    expect(r.repeatedBigramBeam).toBe(0);
    // The invented company and person names are copied from the article.
    expect(r.copiedGreedy as number).toBeGreaterThan(0.2);
    // --model + --test: exactly the file's rows are scored, by the saved model, without training.
    const rows = builtinCorpus(30, 77);
    const csv = join(out, 'test.csv');
    const q = (x: string): string => `"${x.replace(/"/g, '""')}"`;
    writeFileSync(csv, ['headlines,text,date', ...rows.map((p) => `${q(p.headline)},${q(p.text)},2020-01-01`)].join('\n'));
    const e = runExample(['--model', join(out, 'model'), '--test', csv, '--out', join(out, 'eval')]);
    expect(e.test).toBe(30);
    expect(e.testFile).toBe(csv);
    expect(e.trainSeconds).toBe(0);
    expect((e.greedy as { rougeL: number }).rougeL).toBeGreaterThan(0.5);
    for (const k of ['greedy', 'beam', 'textRank', 'lead']) expect(Object.keys(e[k] as object).sort()).toEqual(['rouge1', 'rouge2', 'rougeL']);
    // About 90 s alone on this machine; several times that while CI runs every suite at once.
  }, 900_000);

  it('reads a --test file in either layout and names what is wrong with a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'news-test-'));
    const file = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    expect(loadTestPairs(file('two.csv', 'text,summary\n"A long article, with a comma.",Short title\n'))).toEqual([
      { text: 'A long article, with a comma.', headline: 'Short title', source: 'test-file' },
    ]);
    expect(loadTestPairs(file('inshorts.csv', 'headlines,text,ctext\nH one,T one,x\nH two,T two,y\n')).map((p) => p.headline)).toEqual(['H one', 'H two']);
    expect(() => loadTestPairs(file('cols.csv', 'title,body\na,b\n'))).toThrow(
      /needs a "text" column and a "headlines" \(Inshorts\) or "summary" column; the header has \["title","body"\]/,
    );
    expect(() => loadTestPairs(file('empty-text.csv', 'text,summary\nok,fine\n ,title\n'))).toThrow(/row 2 \(line 3\) has an empty "text"/);
    expect(() => loadTestPairs(file('empty-head.csv', 'headlines,text\n,some text\n'))).toThrow(/row 1 \(line 2\) has an empty "headlines"/);
    expect(() => loadTestPairs(file('header-only.csv', 'text,summary\n'))).toThrow(/no data rows after the header/);
    expect(() => loadTestPairs(join(dir, 'missing.csv'))).toThrow(/--test .*missing.csv: no such file/);
    expect(() => loadTestPairs(dir)).toThrow(/no such file/);
    expect(() => runExample(['--test', join(dir, 'cols.csv')])).toThrow(/needs a "text" column/);
  });

  it('rejects a bad flag value', () => {
    expect(() => runExample(['--minutes=-1'])).toThrow(/--minutes must be a number in \[0.001, 1000000\], got "-1"/);
    expect(() => runExample(['--bogus'])).toThrow(/news-summarizer: Unknown option '--bogus'/);
  });
});
