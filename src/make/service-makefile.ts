import type { Makefile } from './makefile';
import { VariableAssignment } from './makefile';
import { PIP_CONFIG_SECRET_ID } from '../docker/service-image';
import type { ServiceConfig } from '../service-config';

/** The user-owned makefile that the generated Makefile includes. */
export const LOCAL_MAKEFILE = 'Makefile.local';

/**
 * Python code that prints the package's version from its build backend's
 * metadata hook, so any backend and any place the version lives work. It
 * runs without build isolation, so it needs only the backend installed.
 */
const PRINT_VERSION =
  "import build.util; print(build.util.project_wheel_metadata('.', isolated=False)['Version'])";

/**
 * A shell test that prints "yes" when `upload` may move the `latest` tag, or
 * the reason it may not. Its parentheses stay balanced because make reads it
 * inside `$(shell ...)`, and `$$` is make's escape for `$`.
 */
const LATEST_CHECK = [
  'if [ "$(PUSH_LATEST)" = always ]; then echo yes;',
  'elif [ "$(PUSH_LATEST)" = never ]; then echo "PUSH_LATEST is never";',
  'elif ! printf %s "$(VERSION)" | grep -Eq \'^[0-9]+([.][0-9]+)*([.]post[0-9]+)?$$\'; then echo "$(VERSION) is a pre-release, dev or local version";',
  'elif [ -n "$$(git status --porcelain 2>/dev/null)" ]; then echo "the git tree has uncommitted changes";',
  'else echo yes; fi',
].join(' ');

/**
 * Adds the variables and targets of a Python service to a Makefile: help,
 * clean, sdist, docker, login and upload, plus an include of the
 * user-owned `Makefile.local` for the team's own targets.
 */
export function addServiceTargets(
  makefile: Makefile,
  config: ServiceConfig,
): void {
  makefile.defaultGoal = 'help';
  addVariables(makefile, config);
  makefile.addInclude(LOCAL_MAKEFILE);
  addBuildRules(makefile, config);
  addReleaseRules(makefile);
}

function addVariables(makefile: Makefile, config: ServiceConfig): void {
  const variables: Array<[string, string, string]> = [
    ['DOCKER', 'docker', 'The container tool: docker, podman or buildah'],
    ['DOCKER_BUILD_FLAGS', '', 'Extra flags for the image build'],
    ['DOCKER_PUSH_FLAGS', '', 'Extra flags for each push'],
    ['PYTHON', 'python3', 'A Python with the "build" package installed'],
    [
      'PYTHON_BUILD_FLAGS',
      '',
      'Extra flags for "python -m build", such as --no-isolation offline',
    ],
    [
      'REGISTRY',
      config.registry,
      'Registry host[:port]; empty means Docker Hub',
    ],
    [
      'NAMESPACE',
      config.registryNamespace,
      'User or organisation in the registry',
    ],
    ['IMAGE', config.imageName, 'Image repository name'],
    ['TARGET', config.runtimeStageName, 'The Dockerfile stage to build'],
    [
      'REGISTRY_IMAGE',
      '$(if $(REGISTRY),$(REGISTRY)/)$(if $(NAMESPACE),$(NAMESPACE)/)$(IMAGE)',
      'The full image name that upload pushes',
    ],
    [
      'VERSION',
      `$(eval VERSION := $$(shell $(PYTHON) -c "${PRINT_VERSION}" | sed 's/[^A-Za-z0-9_.-]/-/g' | cut -c1-128))$(VERSION)`,
      "The image tag: the package's version with characters a tag may not\ncontain (such as the + of a local version) replaced by -. It is read on\nfirst use and then kept.",
    ],
    [
      'PUSH_LATEST',
      'auto',
      'Whether upload also pushes latest: auto (only for a final release from\na clean git tree), always or never',
    ],
    ['REGISTRY_USER', '', 'User name for "make login"'],
  ];
  if (config.pipConfigSecret) {
    variables.push([
      'PIP_CONFIG',
      '$(HOME)/.config/pip/pip.conf',
      'The pip configuration (with the private index and its credentials)\nthat the build mounts as a secret; it never lands in the image',
    ]);
  }
  for (const [name, value, comment] of variables) {
    makefile.addVariable({ name, value, comment });
  }
  makefile.addVariable({
    name: 'LATEST',
    value: `$(shell ${LATEST_CHECK})`,
    assignment: VariableAssignment.RECURSIVE,
    comment: '"yes" when upload moves latest, else the reason it does not',
  });
  makefile.addVariable({
    name: 'LABELS',
    value: [
      '--label org.opencontainers.image.version=$(VERSION)',
      '--label org.opencontainers.image.revision=$(shell git rev-parse HEAD 2>/dev/null)',
      '--label org.opencontainers.image.source=$(shell git remote get-url origin 2>/dev/null)',
      '--label org.opencontainers.image.created=$(shell date -u +%Y-%m-%dT%H:%M:%SZ)',
    ].join(' \\\n\t'),
    assignment: VariableAssignment.RECURSIVE,
    comment: 'OCI labels, from the same values as the tags',
  });
}

