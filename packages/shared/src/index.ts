export * from './errors.js';
export * from './cidr.js';
export * from './models.js';
export * from './tokens.js';
export * from './health.js';
export * from './runs.js';
export * from './files.js';
export * from './audit.js';
