import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends lines to a file through one preallocated buffer with synchronous writes. Encoding each line
 * straight into the buffer avoids building (and flattening) megabyte strings; memory stays flat.
 */
export class ChunkWriter {
  private readonly fd: number;
  private readonly buf: Buffer;
  private used = 0;
  private bytesOut = 0;

  constructor(path: string, size = 4 << 20) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.allocUnsafe(size);
  }

  line(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit; flush first when the worst case might not fit.
    const worst = s.length * 3 + 1;
    if (this.used + worst > this.buf.length) {
      this.flush();
      if (worst > this.buf.length) {
        this.writeAll(Buffer.from(`${s}\n`, 'utf8'));
        return;
      }
    }
    this.used += this.buf.write(s, this.used, 'utf8');
    this.buf[this.used++] = 10;
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private writeAll(bytes: Buffer): void {
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.bytesOut += bytes.length;
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytesOut;
  }
}
