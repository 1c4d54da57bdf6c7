/**
 * A `node --require` hook that runs `.projenrc.ts` from a compiled, cached
 * copy: `node --require projen-python-service/lib/fleet/projenrc-loader
 * .projenrc.ts`. It replaces `tsx/cjs`, which passes every module that
 * projen loads through its transform and so doubles projen's load time.
 */
import { registerTypeScript } from './typescript-extension';

registerTypeScript();
