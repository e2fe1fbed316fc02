import { rangeError, typeError } from '@aiffel/core';

/**
 * Reorders log lines `"<identifier> <words...>"`: letter-logs (content starts with a letter)
 * first, ordered by content and then identifier; digit-logs after, in their original order.
 * A line without an identifier and at least one word throws, naming the line.
 */
export function reorderLogFiles(logs: readonly string[]): string[] {
  if (!Array.isArray(logs)) throw typeError('logs', 'an array of strings', logs);
  const letters: { log: string; id: string; content: string }[] = [];
  const digits: string[] = [];
  logs.forEach((log, i) => {
    if (typeof log !== 'string') throw typeError(`logs[${i}]`, 'a string', log);
    const space = log.indexOf(' ');
    const content = space < 0 ? '' : log.slice(space + 1);
    if (space <= 0 || content.trim() === '') throw rangeError(`logs[${i}]`, 'an identifier followed by at least one word', log);
    const c = content.charCodeAt(0);
    if (c >= 48 && c <= 57) digits.push(log);
    else letters.push({ log, id: log.slice(0, space), content });
  });
  // Plain code-unit comparison, not localeCompare: the order must not depend on the user's locale.
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  letters.sort((a, b) => cmp(a.content, b.content) || cmp(a.id, b.id));
  return [...letters.map((l) => l.log), ...digits];
}
