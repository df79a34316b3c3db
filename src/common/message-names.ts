/**
 * The wire names of the workflows' messages. The definitions live in src/workflows/messages.ts; activities and
 * operators (the Temporal UI's signal dialog, `temporal workflow signal --name rollback`) use the names.
 */
export const MessageName = {
  /** Release: progress query, approval gate updates. */
  progress: 'progress',
  approve: 'approve',
  reject: 'reject',
  /** Release during a rolling ramp: pause, resume and rollback (the watcher's names), and roll forward. */
  rollForward: 'rollForward',
  /** Watcher: state query; rollback, pause and resume updates; the plain rollback signal; supersede signal. */
  state: 'state',
  rollback: 'rollback',
  pause: 'pause',
  resume: 'resume',
  supersede: 'supersede',
} as const;
