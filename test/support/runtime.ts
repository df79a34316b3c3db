import { Runtime } from '@temporalio/worker';
import { testLogger } from './test-logger';

// Keep test output readable: worker warnings and errors, less those the tests provoke on purpose.
try {
  Runtime.install({ logger: testLogger });
} catch {
  // Already installed in this module registry.
}
