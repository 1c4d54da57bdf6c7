/** Lines of context around each change, as `diff -u` prints by default. */
const CONTEXT_LINES = 3;

/**
 * Above this many cells the line table of the longest common subsequence
 * would use too much memory, so the file is shown as wholly replaced.
 */
const MAX_TABLE_CELLS = 4_000_000;

type Edit = { kind: ' ' | '-' | '+'; line: string };

/**
 * Formats the difference between two texts as a unified diff with
 * `a/<name>` and `b/<name>` headers, or returns '' when they are equal.
 * An added file is diffed against /dev/null, and so is a deleted one.
 */
export function unifiedDiff(
  name: string,
  before: string | undefined,
  after: string | undefined,
): string {
  if (before === after) {
    return '';
  }
  const oldLines = splitLines(before ?? '');
  const newLines = splitLines(after ?? '');
  const edits = diffLines(oldLines, newLines);
  const header = [
    `--- ${before === undefined ? '/dev/null' : `a/${name}`}`,
    `+++ ${after === undefined ? '/dev/null' : `b/${name}`}`,
  ];
  return [...header, ...formatHunks(edits)].join('\n') + '\n';
}

function splitLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/** Computes a shortest edit script from a longest common subsequence. */
function diffLines(oldLines: string[], newLines: string[]): Edit[] {
  let prefix = 0;
  while (
    prefix < oldLines.length &&
    prefix < newLines.length &&
    oldLines[prefix] === newLines[prefix]
  ) {
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] ===
      newLines[newLines.length - 1 - suffix]
  ) {
    suffix++;
  }
  const oldMiddle = oldLines.slice(prefix, oldLines.length - suffix);
  const newMiddle = newLines.slice(prefix, newLines.length - suffix);

  const edits: Edit[] = oldLines
    .slice(0, prefix)
    .map((line) => ({ kind: ' ', line }));
  edits.push(...diffMiddle(oldMiddle, newMiddle));
  edits.push(
    ...oldLines
      .slice(oldLines.length - suffix)
      .map((line): Edit => ({ kind: ' ', line })),
  );
  return edits;
}

function diffMiddle(oldLines: string[], newLines: string[]): Edit[] {
  const n = oldLines.length;
  const m = newLines.length;
  if ((n + 1) * (m + 1) > MAX_TABLE_CELLS) {
    return [
      ...oldLines.map((line): Edit => ({ kind: '-', line })),
      ...newLines.map((line): Edit => ({ kind: '+', line })),
    ];
  }
  // common[i][j] is the length of the longest common subsequence of
  // oldLines[i..] and newLines[j..].
  const common = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i][j] =
        oldLines[i] === newLines[j]
          ? common[i + 1][j + 1] + 1
          : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && oldLines[i] === newLines[j]) {
      edits.push({ kind: ' ', line: oldLines[i++] });
      j++;
    } else if (i < n && (j === m || common[i + 1][j] >= common[i][j + 1])) {
      // Removals come before additions, as diff -u prints them.
      edits.push({ kind: '-', line: oldLines[i++] });
    } else {
      edits.push({ kind: '+', line: newLines[j++] });
    }
  }
  return edits;
}

/** Groups edits into hunks with `@@ -a,b +c,d @@` headers. */
function formatHunks(edits: Edit[]): string[] {
  const output: string[] = [];
  let index = 0;
  while (index < edits.length) {
    const firstChange = edits.findIndex(
      (edit, at) => at >= index && edit.kind !== ' ',
    );
    if (firstChange < 0) {
      break;
    }
    const start = Math.max(index, firstChange - CONTEXT_LINES);
    let end = firstChange;
    let lastChange = firstChange;
    while (end < edits.length && end - lastChange <= 2 * CONTEXT_LINES) {
      if (edits[end].kind !== ' ') {
        lastChange = end;
      }
      end++;
    }
    end = Math.min(edits.length, lastChange + CONTEXT_LINES + 1);

    const oldStart = countLines(edits, 0, start, '+') + 1;
    const newStart = countLines(edits, 0, start, '-') + 1;
    const oldCount = countLines(edits, start, end, '+');
    const newCount = countLines(edits, start, end, '-');
    output.push(
      `@@ -${formatRange(oldStart, oldCount)} +${formatRange(newStart, newCount)} @@`,
    );
    for (let at = start; at < end; at++) {
      output.push(`${edits[at].kind}${edits[at].line}`);
    }
    index = end;
  }
  return output;
}

/** Counts the lines in `edits[from..to)` that are not of kind `skipped`. */
function countLines(
  edits: Edit[],
  from: number,
  to: number,
  skipped: Edit['kind'],
): number {
  let count = 0;
  for (let at = from; at < to; at++) {
    if (edits[at].kind !== skipped) {
      count++;
    }
  }
  return count;
}

function formatRange(start: number, count: number): string {
  // diff -u writes an empty range as the line before it, with count 0.
  return count === 0 ? `${start - 1},0` : `${start},${count}`;
}
