import type { Faults } from './control/faults';
import type { RequestLog } from './control/request-log';
import type { RateLimiter } from './http/rate-limit';
import type { EmulatorService } from './lifecycle/service';
import type { ResolvedOptions } from './options';

export interface EmulatorUrls {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
}

/** What every front shares. */
export interface EmulatorContext {
  options: ResolvedOptions;
  service: EmulatorService;
  faults: Faults;
  requestLog: RequestLog;
  rateLimiter: RateLimiter;
  urls: EmulatorUrls;
}
