/**
 * "did you mean ...?" suggestions for misspelt keys and enum values in scenario files.
 *
 * Damerau-Levenshtein (with transpositions) because the typical slip is two swapped letters
 * ("nodesPerRakc") or one missing ("nodesPerRak"), and each of those should cost one edit.
 */

/**
 * Unrestricted Damerau-Levenshtein distance (Lowrance-Wagner): insertions, deletions,
 * substitutions and transpositions of adjacent characters each cost 1, and a substring may be
 * edited after being transposed (unlike the simpler "optimal string alignment" variant).
 */
export function damerauLevenshtein(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  const big = n + m;
  // d has an extra border row/column holding `big`, so index (i + 1, j + 1) is the prefix pair
  // (i, j). lastRow remembers, per character, the last row of a where it occurred.
  const width = m + 2;
  const d = new Array<number>((n + 2) * width).fill(0);
  const at = (i: number, j: number) => i * width + j;
  d[at(0, 0)] = big;
  for (let i = 0; i <= n; i++) {
    d[at(i + 1, 0)] = big;
    d[at(i + 1, 1)] = i;
  }
  for (let j = 0; j <= m; j++) {
    d[at(0, j + 1)] = big;
    d[at(1, j + 1)] = j;
  }
  const lastRow = new Map<string, number>();
  for (let i = 1; i <= n; i++) {
    let lastMatchCol = 0;
    for (let j = 1; j <= m; j++) {
      const i1 = lastRow.get(b[j - 1]) ?? 0;
      const j1 = lastMatchCol;
      let cost = 1;
      if (a[i - 1] === b[j - 1]) {
        cost = 0;
        lastMatchCol = j;
      }
      d[at(i + 1, j + 1)] = Math.min(
        d[at(i, j)] + cost,
        d[at(i + 1, j)] + 1,
        d[at(i, j + 1)] + 1,
        d[at(i1, j1)] + (i - i1 - 1) + 1 + (j - j1 - 1),
      );
    }
    lastRow.set(a[i - 1], i);
  }
  return d[at(n + 1, m + 1)];
}

/**
 * The closest candidate to `word`, if close enough to be a plausible typo: distance at most
 * max(2, word.length / 3), and strictly less than the longer string's length (so that "ab" is not
 * "corrected" to an unrelated "xy"). Ties go to the earlier candidate, for stable output.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = damerauLevenshtein(word, candidate);
    if (distance <= limit && distance < Math.max(word.length, candidate.length) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** " (did you mean "x"?)" or "", ready to append to a message. */
export function suggestionSuffix(word: string, candidates: Iterable<string>): string {
  const hit = didYouMean(word, candidates);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}
