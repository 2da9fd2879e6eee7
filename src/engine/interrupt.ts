/**
 * The reason a process's wait was cut short by Process.interrupt(). It is delivered by aborting the
 * AbortSignal the wait was given, so waits on real hardware (fetch, child processes) and waits in
 * the twin are interrupted the same way.
 */
export class Interrupt extends Error {
  constructor(readonly reason: unknown) {
    super(`interrupted: ${String(reason)}`);
    this.name = 'Interrupt';
  }
}

/** True if `e` is an Interrupt (or an AbortError whose reason is one). */
export function isInterrupt(e: unknown): e is Interrupt {
  return e instanceof Interrupt;
}
