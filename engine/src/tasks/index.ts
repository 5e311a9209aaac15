export * from './operation.js';
export * from './labels.js';
export * from './timeline.js';
export * from './deadlines.js';
export * from './signers.js';
export * from './return.js';
export * from './withdraw.js';
export * from './reject.js';
