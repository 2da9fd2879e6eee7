/**
 * Numerical precision of the simulation, named once so every comparison uses the same rule
 * (SimGrid calls these maxmin/precision and surf/precision).
 *
 * Time is float64 seconds. Deadlines are always computed as absolute times from a reference point
 * (start + remaining / rate), never by adding increments step after step, so rounding does not
 * accumulate with the number of events.
 */

/**
 * Relative tolerance used when comparing rates and shares in the max-min solver: two shares closer
 * than this (relative to the larger) are treated as equal, and a cap within it of a share binds.
 */
export const RATE_PRECISION = 1e-12;

/**
 * Bytes left on a transfer below which it is complete: a flow's remaining bytes are recomputed
 * as remaining - rate * elapsed, and rounding can leave a few ulps behind when it actually ended.
 * Expressed relative to the transfer's size (plus an absolute floor of a millionth of a byte).
 */
export const BYTES_PRECISION = 1e-9;

/** Absolute floor for BYTES_PRECISION, in bytes. */
export const BYTES_FLOOR = 1e-6;
