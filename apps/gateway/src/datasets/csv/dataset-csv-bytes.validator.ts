import { Transform, TransformCallback } from 'node:stream';

import { DatasetCsvError, DatasetCsvErrorCode } from './dataset-csv.error';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const MEBIBYTE = 1024 * 1024;
const numberFormat = new Intl.NumberFormat('en-US');

/**
 * Passes the uploaded bytes through unchanged, failing as soon as they exceed the size limit
 * or cannot be UTF-8 text (CSV or JSONL: `format` only words the messages), so nothing after the first bad byte is parsed.
 */
export class DatasetCsvBytesValidator extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytesSeen = 0;
  private line = 1;
  private previousByte = -1;
  // The last (at most 3) bytes before the current chunk: a failing chunk may start inside a character.
  private tail: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly maxBytes: number,
    private readonly format: 'CSV' | 'JSONL' = 'CSV',
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const allowed = Math.max(0, this.maxBytes - this.bytesSeen);
      const accepted = chunk.length > allowed ? chunk.subarray(0, allowed) : chunk;
      this.inspect(accepted);
      if (accepted.length < chunk.length) {
        throw tooLargeError(this.maxBytes);
      }
      callback(null, chunk);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.decode();
      callback();
    } catch {
      const truncatedCharStart = this.bytesSeen - incompleteSequenceLength(this.tail);
      callback(notUtf8Error(truncatedCharStart, this.line, undefined, this.format));
    }
  }

  private inspect(bytes: Uint8Array): void {
    const controlAt = bytes.findIndex(isDisallowedControlByte);
    const invalidAt = this.findInvalidUtf8(bytes);
    if (controlAt !== -1 && (invalidAt === null || controlAt <= invalidAt)) {
      const line = this.lineAfter(bytes.subarray(0, controlAt));
      throw binaryContentError(bytes[controlAt], this.bytesSeen + controlAt, line, this.format);
    }
    if (invalidAt !== null) {
      // An invalid character may start in the previous chunk; its bytes hold no line break.
      const line = this.lineAfter(bytes.subarray(0, Math.max(0, invalidAt)));
      throw notUtf8Error(this.bytesSeen + invalidAt, line, bytes[invalidAt], this.format);
    }
    this.advance(bytes);
  }

  /** Where the first invalid character starts in `bytes`; negative when it started in an earlier chunk, null when valid. */
  private findInvalidUtf8(bytes: Uint8Array): number | null {
    try {
      this.decoder.decode(bytes, { stream: true });
      return null;
    } catch {
      // The fatal decoder does not say where it failed: replay from the last character boundary.
      const probe = new TextDecoder('utf-8', { fatal: true });
      probe.decode(this.tail.subarray(this.tail.length - incompleteSequenceLength(this.tail)), { stream: true });
      for (let index = 0; index < bytes.length; index++) {
        try {
          probe.decode(bytes.subarray(index, index + 1), { stream: true });
        } catch {
          return index - incompleteSequenceLength(lastThreeBytes(this.tail, bytes.subarray(0, index)));
        }
      }
      return 0; // Not reached: the probe replays exactly the bytes the decoder just rejected.
    }
  }

  private advance(bytes: Uint8Array): void {
    if (bytes.length === 0) {
      return;
    }
    this.line = this.lineAfter(bytes);
    this.previousByte = bytes[bytes.length - 1];
    this.bytesSeen += bytes.length;
    this.tail = lastThreeBytes(this.tail, bytes);
  }

  /** The line number after `bytes`; CRLF, LF and a lone CR each end one line. */
  private lineAfter(bytes: Uint8Array): number {
    let line = this.line;
    let previous = this.previousByte;
    for (const byte of bytes) {
      if (byte === CR || (byte === LF && previous !== CR)) {
        line++;
      }
      previous = byte;
    }
    return line;
  }
}

function isDisallowedControlByte(byte: number): boolean {
  return byte < 0x20 && byte !== TAB && byte !== LF && byte !== CR;
}

function lastThreeBytes(before: Uint8Array, bytes: Uint8Array): Uint8Array {
  const recent = new Uint8Array(before.length + Math.min(bytes.length, 3));
  recent.set(before);
  recent.set(bytes.subarray(Math.max(0, bytes.length - 3)), before.length);
  return recent.subarray(Math.max(0, recent.length - 3));
}

/** How many bytes at the end of `tail` start a character that is not complete yet. */
function incompleteSequenceLength(tail: Uint8Array): number {
  for (let start = tail.length - 1; start >= 0; start--) {
    const byte = tail[start];
    if ((byte & 0xc0) === 0x80) {
      continue;
    }
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    const present = tail.length - start;
    return present < needed ? present : 0;
  }
  return 0;
}

function binaryContentError(byte: number, offset: number, line: number, format: string): DatasetCsvError {
  const what = byte === 0 ? 'a NUL byte' : `a control character (0x${byte.toString(16).padStart(2, '0')})`;
  return new DatasetCsvError(
    DatasetCsvErrorCode.BinaryContent,
    `The file looks like a binary file, not ${format} text: it contains ${what} at byte offset ${offset} (line ${line}). ` +
      `Upload the dataset as a plain-text ${format} file.`,
    { line },
  );
}

function notUtf8Error(offset: number, line: number, byte: number | undefined, format: string): DatasetCsvError {
  // 0xFF and 0xFE never occur in UTF-8; at the very start they are a UTF-16 byte order mark.
  const looksUtf16 = offset === 0 && (byte === 0xff || byte === 0xfe);
  const problem = looksUtf16
    ? 'The file appears to be UTF-16 encoded, not UTF-8.'
    : `The file is not valid UTF-8 text: invalid byte sequence near byte offset ${offset} (line ${line}).`;
  return new DatasetCsvError(
    DatasetCsvErrorCode.NotUtf8,
    `${problem} Save it with UTF-8 encoding${format === 'CSV' ? ' (in Excel: "CSV UTF-8")' : ''} and upload it again.`,
    { line },
  );
}

function tooLargeError(maxBytes: number): DatasetCsvError {
  const bytes = `${numberFormat.format(maxBytes)} bytes`;
  const limit = maxBytes >= MEBIBYTE ? `${numberFormat.format(Math.round((maxBytes / MEBIBYTE) * 100) / 100)} MB (${bytes})` : bytes;
  return new DatasetCsvError(
    DatasetCsvErrorCode.TooLarge,
    `The file is larger than the ${limit} limit. Split it into smaller files and upload them separately.`,
  );
}
