import type { MakefileRule, MakefileVariable } from './makefile';

/** The parts of a Makefile component that the renderer reads. */
export interface MakefileModel {
  readonly marker?: string;
  readonly defaultGoal?: string;
  readonly variables: readonly MakefileVariable[];
  readonly rules: readonly MakefileRule[];
  readonly includes: readonly string[];
}

/**
 * Renders a Makefile model to text: the marker, the default goal, the
 * variables, the includes, the `.PHONY` list and the rules, in that order.
 */
export function renderMakefile(model: MakefileModel): string {
  const sections: string[] = [];
  const header: string[] = [];
  if (model.marker) {
    header.push(`# ${model.marker}`);
  }
  const defaultGoal = model.defaultGoal ?? model.rules[0]?.targets[0];
  if (defaultGoal) {
    header.push(`.DEFAULT_GOAL := ${defaultGoal}`);
  }
  if (header.length > 0) {
    sections.push(header.join('\n'));
  }

  sections.push(...model.variables.map(renderVariable));

  if (model.includes.length > 0) {
    sections.push(
      model.includes.map((fileName) => `-include ${fileName}`).join('\n'),
    );
  }

  const phony = model.rules
    .filter((rule) => rule.phony ?? true)
    .flatMap((rule) => rule.targets);
  if (phony.length > 0) {
    sections.push(`.PHONY: ${phony.join(' ')}`);
  }

  sections.push(...model.rules.map(renderRule));
  return sections.join('\n\n') + '\n';
}

function renderVariable(variable: MakefileVariable): string {
  const lines = commentLines(variable.comment);
  const assignment = variable.assignment ?? '?=';
  lines.push(`${variable.name} ${assignment} ${variable.value}`.trimEnd());
  return lines.join('\n');
}

function renderRule(rule: MakefileRule): string {
  const prerequisites = rule.prerequisites ?? [];
  let head = `${rule.targets.join(' ')}:`;
  if (prerequisites.length > 0) {
    head += ` ${prerequisites.join(' ')}`;
  }
  // `make help` lists the targets whose rule line ends in "## description".
  if (rule.description) {
    head += ` ## ${rule.description}`;
  }
  const recipe = (rule.recipe ?? []).map((line) => `\t${line}`);
  return [head, ...recipe].join('\n');
}

function commentLines(comment: string | undefined): string[] {
  if (!comment) {
    return [];
  }
  return comment.split('\n').map((line) => (line ? `# ${line}` : '#'));
}
