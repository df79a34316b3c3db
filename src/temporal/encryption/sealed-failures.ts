import { DefaultFailureConverter } from '@temporalio/common';

/**
 * With encryption on, a failure's message and stack trace go into its encoded attributes, which the payload codec
 * seals like any payload: they carry Baseten's error text and a deployment's log lines. Loaded by path
 * (`failureConverterPath`), so the workflow sandbox gets the same converter as the worker and the clients.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
