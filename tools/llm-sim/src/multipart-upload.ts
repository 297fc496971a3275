import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { FileStore } from './file-store';
import { OpenAiApiError } from './openai-api.error';

/** A `file` part streamed to disk, and the form's `purpose`. */
export interface ReceivedUpload {
  id: string;
  filename: string;
  purpose: string | undefined;
}

/**
 * Reads a multipart/form-data upload as a stream: the `file` part goes straight to the store's disk, cut off past
 * `maxBytes`. Anything refused leaves no file behind.
 */
export async function receiveUpload(req: IncomingMessage, store: FileStore, maxBytes: number): Promise<ReceivedUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fileSize: maxBytes } });
  } catch {
    throw OpenAiApiError.invalidRequest('Upload the file as multipart/form-data with fields file and purpose.', 'file');
  }
  const id = store.newId();
  let filename: string | undefined;
  let purpose: string | undefined;
  let tooLarge = false;
  const writes: Promise<void>[] = [];
  parser.on('field', (name, value) => {
    if (name === 'purpose') purpose = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || filename !== undefined) return void stream.resume();
    filename = info.filename || 'upload.jsonl';
    stream.once('limit', () => (tooLarge = true));
    writes.push(pipeline(stream, store.createWriter(id)));
  });
  try {
    await pipeline(req, parser);
    await Promise.all(writes);
  } catch (error) {
    await store.discard(id);
    if (error instanceof OpenAiApiError) throw error;
    throw OpenAiApiError.invalidRequest(`The multipart body could not be read: ${(error as Error).message}`, 'file');
  }
  if (filename === undefined || tooLarge) {
    await store.discard(id);
    const message = tooLarge ? `The file exceeds the limit of ${maxBytes} bytes.` : "Missing required parameter: 'file'.";
    throw OpenAiApiError.invalidRequest(message, 'file', tooLarge ? 'file_too_large' : 'missing_required_parameter');
  }
  return { id, filename, purpose };
}
