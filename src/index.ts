export * from './docker/dockerfile';
export * from './make/makefile';
export * from './python-service-project-options';
export * from './python-service-project';