function addBuildRules(makefile: Makefile, config: ServiceConfig): void {
  const secret = config.pipConfigSecret
    ? ` --secret id=${PIP_CONFIG_SECRET_ID},src=$(PIP_CONFIG)`
    : '';
  makefile.addRule({
    targets: ['help'],
    description: 'List the targets',
    recipe: [
      `@awk 'BEGIN {FS = ":.*## "} /^[A-Za-z0-9_.-]+:.*## / {printf "  %-16s %s\\n", $$1, $$2}' $(MAKEFILE_LIST)`,
    ],
  });
  makefile.addRule({
    targets: ['clean'],
    description: 'Remove build output',
    recipe: ['rm -rf dist build *.egg-info src/*.egg-info'],
  });
  makefile.addRule({
    targets: ['sdist'],
    description: 'Build the source distribution into dist/',
    recipe: ['rm -rf dist', '$(PYTHON) -m build --sdist $(PYTHON_BUILD_FLAGS)'],
  });
  makefile.addRule({
    targets: ['docker'],
    prerequisites: ['sdist'],
    description: `Build the image from the ${config.runtimeStageName} stage, tagged with the version`,
    recipe: [
      `$(DOCKER) build $(DOCKER_BUILD_FLAGS) $(LABELS)${secret} --target=$(TARGET) -t $(IMAGE):$(VERSION) .`,
    ],
  });
}

function addReleaseRules(makefile: Makefile): void {
  makefile.addRule({
    targets: ['login'],
    description:
      'Log in to the registry with REGISTRY_PASSWORD from the environment',
    recipe: [
      '@test -n "$$REGISTRY_PASSWORD" || { echo "Set REGISTRY_PASSWORD (and REGISTRY_USER) in the environment to log in." >&2; exit 1; }',
      '@printf \'%s\\n\' "$$REGISTRY_PASSWORD" | $(DOCKER) login --username "$(REGISTRY_USER)" --password-stdin $(REGISTRY)',
    ],
  });
  makefile.addRule({
    targets: ['upload'],
    prerequisites: ['docker'],
    description: 'Build the image, then tag and push the version and latest',
    recipe: [
      '$(DOCKER) tag $(IMAGE):$(VERSION) $(REGISTRY_IMAGE):$(VERSION)',
      '$(DOCKER) push $(DOCKER_PUSH_FLAGS) $(REGISTRY_IMAGE):$(VERSION)',
      '$(if $(filter yes,$(LATEST)),$(DOCKER) tag $(IMAGE):$(VERSION) $(REGISTRY_IMAGE):latest,@echo "Not pushing latest: $(LATEST). Set PUSH_LATEST=always to push it anyway.")',
      '$(if $(filter yes,$(LATEST)),$(DOCKER) push $(DOCKER_PUSH_FLAGS) $(REGISTRY_IMAGE):latest)',
    ],
  });
}
