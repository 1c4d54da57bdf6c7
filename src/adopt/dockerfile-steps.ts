import { Project } from 'projen';
import type { OldDockerfile, OldInstruction } from './old-dockerfile';
import { normalizeArguments, parseOldDockerfile } from './old-dockerfile';
import type { DockerfileInstruction } from '../docker/dockerfile';
import { Dockerfile } from '../docker/dockerfile';
import { renderDockerfile } from '../docker/render';
import type { RequirementsMode } from '../docker/service-image';
import { addServiceStages, InstructionId } from '../docker/service-image';
import type { ServiceConfig } from '../service-config';

/**
 * One change to a stage of the generated Dockerfile that keeps a step of
 * the old one, made through the Dockerfile component's escape hatch.
 */
export interface DockerfileStep {
  /** The stage name, as `tryFindStage` takes it. */
  readonly stage: string;
  readonly action:
    'insertBefore' | 'insertAfter' | 'replaceInstruction' | 'removeInstruction';
  /** The id of the recipe instruction (or of an earlier kept step). */
  readonly anchorId: string;
  /** The kept instruction; absent for `removeInstruction`. */
  readonly instruction?: DockerfileInstruction;
}

/** The comparison key of the recipe's link loop and the old link step. */
const LINK_KEY = '<link console scripts>';

/** The prefix of the ids that kept steps get. */
const KEPT_ID_PREFIX = 'adopted-';

/**
 * Builds the recipe's Dockerfile model for a configuration, without a
 * project on disk, so that adoption can compare it with the old file.
 */
export function buildRecipeDockerfile(
  config: ServiceConfig,
  requirements: RequirementsMode,
): Dockerfile {
  const project = new Project({
    name: 'adopt-preview',
    outdir: '/nonexistent',
  });
  const dockerfile = new Dockerfile(project);
  addServiceStages(dockerfile, config, requirements);
  return dockerfile;
}

/**
 * Lists the escape-hatch steps that turn the recipe's Dockerfile into one
 * with the old file's instruction sequence, apart from the differences
 * docs/design.md lists (the `AS` case and the link loop).
 *
 * Each stage is aligned with the old one by a longest common subsequence.
 * A recipe instruction with no partner is replaced by the old instruction
 * of the same keyword in the same gap, or removed when there is none. An
 * old instruction with no partner is inserted before the next kept recipe
 * instruction.
 */
export function planDockerfileSteps(
  old: OldDockerfile,
  generated: Dockerfile,
  linkInstruction: OldInstruction | undefined,
): DockerfileStep[] {
  const steps: DockerfileStep[] = [];
  generated.stages.forEach((stage, index) => {
    const oldStage = old.stages[index];
    if (oldStage === undefined || stage.name === undefined) {
      return;
    }
    steps.push(
      ...planStage(
        stage.name,
        oldStage.instructions,
        stage.instructions,
        linkInstruction,
      ),
    );
  });
  return steps;
}

function planStage(
  stageName: string,
  oldInstructions: readonly OldInstruction[],
  recipe: readonly DockerfileInstruction[],
  linkInstruction: OldInstruction | undefined,
): DockerfileStep[] {
  const oldKeys = oldInstructions.map((i) =>
    i === linkInstruction ? LINK_KEY : keyOf(i.keyword, i.arguments),
  );
  const recipeKeys = recipe.map((i) =>
    i.id === InstructionId.LINK_SCRIPTS
      ? LINK_KEY
      : keyOf(i.keyword, i.arguments),
  );
  const pairs = longestCommonSubsequence(oldKeys, recipeKeys);

  const removals: DockerfileStep[] = [];
  const replacements: DockerfileStep[] = [];
  const insertions: DockerfileStep[] = [];
  // For each old instruction: the id it has in the result, if any.
  const resultIds: Array<string | undefined> = oldInstructions.map(
    () => undefined,
  );
  let keptCount = 0;

  const boundaries = [...pairs, [oldInstructions.length, recipe.length]];
  let oldStart = 0;
  let recipeStart = 0;
  for (const [oldEnd, recipeEnd] of boundaries) {
    const unmatchedOld = range(oldStart, oldEnd);
    const unmatchedRecipe = range(recipeStart, recipeEnd);
    for (const recipeIndex of unmatchedRecipe) {
      const id = recipe[recipeIndex].id;
      const partner = unmatchedOld.find(
        (o) =>
          resultIds[o] === undefined &&
          oldInstructions[o].keyword ===
            recipe[recipeIndex].keyword.toUpperCase(),
      );
      if (id === undefined) {
        continue;
      }
      if (partner !== undefined) {
        resultIds[partner] = id;
        replacements.push({
          stage: stageName,
          action: 'replaceInstruction',
          anchorId: id,
          instruction: toInstruction(oldInstructions[partner]),
        });
      } else {
        removals.push({
          stage: stageName,
          action: 'removeInstruction',
          anchorId: id,
        });
      }
    }
    if (oldEnd < oldInstructions.length) {
      resultIds[oldEnd] = recipe[recipeEnd].id;
    }
    oldStart = oldEnd + 1;
    recipeStart = recipeEnd + 1;
  }

  oldInstructions.forEach((instruction, index) => {
    if (resultIds[index] !== undefined) {
      return;
    }
    const id = `${KEPT_ID_PREFIX}${++keptCount}`;
    const next = resultIds
      .slice(index + 1)
      .find((r) => r !== undefined && !r.startsWith(KEPT_ID_PREFIX));
    const previous = resultIds
      .slice(0, index)
      .reverse()
      .find((r) => r !== undefined);
    const anchor = next ?? previous;
    if (anchor === undefined) {
      throw new Error(
        `Cannot place the step at Dockerfile:${instruction.line} in stage ${stageName}, because no recipe instruction is kept in that stage.`,
      );
    }
    insertions.push({
      stage: stageName,
      action: next !== undefined ? 'insertBefore' : 'insertAfter',
      anchorId: anchor,
      instruction: { ...toInstruction(instruction), id },
    });
    resultIds[index] = id;
  });
  return [...removals, ...replacements, ...insertions];
}

