/**
 * A fact that adoption found about one option or file, for the report that
 * the CLI prints and the project logs.
 */
export interface Finding {
  /**
   * `inferred`: the value was read from a file. `default`: nothing could be
   * read, so the default is used. `note`: anything else the user should
   * know, such as a kept step or a changed behaviour.
   */
  readonly kind: 'inferred' | 'default' | 'note';
  /** The option name, or the file the note is about. */
  readonly subject: string;
  readonly message: string;
}

/** Collects findings in the order they are made. */
export class FindingList {
  private readonly items: Finding[] = [];

  public get all(): readonly Finding[] {
    return [...this.items];
  }

  public inferred(option: string, value: unknown, source: string): void {
    this.items.push({
      kind: 'inferred',
      subject: option,
      message: `${JSON.stringify(value)} from ${source}`,
    });
  }

  public defaulted(option: string, reason: string): void {
    this.items.push({ kind: 'default', subject: option, message: reason });
  }

  public note(subject: string, message: string): void {
    this.items.push({ kind: 'note', subject, message });
  }
}

/** Formats findings as one indented line each. */
export function formatFindings(findings: readonly Finding[]): string[] {
  return findings.map((finding) => {
    const label =
      finding.kind === 'inferred'
        ? 'inferred'
        : finding.kind === 'default'
          ? 'default '
          : 'note    ';
    return `  ${label} ${finding.subject}: ${finding.message}`;
  });
}
