// Reads a gzip batch body line by line, a block at a time, inflating only as far as the reader has got: never the whole text at once.
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** Inflated bytes per block: large enough that per-block overhead vanishes, small next to any request bound. */
const BLOCK_BYTES = 64 * 1024;

/**
 * The body's lines without their "\n" (a "\r" before it is kept), blank ones included, in blocks:
 * each array holds the lines completed by one inflated chunk (a line longer than a chunk spans
 * several). A last line without a line break counts, an empty remainder does not. Rejects (while
 * iterating) when the body is not gzip.
 */
export async function* gunzipLines(body: Buffer): AsyncGenerator<string[], void, undefined> {
  const inflate = createGunzip({ chunkSize: BLOCK_BYTES });
  inflate.end(body);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of inflate as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const block: string[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      block.push(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    if (block.length > 0) yield block;
  }
  rest += decoder.end();
  if (rest !== '') yield [rest];
}
