/**
 * `deploytwin check <scenario...> --baseline results.json`: re-runs the scenarios and compares
 * their makespan percentiles, failures and peak utilisations with the baseline. Exit 1 with a
 * diff (metric, baseline, now, change) when something got worse beyond the tolerance or has no
 * baseline, 0 otherwise; --update rewrites the baseline instead (written atomically).
 */
import type { Command } from 'commander';
import { baselineJson } from '../planning/baseline.ts';
import { formatCheck, runCheck, DEFAULT_CHECK_SEEDS } from '../planning/check.ts';
import { progressReporter } from '../planning/progress.ts';
import { defaultWorkers } from '../planning/run-pool.ts';
import { parseCount, parsePercent, parseWorkers } from './arguments.ts';
import { writeFileAtomic } from './output.ts';
import type { ProgressSink } from './progress.ts';

interface CheckFlags {
  baseline: string;
  tolerance: string;
  seeds?: string;
  workers?: string;
  update?: boolean;
  progress: boolean;
}

export function registerCheck(program: Command, out: (s: string) => void, stderr: ProgressSink, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('re-run scenarios and fail (exit 1) when makespan, failures or peak utilisations got worse than a baseline')
    .argument('<scenario...>', 'scenario files or built-in scenario names')
    .requiredOption('--baseline <file>', 'the baseline JSON (see --update)')
    .option('--tolerance <percent>', 'how much worse a metric may get before it counts (e.g. 5%)', '5%')
    .option('--seeds <n>', `runs per scenario (default: as in the baseline, else ${DEFAULT_CHECK_SEEDS})`)
    .option('--workers <n>', `worker threads; 0 runs in this thread (default: one per core, ${defaultWorkers()})`)
    .option('--update', 'write the new figures into the baseline (creating it if needed) instead of comparing')
    .option('--no-progress', 'do not show progress on stderr')
    .action(async (scenarios: string[], flags: CheckFlags) => {
      const tolerance = parsePercent(flags.tolerance, '--tolerance');
      const seeds = flags.seeds === undefined ? undefined : parseCount(flags.seeds, '--seeds', 1);
      const workers = parseWorkers(flags.workers);
      const progress = flags.progress ? progressReporter({ label: 'check', err: (s) => stderr.write(s), isTTY: stderr.isTTY }) : undefined;
      try {
        const result = await runCheck(scenarios, {
          baselinePath: flags.baseline,
          tolerance,
          seeds,
          workers,
          update: flags.update === true,
          onProgress: (done, total) => progress?.update(done, total),
        });
        progress?.stop();
        if (result.updated !== undefined) writeFileAtomic(flags.baseline, baselineJson(result.updated));
        out(formatCheck(result, tolerance));
        if (result.scenarios.some((s) => s.status !== 'ok')) setExit(1);
      } finally {
        progress?.stop();
      }
    });
}
