export { BPR, type BPROptions, type BPRProgress } from './bpr.js';
export { CsrMatrix, type CsrStats, type MlSparseLike } from './csr-matrix.js';
export { FactorModel, type Recommendation, type RecommendOptions } from './factor-model.js';
export { type Id, IdMap } from './id-map.js';
export {
  type ALSProgress,
  ImplicitALS,
  type ImplicitALSOptions,
  type Interactions,
  trainingLoss,
} from './implicit-als.js';
export { popularityRanker, type Ranker, type RankingMetrics, rankingMetrics } from './metrics.js';
export { factorsToCsv, fromNpy, toNpy } from './npy.js';
export { type FromRecordsOptions, fromRecords } from './records.js';
export { leaveKOut, randomSplit } from './split.js';
export { useSimd } from './wasm/cg-engine.js';
export { bm25Weight, logWeight, tfidfWeight } from './weighting.js';
