/**
 * The wall clock the power adapters wait on by default (polling the power state after a cycle):
 * one shared instance of the real Clock. Tests pass another Clock so they wait for nothing.
 */
import { WallClock } from '../clock.ts';

export const wallClock = new WallClock();
