import * as path from 'node:path';
import type { Dockerfile } from './dockerfile';
import type { ServiceConfig } from '../service-config';

/**
 * Ids of the instructions that the service recipe adds, for the Dockerfile
 * component's insert, replace and remove methods.
 */
export const InstructionId = {
  PIP_INDEX: 'pip-index',
  CREATE_VENV: 'create-venv',
  UPGRADE_PIP: 'upgrade-pip',
  COPY_REQUIREMENTS: 'copy-requirements',
  INSTALL_REQUIREMENTS: 'install-requirements',
  COPY_SDIST: 'copy-sdist',
  INSTALL_PACKAGE: 'install-package',
  INSTALL_OS_PACKAGES: 'install-os-packages',
  COPY_VENV: 'copy-venv',
  LINK_SCRIPTS: 'link-scripts',
  ADD_USER: 'add-user',
  USER: 'user',
  COMMAND: 'command',
} as const;

/** The id of the build secret that contains a pip configuration file. */
export const PIP_CONFIG_SECRET_ID = 'pip-config';

const PIP_CONFIG_MOUNT = `--mount=type=secret,id=${PIP_CONFIG_SECRET_ID},target=/etc/pip.conf`;

/** The install mode of the dependency layer. */
export interface RequirementsMode {
  /** Every requirement carries `--hash`, so pip runs in hash-checking mode. */
  readonly allHashed: boolean;
}

/**
 * Adds the two stages of a Python service image to a Dockerfile.
 *
 * The builder creates a virtual environment at a fixed path, installs the
 * requirements first (so that layer stays cached while only the code
 * changes), then the package's sdist, and runs `pip check`. The runtime
 * stage copies the environment to the same path, links the console scripts
 * onto PATH and runs the default one.
 */
export function addServiceStages(
  dockerfile: Dockerfile,
  config: ServiceConfig,
  requirements: RequirementsMode = { allHashed: false },
): void {
  addBuilderStage(dockerfile, config, requirements);
  addRuntimeStage(dockerfile, config);
}

function addBuilderStage(
  dockerfile: Dockerfile,
  config: ServiceConfig,
  requirements: RequirementsMode,
): void {
  // With a pip-config secret, each step that runs pip mounts it first.
  const pip =
    (config.pipConfigSecret ? `${PIP_CONFIG_MOUNT} ` : '') +
    `${config.venvPath}/bin/pip`;
  const pipCheck = `${config.venvPath}/bin/pip check`;
  const requirementsName = path.posix.basename(config.requirementsFile);
  const stage = dockerfile.addStage({
    name: config.builderStageName,
    from: imageReference(config.builderImage, config.builderImageDigest),
    comment:
      'Builder: creates the virtual environment and installs the service into it.\nIt may carry compilers and headers, none of which reach the runtime image.',
  });

  if (config.pipIndexUrl) {
    stage.addInstruction({
      id: InstructionId.PIP_INDEX,
      keyword: 'ARG',
      arguments: `PIP_INDEX_URL=${config.pipIndexUrl}`,
      comment: 'The package index for pip; override it with --build-arg.',
    });
  }

  stage.addInstruction({
    id: InstructionId.CREATE_VENV,
    keyword: 'RUN',
    arguments: `python${config.pythonVersion} -m venv ${config.venvPath}`,
    comment: config.upgradePip
      ? 'Create the virtual environment and upgrade pip'
      : 'Create the virtual environment',
  });
  if (config.upgradePip) {
    stage.addInstruction({
      id: InstructionId.UPGRADE_PIP,
      keyword: 'RUN',
      arguments: `${pip} install -U pip`,
    });
  }

  // In hash-checking mode pip needs exact pins for everything it installs,
  // so the package itself goes in without resolving its dependencies again.
  const installRequirements = requirements.allHashed
    ? `${pip} install --require-hashes -r /mnt/${requirementsName}`
    : `${pip} install -Ur /mnt/${requirementsName}`;
  const installPackage = requirements.allHashed
    ? `${pip} install --no-deps /mnt/dist/*`
    : `${pip} install /mnt/dist/*`;

  stage.addInstruction(
    {
      id: InstructionId.COPY_REQUIREMENTS,
      keyword: 'COPY',
      arguments: `${config.requirementsFile} /mnt/`,
      comment:
        'Install the dependencies on their own first: this layer stays cached\nuntil the requirements file changes.',
    },
    {
      id: InstructionId.INSTALL_REQUIREMENTS,
      keyword: 'RUN',
      arguments: installRequirements,
    },
    {
      id: InstructionId.COPY_SDIST,
      keyword: 'COPY',
      arguments: 'dist/ /mnt/dist/',
      comment:
        'Install the package from its source distribution and fail on\ndependency conflicts.',
    },
    {
      id: InstructionId.INSTALL_PACKAGE,
      keyword: 'RUN',
      arguments: `${installPackage}\n&& ${pipCheck}`,
    },
  );
}

