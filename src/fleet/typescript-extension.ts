import Module from 'node:module';
import { CompileOptions, compileTypeScript } from './projenrc-compiler';

interface CompilableModule {
  _compile(code: string, filename: string): void;
}

type ExtensionHandler = (module: CompilableModule, filename: string) => void;

/** Node's CommonJS loader table of file extensions, which is not typed. */
const extensions = (
  Module as unknown as { _extensions: Record<string, ExtensionHandler> }
)._extensions;

let compileOptions: CompileOptions = {};

/**
 * Makes `require` load `.ts` files through {@link compileTypeScript}, and
 * sets the options of later compiles. Node looks the handler up on each
 * load, so one registration serves every repository a worker synthesizes.
 */
export function registerTypeScript(options: CompileOptions = {}): void {
  compileOptions = options;
  extensions['.ts'] = (module, filename) => {
    module._compile(compileTypeScript(filename, compileOptions), filename);
  };
}
