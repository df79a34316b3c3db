import type { Duplex } from 'node:stream';
import { managementError, reasonPhrase } from './http-error';

/**
 * Answers a request Node could not even parse (a request line or headers over Node's 16 KiB limit, a malformed
 * request) in the emulator's JSON error shape instead of Node's bare 400/431, then closes the connection.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 431
      ? 'The request line and headers exceed 16 KiB (an id or query string that long cannot be right)'
      : `Malformed HTTP request (${err.code ?? err.message})`;
  const body = JSON.stringify(managementError(status, message).body);
  socket.end(
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
