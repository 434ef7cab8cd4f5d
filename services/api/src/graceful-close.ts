// Draining on close. Node's server.close() closes the connections idle at that moment and waits for the others; a
// connection busy then would be kept alive after its answer and hold the server open for as long as the client keeps
// it (a load balancer: minutes). So once closing, every answer says `Connection: close` and ends its connection.
import type { FastifyInstance } from 'fastify';

export function closeConnectionsAfterAnswers(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
