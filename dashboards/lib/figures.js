// The KiERA paper's per-node figures (Fig. 3 initrd download time, Fig. 4 rootfs download time,
// Fig. 5 deployment completion time, each against the node) and the completion-time CDF, computed
// from phase records {node, phase, start, end} (seconds): a run's /result, an uploaded
// `simulate --csv` file, or a journal (`deploy --journal`, or a real deployment's journal with
// its nodes' "phase.report" entries).
//
// Definitions (as test/seeds does for the published figures):
//   initrd time     = end - start of the node's initrd phase
//   rootfs time     = end - start of its rootfs phase
//   deployment time = end of rootfs - start of initrd ("combines the initrd and rootfs download
//                     times", KiERA section IV)
//   completion      = end of the node's last phase, seconds from the start of the run (CDF)

/** Points {x: node, y: seconds} of one phase's durations, by node. */
export function phaseTimes(records, phase) {
  return records
    .filter((r) => r.phase === phase)
    .map((r) => ({ x: r.node, y: r.end - r.start }))
    .sort((a, b) => a.x - b.x);
}

/** Points {x: node, y: rootfs end - initrd start} for nodes that have both phases. */
export function deploymentTimes(records) {
  const initrd = new Map();
  const rootfs = new Map();
  for (const r of records) {
    if (r.phase === 'initrd' && !initrd.has(r.node)) initrd.set(r.node, r.start);
    if (r.phase === 'rootfs') rootfs.set(r.node, r.end);
  }
  const out = [];
  for (const [node, end] of rootfs) if (initrd.has(node)) out.push({ x: node, y: end - initrd.get(node) });
  return out.sort((a, b) => a.x - b.x);
}

/** Each node's end of its last phase, seconds. */
export function completionTimes(records) {
  const end = new Map();
  for (const r of records) end.set(r.node, Math.max(end.get(r.node) ?? -Infinity, r.end));
  return [...end.values()];
}

/** The empirical CDF of `values` as points {x: value, y: share of values <= x} (0..1). */
export function cdf(values) {
  const sorted = Float64Array.from(values).sort();
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i + 1 < sorted.length && sorted[i + 1] === sorted[i]) continue;
    out.push({ x: sorted[i], y: (i + 1) / sorted.length });
  }
  return out;
}

/** The four figures of a set of records. */
export function kieraFigures(records) {
  return {
    initrd: phaseTimes(records, 'initrd'),
    rootfs: phaseTimes(records, 'rootfs'),
    deployment: deploymentTimes(records),
    completion: cdf(completionTimes(records)),
  };
}

/** Records from `simulate --csv` text: a header "node,phase,start,end", then one row per phase. */
export function parseCsv(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== 'node,phase,start,end') throw new Error('CSV: the first line must be "node,phase,start,end" (deploytwin simulate --csv)');
  return lines.slice(1).map((line, i) => {
    const [node, phase, start, end] = line.split(',');
    const r = { node: Number(node), phase, start: Number(start), end: Number(end) };
    if (!Number.isInteger(r.node) || !phase || !Number.isFinite(r.start) || !Number.isFinite(r.end)) throw new Error(`CSV line ${i + 2}: expected node,phase,start,end, got "${line}"`);
    return r;
  });
}

// The node reports of a real deployment, in boot order; each phase runs from the previous report.
const REPORTS = ['dhcp', 'bootloader', 'kernel', 'initrd', 'rootfs', 'mounted', 'booted'];

/**
 * Records from a journal (JSON lines or a JSON array of entries). Nodes are numbered by `names`
 * (a run's node names) when given, else in order of first appearance. Phases come from
 * "phase.report" entries (a real deployment's nodes): each reported phase runs from the node's
 * previous report (or its last power-on) to this one. A twin journal has no reports: each node
 * then gets one "deploy" record from its last power-on to "deployed", which feeds the completion
 * CDF and nothing else.
 */
export function parseJournal(text, names = []) {
  const trimmed = text.trim();
  const entries = trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed.split(/\r?\n/).filter((l) => l.trim() !== '').map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw new Error(`journal line ${i + 1}: not JSON (${e.message})`);
    }
  });
  const index = new Map(names.map((n, i) => [n, i]));
  const nodeOf = (name) => {
    if (!index.has(name)) index.set(name, index.size);
    return index.get(name);
  };
  const last = new Map();
  const records = [];
  for (const e of entries) {
    if (typeof e !== 'object' || e === null || typeof e.type !== 'string' || typeof e.at !== 'number') throw new Error('journal: every entry needs "type" and "at" (deploytwin deploy --journal)');
    if (e.node === undefined) continue;
    const node = nodeOf(e.node);
    if (e.type === 'node.state' && e.data?.state === 'powering-on') last.set(node, { at: e.at, reports: 0 });
    else if (e.type === 'phase.report' && REPORTS.includes(e.data?.phase)) {
      const from = last.get(node) ?? { at: e.at, reports: 0 };
      records.push({ node, phase: e.data.phase === 'mounted' ? 'mount' : e.data.phase, start: from.at, end: e.at });
      last.set(node, { at: e.at, reports: from.reports + 1 });
    } else if (e.type === 'node.state' && e.data?.state === 'deployed' && (last.get(node)?.reports ?? 0) === 0) {
      records.push({ node, phase: 'deploy', start: last.get(node)?.at ?? 0, end: e.at });
    }
  }
  return records;
}

/** Records from an uploaded file: CSV by its header, else a journal. */
export function parseUpload(text, names) {
  return text.trimStart().startsWith('node,phase') ? parseCsv(text) : parseJournal(text, names);
}
