export { CsrMatrix, type CsrStats, type MlSparseLike } from './csr-matrix.js';
export { type Id, IdMap } from './id-map.js';
export {
  type ALSProgress,
  ImplicitALS,
  type ImplicitALSOptions,
  type Interactions,
  type Recommendation,
  type RecommendOptions,
  trainingLoss,
} from './implicit-als.js';
export { popularityRanker, type Ranker, type RankingMetrics, rankingMetrics } from './metrics.js';
export { type FromRecordsOptions, fromRecords } from './records.js';
export { leaveKOut, randomSplit } from './split.js';
export { useSimd } from './wasm/cg-engine.js';
export { bm25Weight, logWeight, tfidfWeight } from './weighting.js';
export { factorsToCsv, fromNpy, toNpy } from './npy.js';
