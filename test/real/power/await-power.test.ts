/** Waiting for power after a cycle, on a clock that never really waits. */
import { describe, expect, it } from 'vitest';
import { DeployTwinError, ErrorCodes } from '../../../src/errors.ts';
import type { Clock, PowerState } from '../../../src/ports/index.ts';
import { awaitPower } from '../../../src/real/power/await-power.ts';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (s) => {
      slept.push(s);
      now += s;
    },
  };
}

describe('awaitPower', () => {
  it('resolves as soon as the status says so, polling at the interval', async () => {
    const clock = fakeClock();
    const answers: PowerState[] = ['off', 'off', 'on'];
    await awaitPower(async () => answers.shift()!, 'on', { clock, timeout: 10, interval: 0.5 }, 'n01');
    expect(clock.slept).toEqual([0.5, 0.5]);
  });

  it('gives up after the timeout with a retryable POWER_CYCLE_INCOMPLETE', async () => {
    const clock = fakeClock();
    let polls = 0;
    let error: unknown;
    try {
      await awaitPower(async () => (polls++, 'off'), 'on', { clock, timeout: 3, interval: 1 }, 'node n01');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeployTwinError);
    expect([(error as DeployTwinError).code, (error as DeployTwinError).kind]).toEqual([ErrorCodes.POWER_CYCLE_INCOMPLETE, 'retryable']);
    expect((error as DeployTwinError).message).toMatch(/node n01: .* not on again within 3s/);
    expect(polls).toBe(4);
  });
});
