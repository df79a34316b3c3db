import { z } from 'zod';

/** ActivateResponseV1 (`success` defaults to true when absent). */
export const activateResponseSchema = z.looseObject({ success: z.boolean().default(true) });
export type ActivateResponse = z.infer<typeof activateResponseSchema>;

/** DeactivateResponseV1 (`success` defaults to true when absent). */
export const deactivateResponseSchema = z.looseObject({ success: z.boolean().default(true) });
export type DeactivateResponse = z.infer<typeof deactivateResponseSchema>;

/** UpdateAutoscalingSettingsStatusV1. */
export const updateAutoscalingStatuses = z.enum(['ACCEPTED', 'QUEUED', 'UNCHANGED']);

/** UpdateAutoscalingSettingsResponseV1. */
export const updateAutoscalingSettingsResponseSchema = z.looseObject({
  status: updateAutoscalingStatuses,
  message: z.string(),
});
export type UpdateAutoscalingSettingsResponse = z.infer<typeof updateAutoscalingSettingsResponseSchema>;

/** LogLevelV1. */
export const logLevels = z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']);

/** LogV1. `timestamp` is epoch nanoseconds as a string. */
export const logLineSchema = z.looseObject({
  timestamp: z.string(),
  message: z.string(),
  replica: z.string().nullable(),
  request_id: z.string().nullish(),
  level: logLevels.nullish(),
});
export type LogLine = z.infer<typeof logLineSchema>;

/** GetLogsResponseV1. */
export const getLogsResponseSchema = z.looseObject({ logs: z.array(logLineSchema) });
export type GetLogsResponse = z.infer<typeof getLogsResponseSchema>;

/** CancelPromotionStatusV1: CANCELED at once, or RAMPING_DOWN while a rolling promotion moves traffic back. */
export const cancelPromotionStatuses = z.enum(['CANCELED', 'RAMPING_DOWN']);

/** CancelPromotionResponseV1. */
export const cancelPromotionResponseSchema = z.looseObject({
  status: cancelPromotionStatuses,
  message: z.string(),
});
export type CancelPromotionResponse = z.infer<typeof cancelPromotionResponseSchema>;

/** SignalPromotionResponseV1 (pause, resume, force cancel, force roll forward): whether the signal was taken. */
export const signalPromotionResponseSchema = z.looseObject({ success: z.boolean() });
export type SignalPromotionResponse = z.infer<typeof signalPromotionResponseSchema>;
