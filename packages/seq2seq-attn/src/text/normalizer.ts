import { assertKnownOptions, assertPositiveInteger, typeError } from '@aiffel/runtime';
import { ENGLISH_CONTRACTIONS } from './contractions.js';
import { ENGLISH_STOPWORDS } from './stopwords.js';

export interface TextNormalizerOptions {
  /** Lower-case the text. Default true. */
  lowercase?: boolean;
  /** Remove HTML tags and decode the common entities (&amp; &quot; &#39; ...). Default true. */
  stripHtml?: boolean;
  /** Remove text in parentheses or square brackets, brackets included. Default true. */
  stripBracketed?: boolean;
  /** Expand contractions ("don't" -> "do not") from `contractions`. Default true. */
  expandContractions?: boolean;
  /** Contraction dictionary, lower case keys. Default: the built-in English list. */
  contractions?: Readonly<Record<string, string>>;
  /** Drop the possessive 's ("india's" -> "india"). Default true. */
  dropPossessive?: boolean;
  /** Replace every character that is not a letter (any script) by a space. Default true. */
  lettersOnly?: boolean;
  /** With `lettersOnly`, keep digits as well. Default false. */
  keepDigits?: boolean;
  /** Remove stopwords (use for the source side only). Default false. */
  removeStopwords?: boolean;
  /** Stopword list. Default: the built-in English list. */
  stopwords?: ReadonlySet<string> | readonly string[];
  /** Drop words shorter than this many characters. Default 1 (keep all). */
  minWordLength?: number;
}

const OPTION_KEYS = [
  'lowercase',
  'stripHtml',
  'stripBracketed',
  'expandContractions',
  'contractions',
  'dropPossessive',
  'lettersOnly',
  'keepDigits',
  'removeStopwords',
  'stopwords',
  'minWordLength',
] as const;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/**
 * The exercise's cleaning steps, each one an option, Unicode-safe (letters of any script survive
 * `lettersOnly`; text is NFKC-normalised first so ligatures and full-width forms compare equal).
 */
export class TextNormalizer {
  readonly options: Readonly<Required<Omit<TextNormalizerOptions, 'stopwords'>>> & { readonly stopwords: ReadonlySet<string> };
  private readonly contractionPattern: RegExp | undefined;

  constructor(options: TextNormalizerOptions = {}) {
    assertKnownOptions('TextNormalizer options', options, OPTION_KEYS);
    const minWordLength = options.minWordLength ?? 1;
    assertPositiveInteger('minWordLength', minWordLength);
    const contractions = options.contractions ?? ENGLISH_CONTRACTIONS;
    if (contractions === null || typeof contractions !== 'object') throw typeError('contractions', 'an object of word -> expansion', contractions);
    // A string is iterable, so new Set('the') would be {'t', 'h', 'e'}: refuse anything but a list of words.
    const sw = options.stopwords;
    if (sw !== undefined && !(sw instanceof Set || Array.isArray(sw))) throw typeError('stopwords', 'an array or Set of words (not a single string)', sw);
    if (sw !== undefined) for (const w of sw) if (typeof w !== 'string' || w === '') throw typeError('stopwords', 'non-empty strings', w);
    const stopwords = sw === undefined ? ENGLISH_STOPWORDS : new Set(sw);
    this.options = {
      lowercase: options.lowercase ?? true,
      stripHtml: options.stripHtml ?? true,
      stripBracketed: options.stripBracketed ?? true,
      expandContractions: options.expandContractions ?? true,
      contractions,
      dropPossessive: options.dropPossessive ?? true,
      lettersOnly: options.lettersOnly ?? true,
      keepDigits: options.keepDigits ?? false,
      removeStopwords: options.removeStopwords ?? false,
      stopwords,
      minWordLength,
    };
    const keys = Object.keys(contractions).filter((k) => typeof contractions[k] === 'string');
    if (keys.length > 0) {
      // Longest first so "can't've" wins over "can't".
      const alternatives = keys
        .sort((a, b) => b.length - a.length)
        .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|');
      this.contractionPattern = new RegExp(`(?<![\\p{L}\\p{N}])(${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
    }
  }

  /** Normalises one text. Throws TypeError for a non-string. */
  normalize(text: string): string {
    if (typeof text !== 'string') throw typeError('text', 'a string', text);
    const o = this.options;
    let s = text.normalize('NFKC');
    if (o.stripHtml) s = decodeEntities(s.replace(/<[^>]*>/g, ' '));
    if (o.lowercase) s = s.toLowerCase();
    s = s.replace(/[\u2018\u2019\u02bc`]/g, "'");
    if (o.expandContractions && this.contractionPattern) {
      const dict = o.contractions;
      s = s.replace(this.contractionPattern, (m) => dict[m.toLowerCase()] ?? m);
    }
    if (o.dropPossessive) s = s.replace(/'s(?![\p{L}\p{N}])/gu, '');
    if (o.stripBracketed) s = s.replace(/\([^()]*\)|\[[^[\]]*\]/g, ' ');
    if (o.lettersOnly) s = s.replace(o.keepDigits ? /[^\p{L}\p{M}\p{N}]+/gu : /[^\p{L}\p{M}]+/gu, ' ');
    let words = s.split(/\s+/).filter((w) => w.length > 0);
    if (o.removeStopwords) words = words.filter((w) => !o.stopwords.has(w.toLowerCase()));
    if (o.minWordLength > 1) words = words.filter((w) => [...w].length >= o.minWordLength);
    return words.join(' ');
  }

  /** Normalises many texts; the error for a bad entry names its index. */
  normalizeAll(texts: readonly string[]): string[] {
    if (!Array.isArray(texts)) throw typeError('texts', 'an array of strings', texts);
    return texts.map((t, i) => {
      if (typeof t !== 'string') throw typeError(`texts[${i}]`, 'a string', t);
      return this.normalize(t);
    });
  }
}

/** Splits normalised text into word tokens (whitespace). */
export function tokenize(text: string): string[] {
  if (typeof text !== 'string') throw typeError('text', 'a string', text);
  return text.split(/\s+/).filter((w) => w.length > 0);
}
