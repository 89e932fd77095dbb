import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PeerLogLimiter } from './peer-log-limiter.js';

describe('PeerLogLimiter', () => {
  it('logs five warnings a minute per peer, then says how many it left out', () => {
    const lines: Array<{ peer: string; suppressed?: number; msg: string }> = [];
    let now = 0;
    const limiter = new PeerLogLimiter(pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) }), undefined, () => now);
    for (let i = 0; i < 50; i++) limiter.log('10.0.0.9', {}, 'bad request');
    limiter.log('10.0.0.10', {}, 'bad request');
    expect(lines.filter((line) => line.peer === '10.0.0.9')).toHaveLength(5);
    expect(lines.filter((line) => line.peer === '10.0.0.10')).toHaveLength(1);
    now = 60_000;
    limiter.log('10.0.0.9', {}, 'bad request');
    expect(lines.filter((line) => line.peer === '10.0.0.9').slice(-2)).toEqual([
      expect.objectContaining({ suppressed: 45, msg: 'suppressed warnings about this peer' }),
      expect.objectContaining({ msg: 'bad request' }),
    ]);
  });
});

describe('PeerLogLimiter under many addresses', () => {
  it('does not reset a window to make room: past 1,000 live peers, new ones are not logged until windows end', () => {
    const lines: Array<{ peer: string }> = [];
    let now = 0;
    const limiter = new PeerLogLimiter(pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) }), undefined, () => now);
    for (let i = 0; i < 1000; i++) limiter.log(`10.1.${i >> 8}.${i & 255}`, {}, 'bad request');
    limiter.log('10.9.9.9', {}, 'bad request');
    limiter.log('10.1.0.0', {}, 'bad request'); // the oldest one: still counted in its window, not reset
    expect(lines.filter((line) => line.peer === '10.9.9.9')).toHaveLength(0);
    now = 60_000;
    limiter.log('10.9.9.9', {}, 'bad request');
    expect(lines.filter((line) => line.peer === '10.9.9.9')).toHaveLength(1);
  });
});
