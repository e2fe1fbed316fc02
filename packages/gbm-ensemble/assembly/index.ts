// Entry of the WebAssembly module built into dist/kernels.wasm: the histogram and partition
// kernels of tree growth, and the score update that walks every row through a finished tree.
export { hist1 } from './hist';
export { partition } from './partition';
export { route } from './route';
export { binaryGradients } from './binary-gradients';
