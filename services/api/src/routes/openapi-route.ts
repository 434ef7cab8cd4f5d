// GET /client/v4/openapi.json: the OpenAPI document of every route, public, built once at start-up.
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';
import type { RouteSpec } from '../route-spec.js';
import type { RouteTable } from '../route-table.js';

/** Served as a plain document (not in the envelope): OpenAPI tools read it as is. */
export const OPENAPI_PATH = '/client/v4/openapi.json';

export function registerOpenApiRoute(app: FastifyInstance, routes: readonly RouteSpec[], table: RouteTable): void {
  const document = buildOpenApiDocument(routes);
  table.add('GET', OPENAPI_PATH);
  app.get(OPENAPI_PATH, (_request, reply) => reply.type('application/json; charset=utf-8').send(document));
}
