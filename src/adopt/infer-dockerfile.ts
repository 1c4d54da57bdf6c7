import type { FindingList } from './findings';
import type { OldDockerfile, OldInstruction, OldStage } from './old-dockerfile';
import { DockerfileReadError, normalizeArguments } from './old-dockerfile';
import type { PythonServiceProjectOptions } from '../python-service-project-options';

/** Project options that adoption may infer, all optional and mutable. */
export type InferredOptions = {
  -readonly [
    K in keyof PythonServiceProjectOptions
  ]?: PythonServiceProjectOptions[K];
};

/** The facts read from an old Dockerfile, beyond the options. */
export interface DockerfileInference {
  readonly options: InferredOptions;
  /**
   * Whether the old file follows the two-stage recipe closely enough that
   * its instruction sequence is kept, the rest through the escape hatch.
   */
  readonly keepsSequence: boolean;
  /**
   * The old link instruction, which the generated loop over the declared
   * scripts replaces (see docs/design.md).
   */
  readonly linkInstruction?: OldInstruction;
}

const VENV_PATTERN = /^python(\d+(?:\.\d+)?)? -m venv (\S+)$/;
const VERSION_TAG_PATTERN = /^(\d+\.\d+)(?:[.-]|$)/;
const APT_PATTERN =
  /^apt-get update && apt-get install -y --no-install-recommends ([^&|;]+?) && rm -rf \/var\/lib\/apt\/lists\/\*$/;

/**
 * Infers the image options from an existing Dockerfile: the base images,
 * stage names, Python version, venv path, console scripts, runtime OS
 * packages, user and default command.
 *
 * `declaredScripts` are the package's console scripts, against which a
 * glob such as `analyzer-*` in the link step is expanded.
 */
export function inferFromDockerfile(
  dockerfile: OldDockerfile,
  declaredScripts: readonly string[],
  findings: FindingList,
): DockerfileInference {
  if (dockerfile.globalArgs.length > 0) {
    throw new DockerfileReadError(
      `Dockerfile:${dockerfile.globalArgs[0].line}: ARG before the first FROM is not supported, because the generated Dockerfile has no place for it. Replace the variable in FROM with its value, then run adopt again.`,
    );
  }
  if (dockerfile.stages.length > 2) {
    throw new DockerfileReadError(
      `The Dockerfile has ${dockerfile.stages.length} stages, and the generated one has two (builder and runtime). Merge the extra stages or keep the Dockerfile out of adoption by moving it away, then run adopt again.`,
    );
  }
  const options: InferredOptions = {};
  const runtime = dockerfile.stages[dockerfile.stages.length - 1];
  const builder =
    dockerfile.stages.length === 2 ? dockerfile.stages[0] : undefined;

  if (builder !== undefined) {
    inferImage(options, 'builder', builder, findings);
  }
  inferImage(options, 'runtime', runtime, findings);
  const venvPath = inferVenv(options, builder, runtime, findings);
  inferPythonVersion(options, builder, runtime, findings);
  if (builder !== undefined) {
    inferBuilderSteps(options, builder, findings);
  }
  inferRuntimePackages(options, runtime, findings);
  const linkInstruction = inferConsoleScripts(
    options,
    runtime,
    venvPath,
    declaredScripts,
    findings,
  );
  inferUser(options, runtime, findings);
  inferCommand(options, runtime, findings);

  if (builder === undefined) {
    findings.note(
      'Dockerfile',
      `it has one stage, so the generated two-stage Dockerfile cannot keep its instruction sequence. These steps are not carried over; compare them with the backup: ${runtime.instructions.map((i) => `${i.keyword} ${normalizeArguments(i.keyword, i.arguments)}`).join(' | ') || 'none'}.`,
    );
  }
  return { options, keepsSequence: builder !== undefined, linkInstruction };
}

function inferImage(
  options: InferredOptions,
  role: 'builder' | 'runtime',
  stage: OldStage,
  findings: FindingList,
): void {
  const source = `Dockerfile:${stage.line}`;
  const image = stage.imageDigest
    ? stage.image.slice(0, stage.image.lastIndexOf('@'))
    : stage.image;
  options[`${role}Image`] = image;
  findings.inferred(`${role}Image`, image, source);
  if (stage.imageDigest) {
    options[`${role}ImageDigest`] = stage.imageDigest;
    findings.inferred(`${role}ImageDigest`, stage.imageDigest, source);
  }
  if (stage.name) {
    options[`${role}StageName`] = stage.name;
    findings.inferred(`${role}StageName`, stage.name, source);
  } else if (role === 'runtime') {
    findings.defaulted(
      'runtimeStageName',
      'the stage has no name, so it is named "api"',
    );
  }
}

