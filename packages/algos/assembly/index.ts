// The WebAssembly kernels of @aiffel/algos, built into dist/dots.wasm by `npm run build`.
export { clusterSums } from './cluster-sums';
export { dots } from './dots';
