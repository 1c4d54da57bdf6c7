// Splits requirements.txt text into logical lines: continuations joined
// and comments removed, as pip's req_file module does.

/** A line after pip's joining of continuations and removal of comments. */
export interface LogicalLine {
  /** Number of the first physical line, as pip reports it. */
  readonly lineNumber: number;
  readonly text: string;
  /** Whether a physical line ends in '\' followed by whitespace, which pip does not join. */
  readonly spaceAfterBackslash: boolean;
}

/** The line breaks of Python's str.splitlines(), which pip uses. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const COMMENT_LINE = /^\s*#/;
const COMMENT = /(^|\s+)#.*$/;

/** Splits text into logical lines the way pip's join_lines and ignore_comments do. */
export function toLogicalLines(text: string): LogicalLine[] {
  const physicalLines = text.split(LINE_BREAK);
  if (physicalLines[physicalLines.length - 1] === '') {
    physicalLines.pop();
  }

  const logicalLines: LogicalLine[] = [];
  const emit = (
    lineNumber: number,
    joined: string,
    spaceAfterBackslash: boolean,
  ): void => {
    const withoutComment = joined.replace(COMMENT, '').trim();
    if (withoutComment !== '') {
      logicalLines.push({
        lineNumber,
        text: withoutComment,
        spaceAfterBackslash,
      });
    }
  };

  let pending: string[] = [];
  let pendingLineNumber = 0;
  physicalLines.forEach((line, index) => {
    const lineNumber = index + 1;
    const isComment = COMMENT_LINE.test(line);
    if (line.endsWith('\\') && !isComment) {
      if (pending.length === 0) {
        pendingLineNumber = lineNumber;
      }
      pending.push(line.replace(/^\\+|\\+$/g, ''));
      return;
    }
    // A comment line ends a continuation, and pip prefixes it with a space so
    // that the comment is removed from the joined line.
    const part = isComment ? ' ' + line : line;
    const spaceAfterBackslash = !isComment && /\\[ \t]+$/.test(line);
    if (pending.length > 0) {
      pending.push(part);
      emit(pendingLineNumber, pending.join(''), spaceAfterBackslash);
      pending = [];
    } else {
      emit(lineNumber, part, spaceAfterBackslash);
    }
  });
  if (pending.length > 0) {
    emit(pendingLineNumber, pending.join(''), false);
  }
  return logicalLines;
}
