import { InteractionBuilder, type InteractionData } from './interactions.js';

/** 2,000 users and 300 items in 6 taste groups, with play counts: runs anywhere, no files. */
export function syntheticInteractions(seed = 1): InteractionData {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const data = new InteractionBuilder('built-in synthetic', 'synthetic');
  const groups = ['jazz', 'metal', 'pop', 'classical', 'hip-hop', 'folk'];
  for (let i = 0; i < 300; i++) data.names.set(`a${i}`, `${groups[i % 6]} artist ${Math.floor(i / 6) + 1}`);
  for (let u = 0; u < 2000; u++) {
    const taste = u % 6;
    const n = 5 + Math.floor(rand() * 25);
    const seen = new Set<number>();
    for (let k = 0; k < n; k++) {
      // 85% of plays within the user's taste group, popular artists (low numbers) more often.
      const group = rand() < 0.85 ? taste : Math.floor(rand() * 6);
      const i = group + 6 * Math.floor(50 * rand() ** 2);
      if (seen.has(i)) continue;
      seen.add(i);
      data.add(`u${u}`, `a${i}`, 1 + Math.floor(-Math.log(rand() || 1e-9) * 20));
    }
  }
  return data.build();
}
