import { Writable } from "node:stream";

/** React's Node renderer fills views of this size before writing them (react-dom-server, VIEW_SIZE). */
const REACT_VIEW_SIZE = 2048;

/**
 * A Writable that collects a rendered page and hands it over in one Buffer when it ends.
 *
 * It also undoes a React 18 renderer bug: when a string does not fit the rest of its 2 KB view
 * and the next character takes several bytes (any Chinese character), React writes the whole
 * view, including the 1–3 bytes it left empty, so NUL bytes land in the page. In text the browser
 * drops them; in an attribute they become "�" (an article labelled "议程 1：单�元…"). A full view
 * that ends in NUL bytes is always this: pages never contain NUL (PostgreSQL text cannot hold
 * it, and JSON escapes it).
 */
export function htmlSink(onDone: (html: ReturnType<typeof Buffer.concat>) => void): Writable {
  let chunks: Buffer[] = [];
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      let end = chunk.length;
      if (end === REACT_VIEW_SIZE) while (end > 0 && chunk[end - 1] === 0) end--;
      chunks.push(end === chunk.length ? chunk : chunk.subarray(0, end));
      done();
    },
    final(done) {
      const html = Buffer.concat(chunks);
      chunks = [];
      onDone(html);
      done();
    },
  });
}