function inferVenv(
  options: InferredOptions,
  builder: OldStage | undefined,
  runtime: OldStage,
  findings: FindingList,
): string | undefined {
  for (const instruction of builder?.instructions ?? []) {
    const match = VENV_PATTERN.exec(runArguments(instruction) ?? '');
    if (match) {
      options.venvPath = match[2];
      findings.inferred('venvPath', match[2], `Dockerfile:${instruction.line}`);
      return match[2];
    }
  }
  for (const instruction of runtime.instructions) {
    const match = /^--from=\S+ (\/\S+) (\S+)$/.exec(
      instruction.keyword === 'COPY'
        ? normalizeArguments('COPY', instruction.arguments)
        : '',
    );
    if (match && match[1].replace(/\/$/, '') === match[2].replace(/\/$/, '')) {
      options.venvPath = match[1];
      findings.inferred('venvPath', match[1], `Dockerfile:${instruction.line}`);
      return match[1];
    }
  }
  findings.defaulted(
    'venvPath',
    'no "python -m venv" or "COPY --from" of a venv found, so /usr/share/python3/app is used',
  );
  return undefined;
}

function inferPythonVersion(
  options: InferredOptions,
  builder: OldStage | undefined,
  runtime: OldStage,
  findings: FindingList,
): void {
  for (const instruction of builder?.instructions ?? []) {
    const match = VENV_PATTERN.exec(runArguments(instruction) ?? '');
    if (match?.[1]?.includes('.')) {
      options.pythonVersion = match[1];
      findings.inferred(
        'pythonVersion',
        match[1],
        `Dockerfile:${instruction.line}`,
      );
      return;
    }
  }
  const tagged = VERSION_TAG_PATTERN.exec(runtime.imageTag ?? '');
  if (tagged) {
    options.pythonVersion = tagged[1];
    findings.inferred(
      'pythonVersion',
      tagged[1],
      `the image tag at Dockerfile:${runtime.line}`,
    );
    return;
  }
  findings.defaulted(
    'pythonVersion',
    'neither "pythonX.Y -m venv" nor a runtime image tag such as 3.12 names it, so 3.12 is used',
  );
}

function inferBuilderSteps(
  options: InferredOptions,
  builder: OldStage,
  findings: FindingList,
): void {
  const upgrade = builder.instructions.find((instruction) =>
    /\/bin\/pip install -U pip$/.test(runArguments(instruction) ?? ''),
  );
  options.upgradePip = upgrade !== undefined;
  findings.inferred(
    'upgradePip',
    options.upgradePip,
    upgrade
      ? `Dockerfile:${upgrade.line}`
      : 'the builder stage, which has no "pip install -U pip"',
  );

  for (const instruction of builder.instructions) {
    const args = normalizeArguments(instruction.keyword, instruction.arguments);
    const index = /^PIP_INDEX_URL=(\S+)$/.exec(args);
    if (instruction.keyword === 'ARG' && index) {
      options.pipIndexUrl = index[1];
      findings.inferred(
        'pipIndexUrl',
        index[1],
        `Dockerfile:${instruction.line}`,
      );
    }
    const requirements = /^(\S+\.txt) \/mnt\/$/.exec(args);
    if (instruction.keyword === 'COPY' && requirements) {
      options.requirementsFile = requirements[1];
      findings.inferred(
        'requirementsFile',
        requirements[1],
        `Dockerfile:${instruction.line}`,
      );
    }
  }
}

/**
 * Maps an apt step to `runtimePackages` only where the recipe would put it
 * (right before the venv is copied) and in the recipe's exact form, so the
 * instruction sequence stays the same. Any other apt step is kept through
 * the escape hatch instead.
 */
function inferRuntimePackages(
  options: InferredOptions,
  runtime: OldStage,
  findings: FindingList,
): void {
  const copyIndex = runtime.instructions.findIndex(
    (instruction) =>
      instruction.keyword === 'COPY' && /^--from=/.test(instruction.arguments),
  );
  if (copyIndex < 1) {
    return;
  }
  const candidate = runtime.instructions[copyIndex - 1];
  const match = APT_PATTERN.exec(runArguments(candidate) ?? '');
  if (match) {
    options.runtimePackages = match[1].trim().split(' ');
    findings.inferred(
      'runtimePackages',
      options.runtimePackages,
      `Dockerfile:${candidate.line}`,
    );
  }
}

