import type { Rng } from '@aiffel/core';
import { type Distribution, isChoice } from './distributions.js';

/**
 * One TPE suggestion for one parameter. Numeric ranges work in [0, 1] (log-scaled for
 * logUniform): each observation is a Gaussian with bandwidth from the distance to its
 * neighbours, plus a wide prior component; candidates drawn from the good mixture l(x) are
 * ranked by l(x) / g(x). Choices use smoothed counts.
 */
export function suggestTpe(d: Distribution, good: unknown[], bad: unknown[], nCandidates: number, rng: Rng): unknown {
  if (isChoice(d)) {
    const weights = (obs: unknown[]): number[] => d.map((c) => (obs.filter((o) => Object.is(o, c) || o === c).length + 1) / (obs.length + d.length));
    const l = weights(good);
    const g = weights(bad);
    let best = 0;
    let bestRatio = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < nCandidates; i++) {
      // Sample from l, keep the best ratio.
      let u = rng.random();
      let c = 0;
      while (c < l.length - 1 && u > (l[c] as number)) u -= l[c++] as number;
      const ratio = Math.log(l[c] as number) - Math.log(g[c] as number);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = c;
      }
    }
    return d[best];
  }
  const { kind, low, high } = d as { kind: 'uniform' | 'logUniform' | 'int'; low: number; high: number };
  const toUnit = (v: number): number => (kind === 'logUniform' ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (high - low));
  const fromUnit = (u: number): number => {
    const c = Math.min(1, Math.max(0, u));
    if (kind === 'logUniform') return Math.exp(Math.log(low) + c * (Math.log(high) - Math.log(low)));
    const v = low + c * (high - low);
    return kind === 'int' ? Math.round(v) : v;
  };
  const lm = mixture(good.map((v) => toUnit(v as number)));
  const gm = mixture(bad.map((v) => toUnit(v as number)));
  let best = 0.5;
  let bestRatio = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < nCandidates; i++) {
    const x = drawFrom(lm, rng);
    const ratio = Math.log(density(lm, x)) - Math.log(density(gm, x));
    if (ratio > bestRatio) {
      bestRatio = ratio;
      best = x;
    }
  }
  return fromUnit(best);
}

interface Mixture {
  mu: number[];
  sigma: number[];
}

function mixture(obs: number[]): Mixture {
  // The prior (centre 0.5, width 1) keeps unexplored regions reachable.
  const mu = [...obs, 0.5];
  const order = mu.map((m, i) => ({ m, i })).sort((a, b) => a.m - b.m);
  const sigma = new Array<number>(mu.length).fill(1);
  const minSigma = 1 / Math.min(100, 1 + mu.length);
  order.forEach(({ m, i }, k) => {
    if (i === mu.length - 1) return;
    const left = k > 0 ? m - (order[k - 1] as { m: number }).m : m;
    const right = k < order.length - 1 ? (order[k + 1] as { m: number }).m - m : 1 - m;
    sigma[i] = Math.min(1, Math.max(minSigma, left, right));
  });
  return { mu, sigma };
}

function drawFrom(m: Mixture, rng: Rng): number {
  const j = rng.int(m.mu.length);
  for (let tries = 0; tries < 100; tries++) {
    const u = 1 - rng.random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.random());
    const x = (m.mu[j] as number) + (m.sigma[j] as number) * z;
    if (x >= 0 && x <= 1) return x;
  }
  return Math.min(1, Math.max(0, m.mu[j] as number));
}

function density(m: Mixture, x: number): number {
  let s = 0;
  for (let j = 0; j < m.mu.length; j++) {
    const sg = m.sigma[j] as number;
    const z = (x - (m.mu[j] as number)) / sg;
    // Truncated to [0, 1]: normalise by the mass inside.
    const mass = phi((1 - (m.mu[j] as number)) / sg) - phi((0 - (m.mu[j] as number)) / sg);
    s += Math.exp(-0.5 * z * z) / (sg * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return s / m.mu.length + 1e-12;
}

function phi(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7).
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
