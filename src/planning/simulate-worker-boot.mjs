// Entry of a planning worker thread. A worker thread does not inherit the tsx loader that the
// main thread registered (bin/deploytwin.js, vitest), so it registers its own before loading the
// TypeScript body; piscina then calls the default export with each task.
import { register } from 'tsx/esm/api';

register();
const body = await import('./simulate-worker.ts');

export default body.default;
