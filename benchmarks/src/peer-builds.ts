/**
 * Where benchmarks/build-peers.sh puts the peers it builds from ../shared/peers (implicit, the
 * LightGBM CLI), and why one is not there: a benchmark prints the reason and "n/a" for that column
 * rather than failing, since a fresh machine has not built them yet.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PEERS_DIR = process.env.AIFFEL_PEERS_DIR ?? join(homedir(), '.cache', 'aiffel', 'peers');

export type PeerBuild = { ok: true; path: string } | { ok: false; reason: string };

const howTo = 'run `bash benchmarks/build-peers.sh` (builds it from ../shared/peers)';

/** The folder to put on Python's path for `import implicit` (v0.7.2 built in place). */
export function implicitBuild(): PeerBuild {
  const dir = join(PEERS_DIR, 'implicit-0.7.2');
  const cpu = join(dir, 'implicit', 'cpu');
  const built = existsSync(cpu) && readdirSync(cpu).some((f) => f.startsWith('_als') && f.endsWith('.so'));
  return built ? { ok: true, path: dir } : { ok: false, reason: `implicit is not built in ${dir}: ${howTo}` };
}

/** The LightGBM 4.6.0 command-line program. */
export function lightgbmBuild(): PeerBuild {
  const cli = join(PEERS_DIR, 'lightgbm-4.6.0', 'lightgbm');
  return existsSync(cli) ? { ok: true, path: cli } : { ok: false, reason: `the LightGBM CLI is not built at ${cli}: ${howTo}` };
}
