import { describe, expect, it } from 'vitest';
import { TextNormalizer, tokenize } from '../src/index.js';

describe('TextNormalizer', () => {
  const n = new TextNormalizer();

  it('applies the exercise steps in order', () => {
    expect(n.normalize("<p>India's PM <b>didn't</b> attend (reports) the G20 [photo] summit!</p>")).toBe('india pm did not attend the g summit');
  });

  it('expands contractions written with typographic apostrophes, longest form first', () => {
    expect(n.normalize('They can’t’ve known; we’re here')).toBe('they cannot have known we are here');
  });

  it('decodes HTML entities before cleaning', () => {
    expect(n.normalize('Tom &amp; Jerry &#39;s &quot;show&quot;')).toBe('tom jerry show');
  });

  it('keeps letters of any script and drops digits unless asked', () => {
    expect(n.normalize('Café Zürich 2024 東京 مرحبا')).toBe('café zürich 東京 مرحبا');
    expect(new TextNormalizer({ keepDigits: true }).normalize('won 3-1 in 2024')).toBe('won 3 1 in 2024');
  });

  it('removes stopwords only when asked (source side)', () => {
    expect(n.normalize('the cat sat on the mat')).toBe('the cat sat on the mat');
    expect(new TextNormalizer({ removeStopwords: true }).normalize('The cat sat on the mat')).toBe('cat sat mat');
    expect(new TextNormalizer({ removeStopwords: true, stopwords: ['cat', 'the'] }).normalize('The cat sat on the mat')).toBe('sat on mat');
    // A single string would have become the letters t, h, e.
    expect(() => new TextNormalizer({ stopwords: 'the' as never })).toThrow(/stopwords must be an array or Set of words \(not a single string\), got "the"/);
    expect(() => new TextNormalizer({ stopwords: ['ok', 3] as never })).toThrow(/stopwords must be non-empty strings, got 3/);
  });

  it('honours each option being off', () => {
    const raw = new TextNormalizer({
      lowercase: false,
      stripHtml: false,
      stripBracketed: false,
      expandContractions: false,
      dropPossessive: false,
      lettersOnly: false,
    });
    expect(raw.normalize("A <b>(x)</b> don't")).toBe("A <b>(x)</b> don't");
  });

  it('drops short words with minWordLength', () => {
    expect(new TextNormalizer({ minWordLength: 2 }).normalize('a bb c dd')).toBe('bb dd');
  });

  it('rejects bad input and options with named errors', () => {
    expect(() => n.normalize(42 as unknown as string)).toThrow(/text must be a string, got 42/);
    expect(() => n.normalizeAll(['ok', null as unknown as string])).toThrow(/texts\[1\] must be a string/);
    expect(() => new TextNormalizer({ lowercas: true } as never)).toThrow(/unknown option "lowercas"/);
    expect(() => new TextNormalizer({ minWordLength: 0 })).toThrow(/minWordLength must be a positive integer/);
    expect(() => tokenize(undefined as unknown as string)).toThrow(/text must be a string/);
  });
});
