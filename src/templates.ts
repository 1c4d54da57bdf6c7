import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder of files that users own once they are written. */
export const TEMPLATES_DIR = path.join(__dirname, '..', 'templates');

/**
 * Reads a template file and replaces each `{{key}}` with its value.
 */
export function renderTemplate(
  relativePath: string,
  values: Readonly<Record<string, string>>,
): string {
  const text = fs.readFileSync(path.join(TEMPLATES_DIR, relativePath), 'utf8');
  return text.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new Error(
        `Template ${relativePath} uses {{${key}}}, which has no value. Add it to the values passed to renderTemplate().`,
      );
    }
    return value;
  });
}

/**
 * Lists the files under a template folder, relative to it.
 */
export function listTemplateFiles(relativeDir: string): string[] {
  const root = path.join(TEMPLATES_DIR, relativeDir);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        files.push(path.relative(root, full));
      }
    }
  };
  walk(root);
  return files.sort();
}
