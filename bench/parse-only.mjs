// The parse-only baselines of the scan benches: large reads, split on newlines, JSON.parse of
// every line, one core. Shared by bench/scan.mjs (rates) and bench/scan-cpu.mjs (CPU).
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Parse-only passes, one core: 16 MiB reads, split on newlines, JSON.parse of every line.
 * bench:scan times both ways of decoding and takes the faster as its baseline. Decoding each line on its
 * own is the faster on traffic with some non-ASCII text: ASCII lines become one-byte strings,
 * which JSON.parse reads faster, where a decoded chunk is two-byte throughout as soon as one
 * of its lines has a non-ASCII character.
 */
export function parseOnlyChunkText(path) {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  let carry = '';
  let lines = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const last = buf.lastIndexOf(10, n - 1);
    const text = carry + buf.toString('utf8', 0, last + 1);
    carry = buf.toString('utf8', last + 1, n);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl > start) {
        JSON.parse(text.slice(start, nl));
        lines++;
      }
      start = nl + 1;
    }
  }
  if (carry.trim()) {
    JSON.parse(carry);
    lines++;
  }
  closeSync(fd);
  const c = process.cpuUsage(c0);
  return { lines, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6 };
}

export function parseOnlyLineBytes(path) {
  const fd = openSync(path, 'r');
  let buf = Buffer.allocUnsafe(16 << 20);
  let have = 0;
  let lines = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (;;) {
    // A line longer than the buffer grows it (never the case on simulated traffic).
    if (have === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
    }
    const n = readSync(fd, buf, have, buf.length - have, null);
    const end = have + n;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0 && nl < end; nl = buf.indexOf(10, start)) {
      if (nl > start) {
        JSON.parse(buf.toString('utf8', start, nl));
        lines++;
      }
      start = nl + 1;
    }
    if (n === 0) {
      if (end > start && buf.toString('utf8', start, end).trim()) {
        JSON.parse(buf.toString('utf8', start, end));
        lines++;
      }
      break;
    }
    buf.copy(buf, 0, start, end);
    have = end - start;
  }
  closeSync(fd);
  const c = process.cpuUsage(c0);
  return { lines, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6 };
}
