/** A problem found in a project option or in a file that synthesis reads. */
export interface Problem {
  /** 'error' stops synthesis; 'warning' is reported and synthesis goes on. */
  readonly severity: 'error' | 'warning';
  /** The option (e.g. 'imageName') or file (e.g. 'requirements.txt:3') the problem is in. */
  readonly where: string;
  /** The offending value, as the user wrote it. */
  readonly value: string;
  /** One or two sentences: what is wrong and what to do, e.g. "Image names must be lowercase. Use 'analyzer-api'." */
  readonly message: string;
}

/**
 * Formats problems as a header line that counts them, then one line per
 * problem: `<where>: invalid value "<value>": <message>`.
 *
 * Values are JSON-escaped, and invisible characters that JSON leaves as they
 * are (DEL, C1 controls, format characters such as a byte-order mark, line and
 * paragraph separators) are escaped as `\uXXXX` too. Returns an empty string
 * when there are no problems.
 */
export function formatProblems(problems: readonly Problem[]): string {
  if (problems.length === 0) {
    return '';
  }
  const errorCount = problems.filter((p) => p.severity === 'error').length;
  const warningCount = problems.length - errorCount;
  const header =
    `${countOf(problems.length, 'problem')} ` +
    `(${countOf(errorCount, 'error')}, ${countOf(warningCount, 'warning')}):`;
  const lines = problems.map(
    (p) => `${p.where}: invalid value ${escapeValue(p.value)}: ${p.message}`,
  );
  return [header, ...lines].join('\n');
}

/** Quotes a value as JSON and escapes the characters that JSON leaves invisible. */
export function escapeValue(value: string): string {
  return JSON.stringify(value).replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (character) => {
      // A character outside the Basic Multilingual Plane is two UTF-16 code
      // units, and JSON spells it as two \u escapes.
      let escaped = '';
      for (let i = 0; i < character.length; i++) {
        escaped +=
          '\\u' + character.charCodeAt(i).toString(16).padStart(4, '0');
      }
      return escaped;
    },
  );
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
