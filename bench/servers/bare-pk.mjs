// Baseline server for the list-api suite: a bare Fastify route doing one PostgreSQL primary-key select, with the
// same pool size as the application (10). Env: DATABASE_URL, PORT.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const ids = (await pool.query('SELECT id FROM announcements ORDER BY id LIMIT 10000')).rows.map((r) => r.id);
let n = 0;
const app = Fastify({ logger: false });
app.get('/pk', async () => {
  const id = ids[(n++ * 7919) % ids.length];
  const r = await pool.query('SELECT id, type, title, category_code, region_code, published_at FROM announcements WHERE id = $1', [id]);
  return r.rows[0];
});
app.get('/health', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => app.close().then(() => pool.end()).then(() => process.exit(0)));
