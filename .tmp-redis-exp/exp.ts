import { Redis } from 'ioredis';
import { startRedisServer } from '/work/main/__tests__/helpers/redis-server';
async function main() {
  const srv = await startRedisServer();
  console.log('started', srv.url);
  const client = new Redis(srv.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 1000,
    retryStrategy: (t) => Math.min(t * 100, 1000) });
  client.on('error', (e) => console.log('error event', e.message));
  client.on('ready', () => console.log('ready'));
  client.on('reconnecting', (ms: number) => console.log('reconnecting', ms));
  await client.connect();
  console.log(await client.set('a', 'x', 'PX', 1000), await client.pttl('a'), await client.get('a'));
  console.log(await client.call('MEMORY', 'USAGE', 'a'));
  console.log((await client.info('memory')).split('\n').slice(0,3));
  await srv.stop();
  for (let i=0;i<3;i++){ const t=performance.now(); try { await client.get('a'); } catch(e){ console.log('get failed', (e as Error).message, (performance.now()-t).toFixed(1)); } await new Promise(r=>setTimeout(r,300)); }
  await srv.restart();
  for (let i=0;i<20;i++){ try { console.log('get', await client.get('a')); break; } catch(e){ console.log('still failing', (e as Error).message);} await new Promise(r=>setTimeout(r,200)); }
  // lazy connect failing at start
  const c2 = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, retryStrategy: (t) => Math.min(t * 100, 1000) });
  c2.on('error', (e) => console.log('c2 error', e.message));
  c2.on('reconnecting', (ms: number) => console.log('c2 reconnecting', ms));
  await c2.connect().catch((e) => console.log('c2 connect failed', e.message));
  await new Promise(r=>setTimeout(r,800));
  console.log('c2 status', c2.status);
  c2.disconnect(); client.disconnect();
  await srv.stop();
}
main();
