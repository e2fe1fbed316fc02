// Entry of the WebAssembly module built into dist/kernels.wasm: the histogram and partition
// kernels of tree growth.
export { hist1 } from './hist';
export { partition } from './partition';
