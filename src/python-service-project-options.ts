import type { ProjectOptions } from 'projen';

/**
 * Options for a Python service repository.
 *
 * Every option has a command-line switch at `projen new`: `imageName`
 * becomes `--image-name`, and array options repeat the switch.
 */
export interface PythonServiceProjectOptions extends ProjectOptions {
  /**
   * The Python import package of the service.
   *
   * @default - the project name in lowercase, with `-` and `.` as `_`
   * @example "analyzer"
   */
  readonly moduleName?: string;

  /**
   * The Python version as `MAJOR.MINOR`. The builder creates the virtual
   * environment with `python<version>`, and the default runtime image is the
   * snakepacker/python image of that version.
   *
   * @default "3.12"
   * @example "3.12"
   */
  readonly pythonVersion?: string;

  /**
   * The image of the builder stage, which needs the Python version and any
   * compilers and headers the dependencies need to build.
   *
   * @default "snakepacker/python:all"
   */
  readonly builderImage?: string;

  /**
   * The image of the runtime stage, which needs only the Python interpreter.
   *
   * @default "snakepacker/python:<pythonVersion>"
   */
  readonly runtimeImage?: string;

  /**
   * Pins the builder image to a content digest; the Dockerfile then reads
   * `FROM <builderImage>@<digest>`.
   *
   * @default - the image is used by tag only
   * @example "sha256:6e3f1b0b2f4c4f39a7d1a4e5f3e0a7b7c3b0e6f0a1b2c3d4e5f60718293a4b5c"
   */
  readonly builderImageDigest?: string;

  /**
   * Pins the runtime image to a content digest.
   *
   * @default - the image is used by tag only
   */
  readonly runtimeImageDigest?: string;

  /**
   * The name of the builder stage.
   *
   * @default "builder"
   */
  readonly builderStageName?: string;

  /**
   * The name of the runtime stage, which `make docker` builds.
   *
   * @default "api"
   */
  readonly runtimeStageName?: string;

  /**
   * The absolute path of the virtual environment. The runtime stage copies
   * it to the same path, because a virtual environment's scripts contain
   * absolute paths.
   *
   * @default "/usr/share/python3/app"
   */
  readonly venvPath?: string;

  /**
   * The package's console scripts to link onto PATH in the runtime image.
   * The build fails with a message naming a script that the package does
   * not provide.
   *
   * @default ["<name>-api"]
   */
  readonly consoleScripts?: string[];

  /**
   * The console script the container runs by default (`CMD`).
   *
   * @default - the first console script
   */
  readonly defaultCommand?: string;

  /**
   * Arguments of the default command.
   *
   * @default []
   * @example ["--port", "8080"]
   */
  readonly defaultCommandArgs?: string[];

  /**
   * The image repository name, without registry or namespace.
   *
   * @default - the project name
   * @example "analyzer"
   */
  readonly imageName?: string;

  /**
   * The registry host, with an optional port, that `make upload` pushes to.
   *
   * @default - Docker Hub
   * @example "registry.example.com:5000"
   */
  readonly registry?: string;

  /**
   * The namespace (user or organisation) of the image in the registry.
   *
   * @default - no namespace
   * @example "acme"
   */
  readonly registryNamespace?: string;

  /**
   * Whether the builder upgrades pip before installing anything. Switch it
   * off for offline builds or a private index that has no pip.
   *
   * @default true
   */
  readonly upgradePip?: boolean;

  /**
   * A package index for the builder's pip, such as a private mirror. It is
   * set as the `PIP_INDEX_URL` build argument, so `--build-arg` overrides it.
   * It must not contain credentials: pass those as a build secret.
   *
   * @default - pip's default index
   * @example "https://pypi.example.com/simple/"
   */
  readonly pipIndexUrl?: string;

  /**
   * Whether pip in the builder reads its configuration from a build secret
   * named `pip-config`, mounted at `/etc/pip.conf` for the install steps
   * only. Use it for a private index that needs credentials: the secret
   * never lands in a layer, an `ARG` or an `ENV`. `make docker` passes the
   * file named by the `PIP_CONFIG` make variable.
   *
   * @default false
   */
  readonly pipConfigSecret?: boolean;

  /**
   * The requirements file, relative to the project, that the dependency
   * layer installs. It is written once if missing and never overwritten.
   *
   * @default "requirements.txt"
   */
  readonly requirementsFile?: string;

  /**
   * Extra OS packages that the runtime stage installs with apt, such as
   * shared libraries that C extensions link to.
   *
   * @default []
   * @example ["libpq5"]
   */
  readonly runtimePackages?: string[];

  /**
   * Whether the runtime stage runs the service as a non-root user.
   *
   * @default true
   */
  readonly nonRootUser?: boolean;

  /**
   * The name of the non-root user, whose home directory is writable.
   *
   * @default "app"
   */
  readonly runtimeUser?: string;

  /**
   * Whether to generate the Makefile (and write `Makefile.local` once).
   * Switching it off removes the generated Makefile at the next synth.
   *
   * @default true
   */
  readonly makefile?: boolean;

  /**
   * Whether to write a minimal sample Python package (pyproject.toml, a
   * module and a console script) when the folder contains no Python package.
   *
   * @default true
   */
  readonly sample?: boolean;

  /**
   * npm packages the repository's package.json lists as dev dependencies,
   * beside projen, constructs, tsx and this package.
   *
   * @default []
   */
  readonly devDeps?: string[];
}
