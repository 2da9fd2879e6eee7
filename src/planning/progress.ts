/**
 * Progress of a long run of simulations, on stderr: a live bar (cli-progress) on a terminal, plain
 * lines otherwise (a CI log), one each time another tenth of the runs is done.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** What is running, e.g. "sweep kiera-nurion-169". */
  label: string;
  /** Where plain lines go. */
  err: (s: string) => void;
  /** stderr is a terminal: draw a live bar on it instead of printing lines. */
  isTTY: boolean;
}

export function progressReporter(options: ProgressOptions): Progress {
  if (options.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream: process.stderr,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} runs | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    });
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let shownTenth = 0;
  return {
    update(done, total) {
      const tenth = Math.floor((done * 10) / total);
      if (tenth <= shownTenth) return;
      shownTenth = tenth;
      options.err(`${options.label}: ${done}/${total} runs (${Math.floor((done * 100) / total)}%)\n`);
    },
    stop() {},
  };
}
