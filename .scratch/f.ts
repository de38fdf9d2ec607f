import { readFileSync } from 'node:fs';
import { tableFromIPC, compressionRegistry, CompressionType } from 'apache-arrow';
import * as lz4 from 'lz4js';
compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (d: Uint8Array) => lz4.decompress(d) });
for (const f of ['BTCUSDT/BTC_USDT_USDT-1h-funding_rate.feather','SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather']) {
const t = tableFromIPC(readFileSync('/work/shared/market-data/funding/' + f));
console.log(t.schema.fields.map(x => `${x.name}:${x.type}`), t.numRows);
const d = t.getChild('date')!; const o = t.getChild('open')!;
console.log(d.get(0), typeof d.get(0), o.get(0), d.get(t.numRows-1), d.type.unit, (d.type as any).timezone, d.data.length, d.data[0].values.constructor.name);
}
