// The baseline: a bare Fastify hello-world with no plugins, hooks or database, run in its
// own process like the app so both pay the same process and loopback costs. Our endpoints
// are reported as a fraction of its throughput, which makes runs on different (or busy)
// machines comparable.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port, host });

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
