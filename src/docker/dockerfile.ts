import { FileBase, IResolver, Project } from 'projen';
import { renderDockerfile } from './render';

/**
 * One Dockerfile instruction, such as `RUN pip check`.
 */
export interface DockerfileInstruction {
  /**
   * The instruction keyword.
   *
   * @example "RUN"
   */
  readonly keyword: string;

  /**
   * Everything after the keyword, as it appears in the Dockerfile.
   *
   * A newline starts a continuation line: the renderer ends the line before
   * it with a backslash and indents the next one.
   *
   * @example "/usr/share/python3/app/bin/pip check"
   */
  readonly arguments: string;

  /**
   * A comment rendered on the lines above the instruction.
   *
   * @default - no comment
   */
  readonly comment?: string;

  /**
   * A name that finds this instruction again, for the methods that insert,
   * replace or remove instructions. It is not rendered.
   *
   * @default - the instruction can only be found by its position
   */
  readonly id?: string;
}

/**
 * Options for a Dockerfile build stage.
 */
export interface DockerfileStageOptions {
  /**
   * The image the stage starts from.
   *
   * @example "snakepacker/python:3.12"
   */
  readonly from: string;

  /**
   * The stage name, used by `COPY --from` and `--target`.
   *
   * @default - the stage has no name
   */
  readonly name?: string;

  /**
   * A comment rendered above the stage's `FROM` line.
   *
   * @default - no comment
   */
  readonly comment?: string;
}

/**
 * A build stage: one `FROM` line and the instructions after it.
 */
export class DockerfileStage {
  /** The image the stage starts from. */
  public readonly from: string;

  /** The stage name. */
  public readonly name?: string;

  /** The comment above the `FROM` line. */
  public readonly comment?: string;

  private readonly _instructions: DockerfileInstruction[] = [];

  public constructor(options: DockerfileStageOptions) {
    if (!options.from.trim()) {
      throw new Error(
        `The stage ${options.name ?? '(unnamed)'} has an empty "from" image. Set it to an image reference such as "python:3.12".`,
      );
    }
    this.from = options.from;
    this.name = options.name;
    this.comment = options.comment;
  }

  /** The instructions after the `FROM` line, in order. */
  public get instructions(): DockerfileInstruction[] {
    return [...this._instructions];
  }

  /**
   * Appends instructions to the end of the stage.
   */
  public addInstruction(...instructions: DockerfileInstruction[]): void {
    for (const instruction of instructions) {
      this.checkNewId(instruction);
      this._instructions.push(instruction);
    }
  }

  /**
   * Inserts an instruction at a position; 0 puts it right after `FROM`.
   */
  public insertInstruction(
    index: number,
    instruction: DockerfileInstruction,
  ): void {
    if (!Number.isInteger(index) || index < 0) {
      throw new Error(
        `Invalid instruction index ${index} in stage ${this.label}: use an integer from 0 to ${this._instructions.length}.`,
      );
    }
    this.checkNewId(instruction);
    this._instructions.splice(index, 0, instruction);
  }

  /**
   * Inserts an instruction right before the instruction with the given id.
   */
  public insertBefore(
    existingId: string,
    instruction: DockerfileInstruction,
  ): void {
    this.insertInstruction(this.indexOf(existingId), instruction);
  }

  /**
   * Inserts an instruction right after the instruction with the given id.
   */
  public insertAfter(
    existingId: string,
    instruction: DockerfileInstruction,
  ): void {
    this.insertInstruction(this.indexOf(existingId) + 1, instruction);
  }

  /**
   * Replaces the instruction with the given id.
   *
   * The new instruction keeps the old id unless it sets one of its own.
   */
  public replaceInstruction(
    existingId: string,
    instruction: DockerfileInstruction,
  ): void {
    const index = this.indexOf(existingId);
    this._instructions[index] = { id: existingId, ...instruction };
  }

  /**
   * Removes the instruction with the given id.
   */
  public removeInstruction(existingId: string): void {
    this._instructions.splice(this.indexOf(existingId), 1);
  }

  /**
   * Finds the instruction with the given id.
   */
  public tryFindInstruction(
    existingId: string,
  ): DockerfileInstruction | undefined {
    return this._instructions.find((i) => i.id === existingId);
  }

  private get label(): string {
    return this.name ?? this.from;
  }

  private indexOf(id: string): number {
    const index = this._instructions.findIndex((i) => i.id === id);
    if (index < 0) {
      const known = this._instructions
        .map((i) => i.id)
        .filter((i): i is string => i !== undefined);
      throw new Error(
        `No instruction with id "${id}" in stage ${this.label}. Known ids: ${known.join(', ') || 'none'}.`,
      );
    }
    return index;
  }

  private checkNewId(instruction: DockerfileInstruction): void {
    if (
      instruction.id !== undefined &&
      this.tryFindInstruction(instruction.id)
    ) {
      throw new Error(
        `Stage ${this.label} already has an instruction with id "${instruction.id}". Use replaceInstruction() to change it.`,
      );
    }
  }
}

/**
 * Options for the Dockerfile component.
 */
export interface DockerfileOptions {
  /**
   * The file name, relative to the project.
   *
   * @default "Dockerfile"
   */
  readonly fileName?: string;

  /**
   * A comment rendered at the top of the file, below the projen marker.
   *
   * @default - no comment
   */
  readonly comment?: string;
}

/**
 * A Dockerfile built from a typed model of stages and instructions.
 *
 * Any projen project can use it. The file is read-only and carries projen's
 * marker; change it through the model, not by hand.
 */
export class Dockerfile extends FileBase {
  private readonly _stages: DockerfileStage[] = [];
  private readonly comment?: string;

  public constructor(project: Project, options: DockerfileOptions = {}) {
    super(project, options.fileName ?? 'Dockerfile');
    this.comment = options.comment;
  }

  /** The build stages, in order. */
  public get stages(): DockerfileStage[] {
    return [...this._stages];
  }

  /**
   * Adds a build stage at the end of the file.
   */
  public addStage(options: DockerfileStageOptions): DockerfileStage {
    if (options.name !== undefined && this.tryFindStage(options.name)) {
      throw new Error(
        `The Dockerfile already has a stage named "${options.name}". Pick another name or use tryFindStage() to change the existing one.`,
      );
    }
    const stage = new DockerfileStage(options);
    this._stages.push(stage);
    return stage;
  }

  /**
   * Finds a build stage by name.
   */
  public tryFindStage(name: string): DockerfileStage | undefined {
    return this._stages.find((stage) => stage.name === name);
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderDockerfile({
      marker: this.marker,
      comment: this.comment,
      stages: this._stages,
    });
  }
}
