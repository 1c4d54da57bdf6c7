// Decodes requirements.txt bytes as pip does and reports every encoding
// other than UTF-8 without a byte-order mark.

import { TextDecoder } from 'node:util';
import type { Report } from './report';

const RESAVE_AS_UTF8 = 'Re-save it as UTF-8 without a byte-order mark';

/**
 * Decodes the file and reports an encoding other than UTF-8 without BOM.
 * Returns undefined when the content cannot be decoded well enough to check
 * its lines.
 */
export function decodeRequirementsFile(
  content: Buffer,
  report: Report,
): string | undefined {
  const startsWith = (...bytes: number[]): boolean =>
    bytes.every((byte, i) => content[i] === byte);

  let body = content;
  if (startsWith(0xef, 0xbb, 0xbf)) {
    body = content.subarray(3);
    report.error(
      undefined,
      '\ufeff' + firstLine(body.toString('utf8')),
      'The file starts with a UTF-8 byte-order mark, which pip skips but ' +
        'tools that read it as plain UTF-8, such as setuptools, take as part ' +
        `of the first requirement. ${RESAVE_AS_UTF8}, for example with ` +
        `sed -i '1s/^\\xEF\\xBB\\xBF//' ${report.file}.`,
    );
  } else if (
    startsWith(0xff, 0xfe, 0x00, 0x00) ||
    startsWith(0x00, 0x00, 0xfe, 0xff)
  ) {
    report.error(
      undefined,
      rawFirstLine(content),
      'The file is UTF-32, which setuptools fails on because it reads the ' +
        'file as UTF-8. ' +
        `${RESAVE_AS_UTF8}, for example with iconv -f UTF-32 -t UTF-8.`,
    );
    return undefined;
  } else if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff)) {
    report.error(
      undefined,
      rawFirstLine(content),
      'The file is UTF-16. pip decodes it by its byte-order mark, but ' +
        'setuptools and other tools that expect UTF-8 fail on it, and git ' +
        `diffs it as binary. ${RESAVE_AS_UTF8}, for example with ` +
        'iconv -f UTF-16 -t UTF-8.',
    );
    return decodeUtf16(content.subarray(2), content[0] === 0xff);
  } else if (content.includes(0x00)) {
    const littleEndian = countNulBytes(content, 1) >= countNulBytes(content, 0);
    const encoding = littleEndian ? 'UTF-16LE' : 'UTF-16BE';
    report.error(
      undefined,
      rawFirstLine(content),
      `The file contains NUL bytes, so it is probably ${encoding} without a ` +
        'byte-order mark, and pip rejects its first requirement. ' +
        `${RESAVE_AS_UTF8}, for example with iconv -f ${encoding} -t UTF-8.`,
    );
    return decodeUtf16(content, littleEndian);
  }

  const declared = findCodingDeclaration(body);
  if (declared !== undefined && !/^utf[-_]?8$/i.test(declared)) {
    return decodeDeclaredEncoding(body, declared, report);
  }
  const invalidLine = findInvalidUtf8Line(body);
  if (invalidLine !== undefined) {
    report.error(
      invalidLine.lineNumber,
      invalidLine.text,
      'This line is not valid UTF-8, so pip fails to decode the file under a ' +
        'UTF-8 locale. Re-save the file as UTF-8, or declare its encoding in ' +
        "a first line such as '# -*- coding: latin1 -*-'.",
    );
  }
  return body.toString('utf8');
}

function decodeUtf16(bytes: Buffer, littleEndian: boolean): string {
  const evenLength = bytes.subarray(0, bytes.length - (bytes.length % 2));
  const copy = Buffer.from(evenLength);
  if (!littleEndian) {
    copy.swap16();
  }
  return copy.toString('utf16le');
}

function countNulBytes(content: Buffer, parity: 0 | 1): number {
  let count = 0;
  for (let i = parity; i < content.length; i += 2) {
    if (content[i] === 0) {
      count++;
    }
  }
  return count;
}

/**
 * Returns the encoding named by a PEP 263 comment in the first two lines,
 * which pip honours in requirements files.
 */
function findCodingDeclaration(content: Buffer): string | undefined {
  const lines = content.toString('latin1').split('\n').slice(0, 2);
  for (const line of lines) {
    const match = /coding[:=]\s*([-\w.]+)/.exec(line);
    if (line.startsWith('#') && match) {
      return match[1];
    }
  }
  return undefined;
}

function decodeDeclaredEncoding(
  content: Buffer,
  encoding: string,
  report: Report,
): string | undefined {
  // Python ignores case and treats '_' as '-' in encoding names. It also
  // accepts 'latin-1', which the WHATWG Encoding Standard does not define.
  const label = encoding.toLowerCase().replace(/_/g, '-');
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label === 'latin-1' ? 'latin1' : label, {
      fatal: true,
    });
  } catch {
    // NOTE: Python accepts encoding names that the WHATWG Encoding Standard
    // does not define, so pip may decode a file that this check skips.
    report.warning(
      undefined,
      `coding: ${encoding}`,
      `The file declares the encoding '${encoding}', which this check cannot ` +
        'decode, so it skipped the file. Re-save it as UTF-8 to have it checked.',
    );
    return undefined;
  }
  try {
    return decoder.decode(content);
  } catch {
    report.error(
      undefined,
      `coding: ${encoding}`,
      `The file declares the encoding '${encoding}' but is not valid in it, ` +
        'so pip fails to decode it. Re-save it as UTF-8 and remove the coding line.',
    );
    return undefined;
  }
}

function findInvalidUtf8Line(
  content: Buffer,
): { lineNumber: number; text: string } | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let lineNumber = 1;
  while (start <= content.length) {
    let end = content.indexOf(0x0a, start);
    if (end < 0) {
      end = content.length;
    }
    const line = content.subarray(start, end);
    try {
      decoder.decode(line);
    } catch {
      return { lineNumber, text: line.toString('utf8') };
    }
    start = end + 1;
    lineNumber++;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0].slice(0, 60);
}

/** Returns the first bytes as pip would see them without decoding, NUL bytes included. */
function rawFirstLine(content: Buffer): string {
  const end = content.indexOf(0x0a);
  const line = content.subarray(0, end < 0 ? content.length : end);
  return line.subarray(0, 60).toString('latin1');
}
