export {
  PythonRuntime,
  PYTHON_BOOTSTRAP,
  PYTHON_RUNTIMES,
  type PythonRuntimeOptions,
} from './python-runtime';
export { ProvidedRuntime, PROVIDED_RUNTIMES } from './provided-runtime';
export { ProcessInstance, type ProcessSpec } from './process-instance';
export { RuntimeApiServer, type RuntimeAnswer, type RuntimeApiHooks } from './runtime-api-server';
