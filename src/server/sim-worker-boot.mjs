// Worker threads do not inherit tsx's loader from the thread that starts them (nor from
// --import in their execArgv), so each simulation worker registers it before loading its
// TypeScript body, as bin/deploytwin.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./sim-worker.ts');
