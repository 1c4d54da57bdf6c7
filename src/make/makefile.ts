import { FileBase, IResolver, Project } from 'projen';
import { renderMakefile } from './render';

/**
 * The assignment operator of a Makefile variable.
 */
export enum VariableAssignment {
  /** `?=`: a default that the command line or the environment overrides. */
  DEFAULT = '?=',
  /** `:=`: expanded once, where it is defined. */
  SIMPLE = ':=',
  /** `=`: expanded each time it is used. */
  RECURSIVE = '=',
}

/**
 * A Makefile variable.
 */
export interface MakefileVariable {
  /**
   * The variable name.
   *
   * @example "DOCKER"
   */
  readonly name: string;

  /**
   * The value, as make reads it (write `$$` for a literal dollar sign).
   */
  readonly value: string;

  /**
   * The assignment operator.
   *
   * @default VariableAssignment.DEFAULT
   */
  readonly assignment?: VariableAssignment;

  /**
   * A comment rendered above the variable.
   *
   * @default - no comment
   */
  readonly comment?: string;
}

/**
 * A Makefile rule: targets, prerequisites and a recipe.
 */
export interface MakefileRule {
  /** The targets the rule makes. */
  readonly targets: string[];

  /**
   * The targets to make first.
   *
   * @default []
   */
  readonly prerequisites?: string[];

  /**
   * The recipe lines; each is rendered after a tab.
   *
   * @default []
   */
  readonly recipe?: string[];

  /**
   * A one-line description that `make help` lists.
   *
   * @default - the target is not listed by `make help`
   */
  readonly description?: string;

  /**
   * Whether the targets are phony (not files).
   *
   * @default true
   */
  readonly phony?: boolean;
}

/**
 * Options for the Makefile component.
 */
export interface MakefileOptions {
  /**
   * The file name, relative to the project.
   *
   * @default "Makefile"
   */
  readonly fileName?: string;

  /**
   * The target that a bare `make` runs.
   *
   * @default - the first rule's first target
   */
  readonly defaultGoal?: string;
}

/**
 * A Makefile built from a typed model of variables, rules and includes.
 *
 * Unlike projen's built-in Makefile component it can express variables with
 * overridable defaults, comments and included files. Any projen project can
 * use it.
 */
export class Makefile extends FileBase {
  /** The target that a bare `make` runs. */
  public defaultGoal?: string;

  private readonly variables: MakefileVariable[] = [];
  private readonly rules: MakefileRule[] = [];
  private readonly includes: string[] = [];

  public constructor(project: Project, options: MakefileOptions = {}) {
    super(project, options.fileName ?? 'Makefile');
    this.defaultGoal = options.defaultGoal;
  }

  /**
   * Adds a variable; variables render in the order they are added.
   */
  public addVariable(variable: MakefileVariable): void {
    if (this.variables.some((v) => v.name === variable.name)) {
      throw new Error(
        `The Makefile already defines the variable ${variable.name}. Use a different name.`,
      );
    }
    this.variables.push(variable);
  }

  /**
   * Adds a rule; rules render in the order they are added.
   */
  public addRule(rule: MakefileRule): void {
    if (rule.targets.length === 0) {
      throw new Error('A Makefile rule needs at least one target.');
    }
    for (const target of rule.targets) {
      if (this.rules.some((r) => r.targets.includes(target))) {
        throw new Error(
          `The Makefile already has a rule for the target ${target}. Use a different target name.`,
        );
      }
    }
    this.rules.push(rule);
  }

  /**
   * Includes another makefile after the variables; a missing file is
   * skipped, so the include can be optional.
   */
  public addInclude(fileName: string): void {
    this.includes.push(fileName);
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderMakefile({
      marker: this.marker,
      defaultGoal: this.defaultGoal,
      variables: this.variables,
      rules: this.rules,
      includes: this.includes,
    });
  }
}
