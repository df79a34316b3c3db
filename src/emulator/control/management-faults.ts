import { compilePathPattern } from './path-pattern';
import { Share } from './share';

/** What an injected fault does to a management call. */
export type ManagementFaultEffect =
  /**
   * Answered with this status (5xx, a permanent 4xx with `message`, or 429 with Baseten's body and Retry-After);
   * the call is not applied.
   */
  | { kind: 'error'; status: number; retryAfterSeconds: number; message?: string }
  /**
   * Answered `delayMs` late; the call is applied, so a client whose timeout is shorter gives up on a change that
   * happened. `on-arrival`: applied at once, only the answer is late (a response stuck on the way back);
   * `after-delay`: applied at the end (a backend that is slow to do the work, and does it even after the client
   * has given up, so a retry can race it).
   */
  | { kind: 'slow'; delayMs: number; apply: 'on-arrival' | 'after-delay' }
  /**
   * The connection is destroyed with no answer at all. `before-apply`: the call is lost on the way in (nothing
   * changes); `after-apply`: the change is made and the answer lost on the way out.
   */
  | { kind: 'drop'; when: 'before-apply' | 'after-apply' }
  /** Applied, then the answer is held back for `holdMs` (null: until released through the control API). */
  | { kind: 'hold'; holdMs: number | null };

export type ManagementFaultKind = ManagementFaultEffect['kind'];

/** Which management calls a fault takes, and for how long. */
export interface FaultSelection {
  /** Only calls with this method (upper case); any when absent. */
  method?: string;
  /** Only calls whose path matches this pattern (./path-pattern); any when absent. */
  path?: string;
  /** The share of matching calls picked, exactly (the 10th, 20th, ... at 0.1). @default 1 */
  rate?: number;
  /**
   * Each pick faults that call and the next `burst - 1` matching calls too (a burst of 5xx, say): a share of
   * rate × burst while bursts do not overlap. @default 1
   */
  burst?: number;
  /** Used up after faulting this many calls... */
  count?: number;
  /** ...or after this long; with neither, until cleared. @unit ms */
  durationMs?: number;
}

/** An armed fault, as the control API reports it. */
export interface ManagementFaultRule {
  id: string;
  effect: ManagementFaultEffect;
  method: string | null;
  path: string | null;
  rate: number;
  /** Consecutive matching calls faulted per pick. */
  burst: number;
  /** Calls it will still fault; null: no limit. */
  remaining: number | null;
  /** ISO 8601 time it expires; null: not by time. */
  until: string | null;
  /** Matching calls it has seen... */
  matched: number;
  /** ...and how many of them it faulted. */
  faulted: number;
}

/** The fault a call gets. */
export interface FaultDecision {
  ruleId: string;
  effect: ManagementFaultEffect;
}

interface Rule {
  view: ManagementFaultRule;
  pathRegex: RegExp | undefined;
  share: Share;
  untilMs: number | undefined;
  /** Calls still to fault in the burst under way. */
  burstLeft: number;
}

/**
 * The armed management faults. Each call is offered to the rules in the order they were added, until one takes
 * it: a rule that matches counts the call toward its share, and the first whose share picks it decides the call's
 * fault (later rules never see that call).
 */
export class ManagementFaults {
  private rules: Rule[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  add(effect: ManagementFaultEffect, selection: FaultSelection = {}): ManagementFaultRule {
    const rate = selection.rate ?? 1;
    const untilMs = selection.durationMs === undefined ? undefined : this.now() + selection.durationMs;
    const view: ManagementFaultRule = {
      id: `mf-${this.nextId++}`,
      effect,
      method: selection.method?.toUpperCase() ?? null,
      path: selection.path ?? null,
      rate,
      burst: selection.burst ?? 1,
      remaining: selection.count ?? null,
      until: untilMs === undefined ? null : new Date(untilMs).toISOString(),
      matched: 0,
      faulted: 0,
    };
    this.rules.push({
      view,
      pathRegex: selection.path === undefined ? undefined : compilePathPattern(selection.path),
      share: new Share(rate),
      untilMs,
      burstLeft: 0,
    });
    return { ...view };
  }

  /** The fault for this call, if a rule picks it. Call once per call, as it arrives: it counts. */
  take(method: string, path: string): FaultDecision | undefined {
    this.dropSpent();
    const rule = this.rules.find((r) => this.offer(r, method, path));
    if (!rule) return undefined;
    rule.view.faulted += 1;
    if (rule.view.remaining !== null) rule.view.remaining -= 1;
    return { ruleId: rule.view.id, effect: rule.view.effect };
  }

  list(): ManagementFaultRule[] {
    this.dropSpent();
    return this.rules.map((r) => ({ ...r.view }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.view.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Whether the rule takes this call: it matches, and a burst is under way or its share picks it. */
  private offer(rule: Rule, method: string, path: string): boolean {
    if (rule.view.method !== null && rule.view.method !== method.toUpperCase()) return false;
    if (rule.pathRegex && !rule.pathRegex.test(path)) return false;
    rule.view.matched += 1;
    // Every call counts toward the share, so picks keep their spacing (the 10th, 20th, ...) with or without bursts.
    const picked = rule.share.take();
    if (rule.burstLeft > 0) {
      rule.burstLeft -= 1;
      return true;
    }
    if (!picked) return false;
    rule.burstLeft = rule.view.burst - 1;
    return true;
  }

  private dropSpent(): void {
    const now = this.now();
    this.rules = this.rules.filter(
      (r) => (r.view.remaining === null || r.view.remaining > 0) && (r.untilMs === undefined || now < r.untilMs),
    );
  }
}
