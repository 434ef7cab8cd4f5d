// Every failure, from a handler's ApiError to a socket-level parse error, answered in the v4 envelope.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redactText } from '@sluice/logging';
import { API_ERRORS, ApiError } from './api-errors.js';
import { failure } from './envelope.js';
import type { RouteTable } from './route-table.js';

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).headers(error.headers).type('application/json; charset=utf-8').send(failure(error.items));
}

/** Client mistakes keep their meaning; anything else is a 500 whose details stay in the log. */
export function installErrorHandler(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const known = toApiError(error, bodyLimitBytes);
    if (known) return sendApiError(reply, known);
    if (isRetriable(error)) {
      request.log.warn({ err: error }, 'job store unavailable');
      const code = typeof error.code === 'string' ? ` [${error.code}]` : '';
      return sendApiError(reply, new ApiError('STORE_UNAVAILABLE', `the job store is not available right now, try again${code}`, { 'retry-after': '1' }));
    }
    request.log.error({ err: error }, 'request failed');
    return sendApiError(reply, new ApiError('INTERNAL', `internal error (request ${request.id}); the API's log has the details`));
  });
}

/** Store errors say whether trying again may help (JobStoreError's `retriable`). */
function isRetriable(error: unknown): error is { code?: unknown } {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

function toApiError(error: FastifyError | ApiError, bodyLimitBytes: number): ApiError | undefined {
  if (error instanceof ApiError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('BODY_TOO_LARGE', `Request body is larger than ${bodyLimitBytes} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type is not a valid media type: send the body as JSON with Content-Type: application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('BAD_REQUEST', 'Content-Length does not match the body that was sent');
  }
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 500 ? new ApiError('BAD_REQUEST', `Invalid request: ${redactText(error.message)}`) : undefined;
}

/** 405 with Allow when the path exists for other methods, else Cloudflare's 7003. */
export function installNotFound(app: FastifyInstance, routes: RouteTable): void {
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    const methods = routes.methodsFor(path);
    if (methods.length > 0) {
      return sendApiError(reply, new ApiError('METHOD_NOT_ALLOWED', `Method ${request.method} not allowed for ${path}; allowed: ${methods.join(', ')}`, { allow: methods.join(', ') }));
    }
    return sendApiError(reply, new ApiError('NO_ROUTE', `No route for the URI: ${request.method} ${path.slice(0, 200)}`));
  });
}

/** fastify's `frameworkErrors`: a URL it cannot decode never reaches routing. */
export function frameworkErrorReply(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const apiError = error.code === 'FST_ERR_BAD_URL' ? new ApiError('BAD_REQUEST', 'The URL is not valid percent-encoding') : new ApiError('BAD_REQUEST', `Invalid request: ${redactText(error.message)}`);
  void sendApiError(reply, apiError);
}

/** Node's `clientError`: the request could not even be parsed as HTTP. Answered on the raw socket. */
export function clientErrorReply(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(failure([{ code: API_ERRORS.BAD_REQUEST.code, message: tooLarge ? 'Request headers are too large' : 'The request is not valid HTTP' }]));
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
