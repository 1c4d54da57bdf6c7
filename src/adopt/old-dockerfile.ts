import { DockerfileParser, From } from 'dockerfile-ast';

/** The instruction keywords that Dockerfile syntax defines. */
const KNOWN_KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** One instruction of an existing Dockerfile. */
export interface OldInstruction {
  /** The keyword in upper case, e.g. `RUN`. */
  readonly keyword: string;
  /**
   * The arguments with each line continuation turned into `\n`, so that
   * the Dockerfile component renders them on the same lines again.
   */
  readonly arguments: string;
  /** 1-based line number, for messages. */
  readonly line: number;
}

/** One build stage of an existing Dockerfile. */
export interface OldStage {
  /** The image reference after `FROM`, e.g. `snakepacker/python:3.8`. */
  readonly image: string;
  readonly imageTag?: string;
  readonly imageDigest?: string;
  readonly name?: string;
  readonly line: number;
  readonly instructions: readonly OldInstruction[];
}

/** An existing Dockerfile split into stages. */
export interface OldDockerfile {
  /** `ARG` lines before the first `FROM`. */
  readonly globalArgs: readonly OldInstruction[];
  readonly stages: readonly OldStage[];
}

/** Error for a Dockerfile that adoption cannot read safely. */
export class DockerfileReadError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DockerfileReadError';
  }
}

/**
 * Parses a Dockerfile with dockerfile-ast and splits it into stages.
 *
 * Throws DockerfileReadError for an unknown keyword, an instruction other
 * than `ARG` before the first `FROM`, a `FROM` without an image, or a file
 * without any `FROM`, because carrying such a file over could drop steps.
 */
export function parseOldDockerfile(text: string): OldDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const lineOffsets = offsetsOfLines(text);
  const globalArgs: OldInstruction[] = [];
  const stages: Array<{
    image: string;
    imageTag?: string;
    imageDigest?: string;
    name?: string;
    line: number;
    instructions: OldInstruction[];
  }> = [];

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line + 1;
    if (!KNOWN_KEYWORDS.has(keyword)) {
      throw new DockerfileReadError(
        `Dockerfile:${line}: unknown instruction "${instruction.getKeyword()}". Fix or remove the line, then run adopt again.`,
      );
    }
    if (keyword === 'FROM') {
      const from = instruction as From;
      const image = from.getImage();
      if (!image) {
        throw new DockerfileReadError(
          `Dockerfile:${line}: FROM has no image. Name an image, then run adopt again.`,
        );
      }
      stages.push({
        image,
        imageTag: from.getImageTag() ?? undefined,
        imageDigest: from.getImageDigest() ?? undefined,
        name: from.getBuildStage() ?? undefined,
        line,
        instructions: [],
      });
      continue;
    }
    const parsed: OldInstruction = {
      keyword,
      arguments: splitContinuations(
        argumentsText(text, lineOffsets, instruction.getRange()),
      ),
      line,
    };
    const stage = stages[stages.length - 1];
    if (stage === undefined) {
      if (keyword !== 'ARG') {
        throw new DockerfileReadError(
          `Dockerfile:${line}: ${keyword} comes before the first FROM, where only ARG is allowed.`,
        );
      }
      globalArgs.push(parsed);
    } else {
      stage.instructions.push(parsed);
    }
  }
  if (stages.length === 0) {
    throw new DockerfileReadError(
      'The Dockerfile has no FROM instruction. Fix it or move it away, then run adopt again.',
    );
  }
  return { globalArgs, stages };
}

/**
 * Collapses an instruction's arguments to one line with single spaces,
 * the form in which two Dockerfiles are compared.
 */
export function normalizeArguments(keyword: string, args: string): string {
  const collapsed = args.replace(/\s+/g, ' ').trim();
  if (
    (keyword === 'CMD' || keyword === 'ENTRYPOINT') &&
    collapsed.startsWith('[')
  ) {
    try {
      const parsed: unknown = JSON.parse(collapsed);
      if (Array.isArray(parsed)) {
        return JSON.stringify(parsed);
      }
    } catch {
      // Not valid JSON, so Docker runs it in shell form: compare as text.
    }
  }
  return collapsed;
}

/** A zero-based line and character, as dockerfile-ast ranges use. */
interface Position {
  readonly line: number;
  readonly character: number;
}

/**
 * Returns the text of an instruction after its keyword, flags included.
 * dockerfile-ast 0.7 leaves flags such as `--from=builder` out of
 * getArgumentsContent() and getRawArgumentsContent() for COPY.
 */
function argumentsText(
  text: string,
  lineOffsets: readonly number[],
  range: { start: Position; end: Position },
): string {
  const start = lineOffsets[range.start.line] + range.start.character;
  const end = lineOffsets[range.end.line] + range.end.character;
  return text.slice(start, end).replace(/^\s*\S+/, '');
}

function offsetsOfLines(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      offsets.push(i + 1);
    }
  }
  return offsets;
}

/**
 * Turns the raw arguments of an instruction into the Dockerfile
 * component's form: one line per continuation line, each trimmed.
 */
// NOTE: only the default escape character `\` is handled; a Dockerfile
// that sets `# escape=` keeps backquote continuations inside the text.
function splitContinuations(raw: string): string {
  return raw
    .split(/\\[ \t]*\r?\n/)
    .map((part) => part.replace(/\r/g, '').trim())
    .filter((part) => part !== '')
    .join('\n');
}
