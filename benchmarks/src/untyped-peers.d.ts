// JS peers without type declarations; algos-task.ts narrows what it uses at the call site.
declare module 'density-clustering';
declare module 'tsne-js';
