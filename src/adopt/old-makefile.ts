/** A variable assignment of an existing Makefile. */
export interface MakeVariable {
  readonly kind: 'variable';
  readonly name: string;
  /** `=`, `:=`, `::=`, `?=`, `+=` or `!=`. */
  readonly operator: string;
  /** The value with line continuations joined by a space. */
  readonly value: string;
  /** The source lines, with the comment lines right above. */
  readonly lines: readonly string[];
  /** 1-based line number of the assignment. */
  readonly line: number;
}

/** A rule of an existing Makefile. */
export interface MakeRule {
  readonly kind: 'rule';
  readonly targets: readonly string[];
  readonly prerequisites: readonly string[];
  /** The recipe lines without their leading tab. */
  readonly recipe: readonly string[];
  /** The source lines, with the comment lines right above. */
  readonly lines: readonly string[];
  readonly line: number;
}

/**
 * Any other top-level text that is not a comment: conditionals, `include`,
 * `define` blocks and other directives, kept as written.
 */
export interface MakeDirective {
  readonly kind: 'directive';
  readonly lines: readonly string[];
  readonly line: number;
}

export type MakeItem = MakeVariable | MakeRule | MakeDirective;

/** An existing Makefile split into items. */
export interface OldMakefile {
  readonly items: readonly MakeItem[];
  /** Targets that a `.PHONY` rule lists. */
  readonly phony: ReadonlySet<string>;
}

const ASSIGNMENT =
  /^(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::=|:=|\?=|\+=|!=|=)\s*(.*)$/;
const RULE = /^([^:#=\t][^:#=]*?)\s*::?(?!=)\s*(.*)$/;
const BLOCK_OPENERS = /^(ifeq|ifneq|ifdef|ifndef|define)\b/;

/**
 * Splits a Makefile into variables, rules and other directives.
 *
 * NOTE: this reads only the common GNU make subset: assignments, rules
 * with tab recipes, `.PHONY` and comments. Conditional and `define` blocks
 * are kept as one directive each, without looking inside.
 */
export function parseOldMakefile(text: string): OldMakefile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const items: MakeItem[] = [];
  const phony = new Set<string>();
  let comments: string[] = [];
  let index = 0;

  while (index < lines.length) {
    const line = lines[index];
    const start = index + 1;
    if (line.trim() === '') {
      comments = [];
      index++;
      continue;
    }
    if (line.startsWith('#')) {
      comments.push(line);
      index++;
      continue;
    }

    if (BLOCK_OPENERS.test(line)) {
      const block = readBlock(lines, index);
      items.push({
        kind: 'directive',
        lines: [...comments, ...block],
        line: start,
      });
      index += block.length;
      comments = [];
      continue;
    }

    const logical = readContinued(lines, index);
    const joined = logical.map((l) => l.replace(/\\$/, '').trim()).join(' ');
    const assignment = ASSIGNMENT.exec(joined);
    const rule = assignment ? null : RULE.exec(joined);
    if (assignment) {
      items.push({
        kind: 'variable',
        name: assignment[1],
        operator: assignment[2],
        value: assignment[3].trim(),
        lines: [...comments, ...logical],
        line: start,
      });
      index += logical.length;
    } else if (rule) {
      const [prerequisitePart, inlineRecipe] = splitInlineRecipe(rule[2]);
      const targets = rule[1].split(/\s+/).filter(Boolean);
      const prerequisites = prerequisitePart
        .replace(/\s*##.*$/, '')
        .split(/\s+/)
        .filter((word) => word !== '' && word !== '|');
      let end = index + logical.length;
      const recipe = inlineRecipe ? [inlineRecipe] : [];
      while (
        end < lines.length &&
        (lines[end].startsWith('\t') || lines[end].trim() === '')
      ) {
        end++;
      }
      // Trailing blank lines belong to no rule.
      while (end > index + logical.length && lines[end - 1].trim() === '') {
        end--;
      }
      const body = lines.slice(index + logical.length, end);
      recipe.push(
        ...body.filter((l) => l.startsWith('\t')).map((l) => l.slice(1)),
      );
      if (targets.includes('.PHONY')) {
        prerequisites.forEach((name) => phony.add(name));
      } else {
        items.push({
          kind: 'rule',
          targets,
          prerequisites,
          recipe,
          lines: [...comments, ...logical, ...body],
          line: start,
        });
      }
      index = end;
    } else {
      items.push({
        kind: 'directive',
        lines: [...comments, ...logical],
        line: start,
      });
      index += logical.length;
    }
    comments = [];
  }
  return { items, phony };
}

/**
 * Expands `$(NAME)` and `${NAME}` with the variables' literal values.
 * Returns undefined when a value calls a function such as `$(shell ...)`
 * or names a variable the file does not define.
 */
export function expandVariables(
  text: string,
  makefile: OldMakefile,
  depth = 0,
): string | undefined {
  if (depth > 10) {
    return undefined;
  }
  let failed = false;
  const expanded = text.replace(
    /\$(?:\(([^()]*)\)|\{([^{}]*)\})/g,
    (_match, paren?: string, brace?: string) => {
      const name = (paren ?? brace ?? '').trim();
      const variable = findVariable(makefile, name);
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) || variable === undefined) {
        failed = true;
        return '';
      }
      const value = expandVariables(variable.value, makefile, depth + 1);
      if (value === undefined) {
        failed = true;
        return '';
      }
      return value;
    },
  );
  return failed || expanded.includes('$') ? undefined : expanded;
}

/** Finds the last assignment of a variable, the one make uses. */
export function findVariable(
  makefile: OldMakefile,
  name: string,
): MakeVariable | undefined {
  const variables = makefile.items.filter(
    (item): item is MakeVariable =>
      item.kind === 'variable' && item.name === name,
  );
  return variables[variables.length - 1];
}

/** Lists the variable names that `$(NAME)` or `${NAME}` mention in text. */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}]/g)) {
    names.add(match[1]);
  }
  return [...names];
}

function readContinued(lines: readonly string[], start: number): string[] {
  const logical = [lines[start]];
  let index = start;
  while (lines[index].endsWith('\\') && index + 1 < lines.length) {
    index++;
    logical.push(lines[index]);
  }
  return logical;
}

/** Reads a conditional or `define` block up to its matching end line. */
function readBlock(lines: readonly string[], start: number): string[] {
  const block: string[] = [];
  let depth = 0;
  for (let index = start; index < lines.length; index++) {
    const line = lines[index];
    block.push(line);
    const trimmed = line.trim();
    if (BLOCK_OPENERS.test(trimmed)) depth++;
    if (/^(endif|endef)\b/.test(trimmed)) depth--;
    if (depth === 0) break;
  }
  return block;
}

function splitInlineRecipe(rest: string): [string, string | undefined] {
  const semicolon = rest.indexOf(';');
  if (semicolon < 0) {
    return [rest, undefined];
  }
  return [rest.slice(0, semicolon), rest.slice(semicolon + 1).trim()];
}
