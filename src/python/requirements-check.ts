/**
 * Checks a user's requirements.txt before synthesis builds an image from it.
 *
 * The generated Dockerfile copies only requirements.txt into the image and
 * runs `pip install -r requirements.txt` before it copies the project source.
 * This module reports what would make that step fail or leak secrets.
 *
 * It reads the file the way pip's req_file module does (checked against pip
 * 23.2.1). Lines break where str.splitlines() breaks them, a final '\' joins
 * the next line, and '#' after whitespace starts a comment. The options start
 * at the first space-separated token that starts with '-', and shlex and
 * optparse split and parse them.
 *
 * Requirement syntax follows current pip, which has rejected versions and
 * specifiers outside PEP 440 since pip 24.1. The checks were compared with
 * packaging 26.2, the parser that pip vendors a release of.
 *
 * pip-requirements-js checks project names, extras, URLs and environment
 * markers. Version specifiers are checked here, because pip-requirements-js
 * 1.0.3 accepts versions outside PEP 440 and rejects '==='. Markers are split
 * off before it parses a line, because it rejects a marker after a URL.
 */
import { Problem } from '../validation/problem';
import { decodeRequirementsFile } from './requirements/encoding';
import { checkHashCheckingMode } from './requirements/hash-checking';
import type { RequirementLine } from './requirements/line-checks';
import { checkLine } from './requirements/line-checks';
import { toLogicalLines } from './requirements/logical-lines';
import { Report } from './requirements/report';

/** Outcome of checking requirements.txt. */
export interface RequirementsCheck {
  readonly problems: Problem[];
  /** True when there is at least one requirement and every requirement line has a --hash. */
  readonly allHashed: boolean;
  /** Number of lines that pip reads as a requirement, editable ones included. */
  readonly requirementCount: number;
}

/** Checks the content of a requirements file and counts its requirements. */
export function checkRequirements(
  content: Buffer,
  file = 'requirements.txt',
): RequirementsCheck {
  const report = new Report(file);
  const text = decodeRequirementsFile(content, report);
  if (text === undefined) {
    return { problems: report.problems, allHashed: false, requirementCount: 0 };
  }

  const requirements: RequirementLine[] = [];
  let requireHashesLine: number | undefined;
  for (const line of toLogicalLines(text)) {
    const checked = checkLine(line, report);
    if (checked.requirement) {
      requirements.push(checked.requirement);
    }
    if (checked.requiresHashes && requireHashesLine === undefined) {
      requireHashesLine = line.lineNumber;
    }
  }

  checkHashCheckingMode(requirements, requireHashesLine, report);
  const allHashed =
    requirements.length > 0 && requirements.every((r) => r.hashed);
  return {
    problems: report.problems,
    allHashed,
    requirementCount: requirements.length,
  };
}
