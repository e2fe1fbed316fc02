// The engine's module: the GEMM kernel and the Winograd transforms that feed it.
export { gemm, packAFloats, packBFloats, scratchFloats } from './gemm';
export { winogradFilter, winogradGradFilter, winogradGradOutput, winogradInput, winogradOutput } from './winograd';