/** Applies steps to a Dockerfile model in order. */
export function applyDockerfileSteps(
  dockerfile: Dockerfile,
  steps: readonly DockerfileStep[],
): void {
  for (const step of steps) {
    const stage = dockerfile.tryFindStage(step.stage);
    if (stage === undefined) {
      throw new Error(
        `The Dockerfile has no stage named "${step.stage}" for a kept step. Check builderStageName and runtimeStageName.`,
      );
    }
    if (step.action === 'removeInstruction') {
      stage.removeInstruction(step.anchorId);
    } else {
      stage[step.action](step.anchorId, step.instruction!);
    }
  }
}

/**
 * Renders steps as `.projenrc.ts` statements, one per step, on a
 * `project` variable.
 */
export function renderStepsAsCode(steps: readonly DockerfileStep[]): string[] {
  return steps.map((step) => {
    const stage = `project.dockerfile.tryFindStage(${JSON.stringify(step.stage)})?`;
    if (step.action === 'removeInstruction') {
      return `${stage}.removeInstruction(${JSON.stringify(step.anchorId)});`;
    }
    const instruction = step.instruction!;
    const fields = [
      ...(instruction.id ? [`id: ${JSON.stringify(instruction.id)}`] : []),
      `keyword: ${JSON.stringify(instruction.keyword)}`,
      `arguments: ${JSON.stringify(instruction.arguments)}`,
    ];
    return `${stage}.${step.action}(${JSON.stringify(step.anchorId)}, {\n  ${fields.join(',\n  ')},\n});`;
  });
}

/**
 * Lists where a rendered Dockerfile's instruction sequence differs from the
 * old one, ignoring the `AS` case and counting the old link step and the
 * generated link loop as the same. Returns an empty list when they match.
 */
export function compareInstructionSequences(
  old: OldDockerfile,
  rendered: string,
  linkInstruction: OldInstruction | undefined,
): string[] {
  const generated = parseOldDockerfile(rendered);
  const oldLines = sequenceOf(old, linkInstruction);
  const newLines = sequenceOf(generated, undefined, true);
  const differences: string[] = [];
  const length = Math.max(oldLines.length, newLines.length);
  for (let i = 0; i < length; i++) {
    if (oldLines[i] !== newLines[i]) {
      differences.push(
        `#${i + 1}: old "${oldLines[i] ?? '(none)'}", new "${newLines[i] ?? '(none)'}"`,
      );
    }
  }
  return differences;
}

/** Renders a Dockerfile model as text without the projen marker. */
export function renderModel(dockerfile: Dockerfile): string {
  return renderDockerfile({ stages: dockerfile.stages });
}

function sequenceOf(
  dockerfile: OldDockerfile,
  linkInstruction: OldInstruction | undefined,
  isGenerated = false,
): string[] {
  const lines: string[] = [];
  for (const stage of dockerfile.stages) {
    lines.push(`FROM ${stage.image}`);
    for (const instruction of stage.instructions) {
      const isLink =
        instruction === linkInstruction ||
        (isGenerated &&
          instruction.keyword === 'RUN' &&
          instruction.arguments.startsWith('for script in '));
      lines.push(
        isLink ? LINK_KEY : keyOf(instruction.keyword, instruction.arguments),
      );
    }
  }
  return lines;
}

function keyOf(keyword: string, args: string): string {
  const upper = keyword.toUpperCase();
  return `${upper} ${normalizeArguments(upper, args)}`;
}

function toInstruction(old: OldInstruction): DockerfileInstruction {
  return { keyword: old.keyword, arguments: old.arguments };
}

function range(start: number, end: number): number[] {
  const values: number[] = [];
  for (let i = start; i < end; i++) values.push(i);
  return values;
}

/** Returns the index pairs of a longest common subsequence, in order. */
function longestCommonSubsequence(
  a: readonly string[],
  b: readonly string[],
): Array<[number, number]> {
  const table = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] =
        a[i] === b[j]
          ? table[i + 1][j + 1] + 1
          : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      i++;
    } else {
      j++;
    }
  }
  return pairs;
}
