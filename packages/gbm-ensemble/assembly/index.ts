// Entry of the WebAssembly module built into dist/kernels.wasm: the histogram and partition
// kernels of tree growth, and the score (and binary gradient) update of every row after a tree is grown.
export { addChunks, hist1, interleave } from './hist';
export { copyInts, partition } from './partition';
export { addLeafValues, assignLeaves } from './score-update';
export { binaryGradients } from './binary-gradients';
export { gossLowCounts, gossScores, gossSelect } from './goss';
export { bestNumericSplit } from './split';
export { walkTree, walkTreeMixed } from './predict';
