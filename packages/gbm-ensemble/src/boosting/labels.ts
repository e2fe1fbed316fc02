import { rangeError, typeError } from '@aiffel/core';

export type Label = number | string;

/** Every label a finite number or a string, all of one type (what the classifiers take). */
function checkLabelTypes(y: ArrayLike<unknown>, name: string): void {
  const kind = typeof y[0];
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== kind || (typeof v === 'number' && !Number.isFinite(v)) || (typeof v !== 'number' && typeof v !== 'string'))
      throw rangeError(`${name}[${i}]`, `a finite number or a string, all of one type (like ${name}[0])`, v);
  }
}

/** Sorted distinct labels and each row's class index (scikit-learn's LabelEncoder). */
export function encodeLabels<L extends Label>(y: ArrayLike<L>, name = 'y'): { classes: L[]; codes: Float64Array } {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<L>).length !== 'number') throw typeError(name, 'an array of labels', y);
  if (y.length === 0) throw rangeError(name, 'a non-empty array of labels', y);
  checkLabelTypes(y, name);
  const classes = [...new Set(Array.from(y))].sort((a, b) => (typeof a === 'number' ? (a as number) - (b as number) : String(a) < String(b) ? -1 : 1));
  if (classes.length < 2) throw rangeError(name, 'at least two classes', `only ${JSON.stringify(classes[0])}`);
  return { classes, codes: codesFor(y, classes, name) };
}

/** Class indices of labels against known classes; an unknown label is an error naming it. */
export function codesFor<L extends Label>(y: ArrayLike<L>, classes: L[], name: string): Float64Array {
  const at = new Map<Label, number>(classes.map((c, i) => [c, i]));
  const codes = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const c = at.get(y[i] as L);
    if (c === undefined) throw rangeError(`${name}[${i}]`, `one of the training classes (${classes.slice(0, 10).join(', ')})`, y[i]);
    codes[i] = c;
  }
  return codes;
}

/**
 * The class list read from a model file: all numbers or all strings, and distinct. A tampered
 * list (['yes', 'yes'], [1, 'b']) would otherwise load and map predictions to the wrong labels.
 */
export function checkClassList(name: string, classes: unknown, count?: number): Label[] {
  const expected = count === undefined ? 'at least two distinct labels, all numbers or all strings' : `${count} distinct labels, all numbers or all strings`;
  if (!Array.isArray(classes) || classes.length < 2 || (count !== undefined && classes.length !== count)) throw rangeError(name, expected, classes);
  checkLabelTypes(classes, name);
  const seen = new Set<unknown>();
  for (let i = 0; i < classes.length; i++) {
    if (seen.has(classes[i])) throw rangeError(`${name}[${i}]`, 'a label not listed before it', classes[i]);
    seen.add(classes[i]);
  }
  return classes as Label[];
}
