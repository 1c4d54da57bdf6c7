import type { FindingList } from './findings';
import type { InferredOptions } from './infer-dockerfile';
import type { MakeItem, MakeRule, OldMakefile } from './old-makefile';
import {
  expandVariables,
  findVariable,
  referencedVariables,
} from './old-makefile';

/**
 * Targets that the generated Makefile provides, under their own or an older
 * name. Old rules for these are replaced, not moved.
 */
const GENERATED_TARGETS = new Set([
  'help',
  'clean',
  'sdist',
  'docker',
  'login',
  'upload',
]);

/** Old target names that the generated Makefile renamed, and the new name. */
const RENAMED_TARGETS: Readonly<Record<string, string>> = {
  all: 'help',
  docker_build: 'docker',
  docker_upload: 'upload',
};

/** Variables that the generated Makefile defines before it includes Makefile.local. */
const GENERATED_VARIABLES = new Set([
  'DOCKER',
  'DOCKER_BUILD_FLAGS',
  'DOCKER_PUSH_FLAGS',
  'PYTHON',
  'PYTHON_BUILD_FLAGS',
  'REGISTRY',
  'NAMESPACE',
  'IMAGE',
  'TARGET',
  'REGISTRY_IMAGE',
  'VERSION',
  'PUSH_LATEST',
  'REGISTRY_USER',
  'LATEST',
  'LABELS',
]);

/**
 * Infers `imageName`, `registryNamespace` and `registry` from the old
 * Makefile's docker build and push commands, or from `PROJECT_NAME`,
 * `PROJECT_NAMESPACE`, `REGISTRY_IMAGE` and `REGISTRY`.
 */
export function inferFromMakefile(
  makefile: OldMakefile,
  options: InferredOptions,
  findings: FindingList,
): void {
  const build = commandArgument(
    makefile,
    ['docker', 'docker_build'],
    /\s(?:-t|--tag)[= ](\S+)/,
  );
  const push = commandArgument(
    makefile,
    ['upload', 'docker_upload'],
    /\bpush\s+(?:-\S+\s+)*(\S+)/,
  );
  const registryImage =
    push ??
    expandOrUndefined(
      findVariable(makefile, 'REGISTRY_IMAGE')?.value,
      makefile,
    );
  const local =
    build ??
    expandOrUndefined(findVariable(makefile, 'PROJECT_NAME')?.value, makefile);

  const parts = registryImage
    ? splitImage(withoutTag(registryImage))
    : undefined;
  const variable = (name: string) =>
    expandOrUndefined(findVariable(makefile, name)?.value, makefile);
  const inferred: Array<
    [keyof InferredOptions & string, string | undefined, string]
  > = [
    [
      'imageName',
      local ? withoutTag(local).split('/').pop() : parts?.name,
      'the Makefile names no image that can be read without running make, so the project name is used',
    ],
    [
      'registry',
      parts?.registry ?? variable('REGISTRY'),
      'none found in the Makefile, so upload pushes to Docker Hub',
    ],
    [
      'registryNamespace',
      parts?.namespace ?? variable('PROJECT_NAMESPACE'),
      'none found in the Makefile, so the image has no namespace',
    ],
  ];
  for (const [option, value, defaultReason] of inferred) {
    if (value) {
      options[option] = value as never;
      findings.inferred(option, value, 'the Makefile');
    } else {
      findings.defaulted(option, defaultReason);
    }
  }
  if (findVariable(makefile, 'VERSION') !== undefined) {
    findings.note(
      'Makefile',
      "VERSION now comes from the build backend's metadata (python -m build), with every character a tag may not contain replaced by -",
    );
  }
}

/** The user-owned part of an old Makefile, as Makefile.local text. */
export interface LocalMakefilePlan {
  /** The text to append to Makefile.local; empty when nothing moves. */
  readonly text: string;
  readonly movedTargets: readonly string[];
  readonly aliases: readonly string[];
  readonly replacedTargets: readonly string[];
}

/**
 * Collects the old Makefile's own targets (everything the generated one
 * does not provide), the variables they use and the directives, as
 * Makefile.local text, plus aliases for renamed image targets.
 */