function addRuntimeStage(dockerfile: Dockerfile, config: ServiceConfig): void {
  const stage = dockerfile.addStage({
    name: config.runtimeStageName,
    from: imageReference(config.runtimeImage, config.runtimeImageDigest),
    comment: 'Runtime: only the interpreter and the virtual environment.',
  });

  if (config.runtimePackages.length > 0) {
    stage.addInstruction({
      id: InstructionId.INSTALL_OS_PACKAGES,
      keyword: 'RUN',
      arguments: [
        'apt-get update',
        `&& apt-get install -y --no-install-recommends ${config.runtimePackages.join(' ')}`,
        '&& rm -rf /var/lib/apt/lists/*',
      ].join('\n'),
      comment: 'Shared libraries that the installed packages link to',
    });
  }

  // The user is created before the virtual environment is copied, so that
  // this layer stays cached when only the code changes.
  if (config.nonRootUser) {
    stage.addInstruction({
      id: InstructionId.ADD_USER,
      keyword: 'RUN',
      arguments: `useradd --system --no-log-init --create-home --user-group ${config.runtimeUser}`,
      comment: 'An unprivileged user with a writable home directory',
    });
  }

  stage.addInstruction(
    {
      id: InstructionId.COPY_VENV,
      keyword: 'COPY',
      arguments: `--from=${config.builderStageName} ${config.venvPath} ${config.venvPath}`,
      comment:
        'Copy the virtual environment to the same path: its scripts start\nwith absolute paths.',
    },
    {
      id: InstructionId.LINK_SCRIPTS,
      keyword: 'RUN',
      arguments: linkScripts(config),
      comment:
        'Put the console scripts on PATH, failing on one the package lacks',
    },
  );

  if (config.nonRootUser) {
    stage.addInstruction({
      id: InstructionId.USER,
      keyword: 'USER',
      arguments: config.runtimeUser,
      comment: 'Run the service as that user',
    });
  }

  const command = [config.defaultCommand, ...config.defaultCommandArgs];
  stage.addInstruction({
    id: InstructionId.COMMAND,
    keyword: 'CMD',
    arguments: JSON.stringify(command).replace(/","/g, '", "'),
    comment: 'The command the container runs by default',
  });
}

/**
 * Renders the loop that links each console script, so that a script the
 * package does not provide fails the build instead of leaving a dangling
 * link (a shell glob that matches nothing stays literal).
 */
function linkScripts(config: ServiceConfig): string {
  const bin = `${config.venvPath}/bin`;
  return [
    `for script in ${config.consoleScripts.join(' ')}; do`,
    `if [ ! -x "${bin}/$script" ]; then echo "Console script $script not found in ${bin}: declare it in the package's entry points or remove it from consoleScripts." >&2; exit 1; fi;`,
    `ln -snf "${bin}/$script" /usr/local/bin/;`,
    'done',
  ].join('\n');
}

function imageReference(image: string, digest: string | undefined): string {
  return digest ? `${image}@${digest}` : image;
}
