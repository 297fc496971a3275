// Creates the database named in DATABASE_URL when it does not exist (connecting to the server's `postgres` database).
import pg from 'pg';

const url = new URL(process.env.DATABASE_URL);
const name = decodeURIComponent(url.pathname.slice(1));
const admin = new URL(url);
admin.pathname = '/postgres';
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
if (!rowCount) {
  await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  console.log(`created database ${name}`);
}
await client.end();
