import type { DockerfileInstruction, DockerfileStage } from './dockerfile';

/** The parts of a Dockerfile component that the renderer reads. */
export interface DockerfileModel {
  readonly marker?: string;
  readonly comment?: string;
  readonly stages: readonly DockerfileStage[];
}

const CONTINUATION_INDENT = '    ';

/**
 * Renders a Dockerfile model to text: the marker and file comment, then each
 * stage's `FROM` line and instructions, stages separated by a blank line.
 */
export function renderDockerfile(model: DockerfileModel): string {
  const header: string[] = [];
  if (model.marker) {
    header.push(`# ${model.marker}`);
  }
  if (model.comment) {
    header.push(...commentLines(model.comment));
  }

  const blocks = model.stages.map(renderStage);
  const sections = header.length > 0 ? [header.join('\n'), ...blocks] : blocks;
  return sections.join('\n\n') + '\n';
}

function renderStage(stage: DockerfileStage): string {
  const lines: string[] = [];
  if (stage.comment) {
    lines.push(...commentLines(stage.comment));
  }
  lines.push(`FROM ${stage.from}${stage.name ? ` AS ${stage.name}` : ''}`);

  for (const instruction of stage.instructions) {
    // A commented instruction starts a new paragraph so that the comment
    // reads as the heading of the steps below it.
    if (instruction.comment) {
      lines.push('', ...commentLines(instruction.comment));
    }
    lines.push(renderInstruction(instruction));
  }
  return lines.join('\n');
}

/**
 * Renders one instruction; newlines in its arguments become continuation
 * lines.
 */
export function renderInstruction(instruction: DockerfileInstruction): string {
  const keyword = instruction.keyword.toUpperCase();
  const parts = instruction.arguments.split('\n');
  return `${keyword} ${parts.join(` \\\n${CONTINUATION_INDENT}`)}`;
}

function commentLines(comment: string): string[] {
  return comment.split('\n').map((line) => (line ? `# ${line}` : '#'));
}
