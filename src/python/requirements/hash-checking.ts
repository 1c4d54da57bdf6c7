// Reports what pip's hash-checking mode rejects in a requirements file.

import type { RequirementLine } from './line-checks';
import type { Report } from './report';

/**
 * Reports what pip's hash-checking mode rejects. pip enters that mode when
 * any requirement has a --hash or the file has --require-hashes, and then
 * every requirement needs a hash.
 */
export function checkHashCheckingMode(
  requirements: readonly RequirementLine[],
  requireHashesLine: number | undefined,
  report: Report,
): void {
  const hashed = requirements.filter((r) => r.hashed);
  if (hashed.length === 0 && requireHashesLine === undefined) {
    return;
  }

  const missingHash =
    hashed.length > 0
      ? 'This requirement has no --hash, but ' +
        `${describeCount(hashed.length, 'other requirement')} ` +
        `${hashed.length === 1 ? 'has' : 'have'} one (first on line ` +
        `${hashed[0].lineNumber}), and pip's hash-checking mode is all or ` +
        'nothing. Add --hash to every requirement, for example with ' +
        'pip-compile --generate-hashes, or remove all of them.'
      : `This requirement has no --hash, but --require-hashes on line ` +
        `${requireHashesLine} makes pip demand one on every requirement. Add ` +
        '--hash to every requirement, for example with pip-compile ' +
        '--generate-hashes, or remove --require-hashes.';
  for (const requirement of requirements) {
    if (requirement.kind === 'editable') {
      report.error(
        requirement.lineNumber,
        requirement.text,
        'pip cannot check hashes of an editable install, so hash-checking ' +
          'mode rejects it. Install the project without -e from a pinned, ' +
          'hashed requirement.',
      );
    } else if (requirement.kind === 'vcs') {
      report.error(
        requirement.lineNumber,
        requirement.text,
        'pip cannot hash a version control checkout, so hash-checking mode ' +
          'rejects it. Require a built archive URL with a --hash instead.',
      );
    } else if (requirement.kind === 'local-directory') {
      report.error(
        requirement.lineNumber,
        requirement.text,
        'pip cannot hash a directory, so hash-checking mode rejects it. ' +
          'Build a wheel and require that with a --hash instead.',
      );
    } else if (!requirement.hashed) {
      report.error(requirement.lineNumber, requirement.text, missingHash);
    } else if (requirement.kind === 'name' && requirement.pinned === false) {
      const name = requirement.name ?? 'name';
      report.error(
        requirement.lineNumber,
        requirement.text,
        "pip's hash-checking mode needs an exact version, but this " +
          "requirement is not pinned with a single '==' or '==='. Pin it, " +
          `as in '${name}==1.2.3'.`,
      );
    }
  }
}

function describeCount(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
