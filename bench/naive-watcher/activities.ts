/** What the naive watcher's activities do; the bench gives it fakes that find production healthy. */
export interface NaiveWatcherActivities {
  lookAtProduction(modelId: string): Promise<{ bad: boolean }>;
  promotePrevious(modelId: string, deploymentId: string): Promise<void>;
}

export const healthyProduction: NaiveWatcherActivities = {
  lookAtProduction: async () => ({ bad: false }),
  promotePrevious: async () => undefined,
};
