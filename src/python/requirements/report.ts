// Report that collects the problems found in a requirements file.

import { Problem } from '../../validation/problem';
import { maskCredentials } from './credentials';

/** Collects problems, masking credentials in URL userinfo so that reports do not show them. */
export class Report {
  readonly problems: Problem[] = [];

  constructor(readonly file: string) {}

  error(lineNumber: number | undefined, value: string, message: string): void {
    this.add('error', lineNumber, value, message);
  }

  warning(
    lineNumber: number | undefined,
    value: string,
    message: string,
  ): void {
    this.add('warning', lineNumber, value, message);
  }

  private add(
    severity: Problem['severity'],
    lineNumber: number | undefined,
    value: string,
    message: string,
  ): void {
    const where =
      lineNumber === undefined ? this.file : `${this.file}:${lineNumber}`;
    this.problems.push({
      severity,
      where,
      value: maskCredentials(value),
      message,
    });
  }
}
