import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep test output readable: only worker warnings and errors.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this module registry.
}