export function planLocalMakefile(
  makefile: OldMakefile,
  backupPath: string,
  findings: FindingList,
): LocalMakefilePlan {
  const isGenerated = (target: string) =>
    GENERATED_TARGETS.has(target) || RENAMED_TARGETS[target] !== undefined;
  const kept = makefile.items.filter(
    (item): item is MakeRule =>
      item.kind === 'rule' && !item.targets.every(isGenerated),
  );
  const replaced = makefile.items
    .filter((item): item is MakeRule => item.kind === 'rule')
    .flatMap((rule) => rule.targets.filter(isGenerated));
  for (const rule of kept) {
    const generated = rule.targets.filter(isGenerated);
    if (generated.length > 0) {
      throw new Error(
        `Makefile:${rule.line}: the rule for ${rule.targets.join(' ')} mixes targets the generated Makefile provides (${generated.join(', ')}) with your own. Split it into separate rules, then run adopt again.`,
      );
    }
  }

  const variables = usedVariables(makefile, kept);
  const directives = makefile.items.filter((item) => item.kind === 'directive');
  const movedTargets = kept.flatMap((rule) => rule.targets);
  const oldNames = replaced.filter(
    (target) => RENAMED_TARGETS[target] !== undefined,
  );

  const sections: string[] = [];
  if (
    variables.length + directives.length + kept.length + oldNames.length >
    0
  ) {
    sections.push(
      [
        '# Moved from the Makefile that pyservice adopt replaced. The original',
        `# is kept in ${backupPath}.`,
        '# The generated Makefile includes this file after its own variables.',
      ].join('\n'),
    );
  }
  for (const item of [...variables, ...directives]) {
    sections.push(item.lines.join('\n'));
  }
  const phony = movedTargets.filter((target) => makefile.phony.has(target));
  if (phony.length > 0) {
    sections.push(`.PHONY: ${phony.join(' ')}`);
  }
  for (const rule of kept) {
    sections.push(rule.lines.join('\n'));
  }
  const aliases = oldNames.filter((name) => !GENERATED_TARGETS.has(name));
  if (aliases.length > 0) {
    sections.push(
      [
        '# The old names of targets that the generated Makefile renamed, so that',
        '# scripts calling them keep working.',
        `.PHONY: ${aliases.join(' ')}`,
        ...aliases.map((name) => `${name}: ${RENAMED_TARGETS[name]}`),
      ].join('\n'),
    );
  }

  for (const target of replaced) {
    const renamed = RENAMED_TARGETS[target];
    findings.note(
      'Makefile',
      renamed
        ? `target ${target} is replaced by the generated ${renamed}, and kept as an alias of it in Makefile.local`
        : `target ${target} is replaced by the generated one`,
    );
  }
  if (movedTargets.length > 0) {
    findings.note(
      'Makefile.local',
      `receives the targets ${movedTargets.join(', ')}`,
    );
  }
  if (directives.length > 0) {
    findings.note(
      'Makefile.local',
      `receives ${directives.length} directive block(s) as written (from Makefile:${directives.map((d) => d.line).join(', ')}); check them`,
    );
  }
  return {
    text: sections.length > 0 ? sections.join('\n\n') + '\n' : '',
    movedTargets,
    aliases,
    replacedTargets: replaced,
  };
}

/**
 * Lists the assignments that the kept rules use, directly or through other
 * variables, in file order, except the ones the generated Makefile defines.
 */
function usedVariables(
  makefile: OldMakefile,
  rules: readonly MakeRule[],
): MakeItem[] {
  const needed = new Set<string>();
  const pending = rules.flatMap((rule) =>
    referencedVariables(rule.lines.join('\n')),
  );
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (needed.has(name) || GENERATED_VARIABLES.has(name)) {
      continue;
    }
    needed.add(name);
    for (const item of makefile.items) {
      if (item.kind === 'variable' && item.name === name) {
        pending.push(...referencedVariables(item.value));
      }
    }
  }
  return makefile.items.filter(
    (item) => item.kind === 'variable' && needed.has(item.name),
  );
}

/** Finds the first word after a pattern in the recipe of one of the targets, expanded. */
function commandArgument(
  makefile: OldMakefile,
  targets: readonly string[],
  pattern: RegExp,
): string | undefined {
  for (const item of makefile.items) {
    if (
      item.kind !== 'rule' ||
      !item.targets.some((t) => targets.includes(t))
    ) {
      continue;
    }
    for (const line of item.recipe) {
      const match = pattern.exec(` ${line}`);
      if (match) {
        const expanded = expandVariables(withoutTag(match[1]), makefile);
        if (expanded !== undefined) {
          return expanded;
        }
      }
    }
  }
  return undefined;
}

function expandOrUndefined(
  value: string | undefined,
  makefile: OldMakefile,
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const expanded = expandVariables(value, makefile);
  return expanded === '' ? undefined : expanded;
}

/** Removes the `:tag` of an image reference, keeping a registry port. */
function withoutTag(reference: string): string {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  return colon > slash ? reference.slice(0, colon) : reference;
}

/** Splits `[registry/][namespace/]name` as Docker reads a reference. */
function splitImage(reference: string): {
  registry?: string;
  namespace?: string;
  name: string;
} {
  const parts = reference.split('/');
  const name = parts.pop()!;
  let registry: string | undefined;
  if (parts.length > 0 && /[.:]|^localhost$/.test(parts[0])) {
    registry = parts.shift();
  }
  const namespace = parts.length > 0 ? parts.join('/') : undefined;
  return { registry, namespace, name };
}
