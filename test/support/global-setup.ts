import type { TestProject } from 'vitest/node' with {
  'resolution-mode': 'import',
};

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
  }
}

/**
 * Gives the run an id, so that work shared by test files (packing the
 * package, for one) happens once per run.
 */
export default function setup(project: TestProject): void {
  project.provide('runId', `${process.pid}-${Date.now()}`);
}
