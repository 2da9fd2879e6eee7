/**
 * Progress of a run, read off the orchestrator's journal as entries are appended: nodes deployed,
 * failed and in flight, against simulated (or, for real runs, wall) time. On a terminal a bar
 * (cli-progress) redrawn in place; otherwise one plain line per tenth of the nodes, so CI logs
 * stay short and readable. Always on stderr: stdout carries the report.
 */
import cliProgress from 'cli-progress';
import type { JournalEntry } from '../ports/index.ts';

export interface ProgressSink {
  write(s: string): void;
  isTTY: boolean;
}

export class DeployProgress {
  private deployed = 0;
  private failed = 0;
  private started = new Set<string>();
  private nextLine = 0;
  private readonly bar: cliProgress.SingleBar | null;

  constructor(
    private readonly total: number,
    private readonly sink: ProgressSink,
  ) {
    this.bar = sink.isTTY
      ? new cliProgress.SingleBar(
          { format: 'deploy [{bar}] {value}/{total} done | failed {failed} | in flight {inFlight} | t={t}s', stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { failed: 0, inFlight: 0, t: 0 });
  }

  /** Feed every journal entry here. */
  readonly onEntry = (e: JournalEntry): void => {
    if (e.type !== 'node.state' || e.node === undefined) return;
    const state = (e.data as { state?: string }).state;
    if (state === 'powering-on') this.started.add(e.node);
    else if (state === 'deployed') this.deployed++;
    else if (state === 'failed') this.failed++;
    else return;
    const done = this.deployed + this.failed;
    const inFlight = this.started.size - done;
    if (this.bar) {
      this.bar.update(done, { failed: this.failed, inFlight, t: e.at.toFixed(0) });
    } else if ((done >= this.nextLine && done > 0) || done === this.total) {
      this.sink.write(`[t=${e.at.toFixed(0).padStart(6)} s] deployed ${this.deployed}/${this.total}, failed ${this.failed}, in flight ${inFlight}\n`);
      this.nextLine = done + Math.max(1, Math.ceil(this.total / 10));
    }
  };

  finish(): void {
    this.bar?.stop();
  }
}