function inferConsoleScripts(
  options: InferredOptions,
  runtime: OldStage,
  venvPath: string | undefined,
  declaredScripts: readonly string[],
  findings: FindingList,
): OldInstruction | undefined {
  for (const instruction of runtime.instructions) {
    const sources = linkSources(runArguments(instruction) ?? '', venvPath);
    if (sources === undefined) {
      continue;
    }
    const source = `Dockerfile:${instruction.line}`;
    const scripts: string[] = [];
    for (const pattern of sources) {
      if (!/[*?[]/.test(pattern)) {
        scripts.push(pattern);
        continue;
      }
      const regex = globToRegExp(pattern);
      const matched = declaredScripts.filter((script) => regex.test(script));
      if (matched.length === 0) {
        findings.note(
          'consoleScripts',
          `the glob ${pattern} at ${source} matches none of the declared console scripts (${declaredScripts.join(', ') || 'none'}), so it links nothing that adoption can name`,
        );
      }
      scripts.push(...matched);
    }
    const unique = [...new Set(scripts)];
    if (unique.length === 0) {
      return undefined;
    }
    options.consoleScripts = unique;
    findings.inferred(
      'consoleScripts',
      unique,
      sources.some((p) => /[*?[]/.test(p))
        ? `${source}, the glob expanded against the declared console scripts`
        : source,
    );
    return instruction;
  }
  if (declaredScripts.length > 0) {
    options.consoleScripts = [...declaredScripts];
    findings.inferred(
      'consoleScripts',
      declaredScripts,
      "the package's entry points (the Dockerfile links none)",
    );
  }
  return undefined;
}

/**
 * Returns the script names or globs that `ln -s... <venv>/bin/<x> ...
 * /usr/local/bin/` links, or undefined when the command is not such a link.
 */
function linkSources(
  args: string,
  venvPath: string | undefined,
): string[] | undefined {
  const match = /^ln -s[a-z]* (.+) \/usr\/local\/bin\/?$/.exec(args);
  if (!match) {
    return undefined;
  }
  const names: string[] = [];
  for (const source of match[1].split(' ')) {
    const bin = /^(\/\S+)\/bin\/([^/]+)$/.exec(source);
    if (!bin || (venvPath !== undefined && bin[1] !== venvPath)) {
      return undefined;
    }
    names.push(bin[2]);
  }
  return names;
}

function inferUser(
  options: InferredOptions,
  runtime: OldStage,
  findings: FindingList,
): void {
  const user = [...runtime.instructions]
    .reverse()
    .find((instruction) => instruction.keyword === 'USER');
  const name = user?.arguments.split(':')[0].trim();
  if (user === undefined || name === 'root' || name === '0') {
    options.nonRootUser = false;
    findings.inferred(
      'nonRootUser',
      false,
      'the runtime stage, which runs as root; set nonRootUser to true to run the service as an unprivileged user',
    );
    return;
  }
  options.nonRootUser = true;
  options.runtimeUser = name;
  findings.inferred('runtimeUser', name, `Dockerfile:${user.line}`);
}

function inferCommand(
  options: InferredOptions,
  runtime: OldStage,
  findings: FindingList,
): void {
  const command = [...runtime.instructions]
    .reverse()
    .find((instruction) => instruction.keyword === 'CMD');
  if (command === undefined) {
    findings.defaulted(
      'defaultCommand',
      'the Dockerfile has no CMD, so the first console script is used',
    );
    return;
  }
  const normalized = normalizeArguments('CMD', command.arguments);
  let words: string[];
  if (normalized.startsWith('[')) {
    try {
      words = (JSON.parse(normalized) as unknown[]).map(String);
    } catch {
      words = normalized.split(' ');
    }
  } else {
    words = normalized.split(' ');
    findings.note(
      'defaultCommand',
      `CMD at Dockerfile:${command.line} is in shell form; it is kept as written, and the words are split on spaces for the options`,
    );
  }
  const [first, ...rest] = words;
  if (!first) {
    return;
  }
  const source = `Dockerfile:${command.line}`;
  options.defaultCommand = first;
  findings.inferred('defaultCommand', first, source);
  if (rest.length > 0) {
    options.defaultCommandArgs = rest;
    findings.inferred('defaultCommandArgs', rest, source);
  }
}

/** Returns a RUN instruction's arguments on one line, else undefined. */
function runArguments(instruction: OldInstruction): string | undefined {
  return instruction.keyword === 'RUN'
    ? normalizeArguments('RUN', instruction.arguments)
    : undefined;
}

/** Converts a shell glob (`*`, `?`, `[...]`) to an anchored regular expression. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[' || char === ']' || char === '-') source += char;
    else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
