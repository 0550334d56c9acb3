/**
 * The snapshot's files as they are written: in pieces, hashed on the way (never read back whole), so a million
 * records publish in a bounded footprint — a file (`HashedFile`), a JSON array written one element at a time
 * (`JsonColumn`), an object of such arrays assembled from scratch files (`assemble`), and the digest of a file
 * read a few megabytes at a time (`digestFile`).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { FileOutput } from '../lib/files.ts';

export type Digest = { bytes: number; sha256: string };

/** A file written in pieces, hashed as it is written (never read back whole). */
export class HashedFile {
  private readonly out: FileOutput;
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingSize = 0;
  /** Bytes written so far (what is pending included). */
  bytes = 0;

  /** `scratch`: a work file, thrown away after the snapshot, so not flushed to the disk on close. */
  constructor(readonly file: string, private readonly options: { scratch?: boolean } = {}) {
    this.out = new FileOutput(file);
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingSize += text.length;
    this.bytes += Buffer.byteLength(text);
    if (this.pendingSize > 1 << 20) this.flush();
  }

  /** Appends a file's content. */
  append(file: string): void {
    this.flush();
    const fd = openSync(file, 'r');
    const chunk = Buffer.allocUnsafe(1 << 20);
    try {
      for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
        this.hash.update(chunk.subarray(0, read));
        this.out.write(chunk.subarray(0, read));
        this.bytes += read;
      }
    } finally {
      closeSync(fd);
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending.join(''));
    this.hash.update(buffer);
    this.out.write(buffer);
    this.pending = [];
    this.pendingSize = 0;
  }

  close(): Digest {
    this.flush();
    if (!this.options.scratch) this.out.sync();
    this.out.close();
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Closes without a digest (the file is being thrown away). */
  discard(): void {
    this.out.close();
  }
}

/** A JSON array written one element at a time (`[a,b,c]`, as JSON.stringify writes it). */
export class JsonColumn {
  private readonly out: HashedFile;
  private count = 0;
  constructor(file: string) {
    this.out = new HashedFile(file, { scratch: true });
  }
  push(json: string): void {
    this.out.write(this.count++ === 0 ? json : `,${json}`);
  }
  close(): string {
    this.out.close();
    return this.out.file;
  }
  discard(): void {
    this.out.discard();
  }
}

/**
 * Strings written as the content of one JSON string, one per line (the file holds `"a\nb"`; parsed, it is
 * "a", a line break, "b"): a reader splits it on line breaks. A hundred thousand ids parse several times faster
 * so than as an array of strings. No value may hold a line break.
 */
export class LinesColumn {
  private readonly out: HashedFile;
  private count = 0;
  constructor(file: string) {
    this.out = new HashedFile(file, { scratch: true });
  }
  push(value: string): void {
    if (value.includes('\n')) throw new Error(`a line of ${this.out.file} holds a line break: ${JSON.stringify(value)}`);
    const escaped = JSON.stringify(value).slice(1, -1);
    this.out.write(this.count++ === 0 ? escaped : `\\n${escaped}`);
  }
  close(): string {
    this.out.close();
    return this.out.file;
  }
  discard(): void {
    this.out.discard();
  }
}

/** A growable array of numbers. */
export class Numbers {
  values = new Float64Array(1 << 12);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
}

/** `{"name":[…],…}` + newline — JSON.stringify of an object of arrays — from one scratch file per array. */
export function assemble(file: string, arrays: readonly [name: string, column: string, kind?: 'array' | 'lines'][]): Digest {
  const out = new HashedFile(file);
  arrays.forEach(([name, column, kind = 'array'], i) => {
    const [open, close] = kind === 'lines' ? ['"', '"'] : ['[', ']'];
    out.write(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:${open}`);
    out.append(column);
    out.write(close);
  });
  out.write('}\n');
  return out.close();
}

/** The size and sha256 of a file, read a few megabytes at a time. */
export function digestFile(file: string): Digest {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 22);
  let bytes = 0;
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      hash.update(chunk.subarray(0, read));
      bytes += read;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

