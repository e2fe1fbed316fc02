/**
 * Our side of `npm run bench -- als` in its own process (for its own peak memory):
 * `node --import tsx als-task.ts <train-base> <test-base> <factors> <iterations> <reg> <alpha> <cgSteps>`
 * prints one JSON line with seconds per iteration and precision@10 on the held-out users.
 */
import { ImplicitALS, rankingMetrics } from '@aiffel/sparse-als';
import { loadAlsData } from './als-data.js';

const [trainBase = '', testBase = '', f = '64', iterations = '5', reg = '0.01', alpha = '1', cgSteps = '3'] = process.argv.slice(2);
const train = loadAlsData(trainBase);
const test = loadAlsData(testBase);
const times: number[] = [];
let last = 0;
const model = await new ImplicitALS({
  factors: Number(f),
  iterations: Number(iterations),
  regularization: Number(reg),
  alpha: Number(alpha),
  cgSteps: Number(cgSteps),
  onProgress: (p) => {
    times.push(p.seconds - last);
    last = p.seconds;
  },
}).fit(train);
const metrics = rankingMetrics(model as never, train, test, { k: 10 });
const sorted = [...times].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    seconds_per_iteration: sorted[Math.floor(sorted.length / 2)],
    iteration_seconds: times,
    precision_at_10: metrics.precision,
    ndcg_at_10: metrics.ndcg,
    users_evaluated: metrics.users,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
