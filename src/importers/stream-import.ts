import type { ImportResult } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import { ImportAccumulator, importBytes, isGzip, looksLikeJson } from './import-input.ts'
import type { ImporterSet, InputImport } from './import-input.ts'
import type { StreamImportReader, TraceImporter } from './importer.ts'
import { concatBytes, JsonStreamSplitter, JsonValueBuilder } from './stream-json.ts'
import type { JsonEventReader, JsonStreamHandler } from './stream-json.ts'

/**
 * Imports an input read as a stream of bytes, for files too large to be one string (V8's limit
 * is about 512 MB) or to be parsed into one object tree: gzip is undone on the fly, JSON lines
 * are imported line by line, and a large single document (Jaeger `{"data":[…]}`, a Zipkin span
 * array, OTLP `{"resourceSpans":[…]}`) is split by `JsonStreamSplitter` and read span by span by
 * its importer's stream reader. The result equals `importBytes` on the same bytes.
 */

export interface StreamImportOptions {
  /** Bytes of the input (compressed, for gzip) read so far. */
  readonly onBytes?: (bytes: number) => void
  /** A top-level JSON value up to this size is parsed whole (default 4 MB). */
  readonly wholeDocumentLimitBytes?: number
  /** Characters handed to the splitter at once (default 4 Mi); tests use small ones. */
  readonly chunkBytes?: number
  /**
   * Read a byte stream into one buffer, reused from chunk to chunk (see `ChunkReader`). For
   * streams made by our own code (the CLI's files): Chromium's Blob streams stall now and then
   * under such reads (1 run in 3 to 5 of a 700 MB file in Chromium 156: a read that never
   * resolves), so the app reads them as they come.
   */
  readonly reuseReadBuffer?: boolean
}

/** The splitter works on texts of about this many characters: fewer, larger scans, fewer lines cut in two. */
const CHUNK_CHARS = 4 << 20
/**
 * A byte stream is read into a buffer of this size (see `ChunkReader`). Small enough that Node's
 * `TextDecoder` gives each chunk's text as an ordinary string: from about 1 MB it makes an
 * external one, which counts as memory outside the heap too (a 1 MB buffer left Node with 21
 * full collections over a million spans, 256 KB with one).
 */
const READ_BUFFER_BYTES = 256 << 10
/** Bytes looked at to tell gzip, JSON and protobuf apart. */
const HEAD_BYTES = 4096
/** Items of a split document looked at before choosing its importer (detection samples as many). */
const DETECT_ITEMS = 10

export async function importByteStream(stream: ReadableStream<Uint8Array>, importers: ImporterSet, options: StreamImportOptions = {}): Promise<InputImport> {
  let source = new ChunkReader(stream, options.reuseReadBuffer === true, false, options.onBytes)
  try {
    let head = await source.head(HEAD_BYTES)
    // Nested gzip happens (a .gz of a .gz); two layers is plenty.
    for (let layer = 0; layer < 2 && head !== undefined && isGzip(head); layer++) {
      source = new ChunkReader(
        source.toStream().pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>),
        false,
        true,
      )
      head = await source.head(HEAD_BYTES)
    }
    if (head === undefined) throw new ImportError('empty-input', 'The input is empty.')
    if (!looksLikeJson(head)) return await importBytes(await source.readAll(), importers)
    const collector = new StreamCollector(importers)
    const splitter = new JsonStreamSplitter(
      collector,
      options.wholeDocumentLimitBytes === undefined ? {} : { wholeDocumentLimitBytes: options.wholeDocumentLimitBytes },
    )
    const chunkChars = options.chunkBytes ?? CHUNK_CHARS
    // Each chunk is decoded as it is read (a character cut between chunks is decoded whole), and
    // the texts go to the splitter about `chunkChars` at a time.
    const decoder = new TextDecoder('utf-8')
    let texts: string[] = []
    let chars = 0
    for (;;) {
      const chunk = await source.next()
      const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true })
      if (text.length > 0) {
        texts.push(text)
        chars += text.length
      }
      if (chars >= chunkChars || (chunk === undefined && chars > 0)) {
        splitter.pushText(texts.length === 1 ? (texts[0] as string) : texts.join(''))
        texts = []
        chars = 0
      }
      if (chunk === undefined) break
    }
    splitter.end()
    return collector.finish()
  } finally {
    source.release()
  }
}

/**
 * Reads a stream chunk by chunk. Asked to (`reuseReadBuffer`), it reads a byte stream with a BYOB
 * reader into one buffer, again and again: a new buffer per chunk is memory outside V8's heap,
 * and V8 answers every 64 MB or so of it with a full collection, which walks every span read so
 * far. With a million Zipkin spans those collections took over half of the CLI's 26–28 s (12.5 s
 * with one buffer). So a chunk is valid only until the next `next()`. Other streams (the app's
 * Blobs and fetch bodies, gzip's output, stdin in Node) are read as they come.
 */
class ChunkReader {
  private readonly byob: ReadableStreamBYOBReader | undefined
  private readonly plain: ReadableStreamDefaultReader<Uint8Array> | undefined
  private buffer: ArrayBuffer | undefined
  /** Bytes read by `head`, which `next` returns first. */
  private pending: Uint8Array | undefined
  private isDone = false
  private byteCount = 0
  private readonly isDecompressing: boolean
  private readonly onBytes: ((bytes: number) => void) | undefined

  constructor(stream: ReadableStream<Uint8Array>, shouldReuseBuffer: boolean, isDecompressing: boolean, onBytes?: (bytes: number) => void) {
    this.isDecompressing = isDecompressing
    this.onBytes = onBytes
    let byob: ReadableStreamBYOBReader | undefined
    try {
      if (shouldReuseBuffer) byob = stream.getReader({ mode: 'byob' })
    } catch {
      // Not a byte stream.
    }
    this.byob = byob
    if (byob) this.buffer = new ArrayBuffer(READ_BUFFER_BYTES)
    else this.plain = stream.getReader()
  }

  /** The next chunk, valid until the next call; undefined at the end of the stream. */
  async next(): Promise<Uint8Array | undefined> {
    const pending = this.pending
    if (pending !== undefined) {
      this.pending = undefined
      return pending
    }
    while (!this.isDone) {
      const chunk = await this.readRaw()
      if (chunk !== undefined && chunk.length > 0) {
        this.byteCount += chunk.length
        this.onBytes?.(this.byteCount)
        return chunk
      }
    }
    return undefined
  }

  /** At least the first `bytes` bytes (all of them in a shorter stream; undefined in an empty one), as a copy; `next` returns them first. */
  async head(bytes: number): Promise<Uint8Array | undefined> {
    const parts: Uint8Array[] = []
    let size = 0
    while (size < bytes) {
      const chunk = await this.next()
      if (chunk === undefined) break
      parts.push(this.owned(chunk))
      size += chunk.length
    }
    if (size === 0) return undefined
    this.pending = concatBytes(parts)
    return this.pending
  }

  /** The rest of the stream, as a stream whose chunks stay valid, for a `DecompressionStream`. */
  toStream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await this.next()
        if (chunk === undefined) controller.close()
        else controller.enqueue(this.owned(chunk))
      },
      cancel: (reason) => (this.byob ?? this.plain)?.cancel(reason),
    })
  }

  /** The rest of the stream in one array. */
  async readAll(): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) parts.push(this.owned(chunk))
    return concatBytes(parts.length === 0 ? [new Uint8Array(0)] : parts)
  }

  /** A chunk that stays valid after the next read: a copy when the buffer is reused. */
  private owned(chunk: Uint8Array): Uint8Array {
    return this.byob ? chunk.slice() : chunk
  }

  release(): void {
    ;(this.byob ?? this.plain)?.releaseLock()
  }

  private async readRaw(): Promise<Uint8Array | undefined> {
    try {
      if (this.byob) {
        const { done, value } = await this.byob.read(new Uint8Array(this.buffer as ArrayBuffer))
        // The buffer comes back (as a new object over the same memory) with the chunk in it.
        if (value !== undefined) this.buffer = value.buffer as ArrayBuffer
        if (done) this.isDone = true
        return value
      }
      const { done, value } = await (this.plain as ReadableStreamDefaultReader<Uint8Array>).read()
      if (done) this.isDone = true
      return value
    } catch (error) {
      if (!this.isDecompressing || error instanceof ImportError) throw error
      throw new ImportError('invalid-gzip', `The input starts like gzip but does not decompress: ${error instanceof Error ? error.message : String(error)}.`)
    }
  }
}

type LoggedEvent =
  | { readonly type: 'open'; readonly key: string | number | undefined; readonly kind: 'object' | 'array' }
  | { readonly type: 'member'; readonly key: string; readonly value: unknown }
  | { readonly type: 'item'; readonly index: number; readonly value: unknown }
  | { readonly type: 'close' }

function replay(event: LoggedEvent, reader: JsonEventReader): void {
  switch (event.type) {
    case 'open':
      reader.onOpen(event.key, event.kind)
      break
    case 'member':
      reader.onMember(event.key, event.value)
      break
    case 'item':
      reader.onItem(event.index, event.value)
      break
    case 'close':
      reader.onClose()
      break
  }
}

/**
 * One split document. Its first events are kept (and built into a sample document) until the
 * importer can be chosen the way `importDocuments` chooses it, by `detect`; then they are
 * replayed into that importer's stream reader, and later events go straight to it. An importer
 * without a stream reader gets the whole document, built from the events.
 */
class SplitDocument implements JsonEventReader {
  private readonly importers: ImporterSet
  private log: LoggedEvent[] | undefined = []
  private readonly builder = new JsonValueBuilder()
  private isBuilding = true
  private itemCount = 0
  private importer: TraceImporter | undefined
  private reader: StreamImportReader | undefined
  private isDetected = false

  constructor(importers: ImporterSet) {
    this.importers = importers
  }

  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void {
    if (this.reader) return this.reader.onOpen(key, kind)
    this.log?.push({ type: 'open', key, kind })
    if (this.isBuilding) this.builder.onOpen(key, kind)
  }

  onMember(key: string, value: unknown): void {
    if (this.reader) return this.reader.onMember(key, value)
    this.log?.push({ type: 'member', key, value })
    if (this.isBuilding) this.builder.onMember(key, value)
  }

  onItem(index: number, value: unknown): void {
    if (this.reader) return this.reader.onItem(index, value)
    this.log?.push({ type: 'item', index, value })
    if (this.isBuilding) this.builder.onItem(index, value)
    if (!this.isDetected && ++this.itemCount >= DETECT_ITEMS) this.detect()
  }

  onClose(): void {
    if (this.reader) return this.reader.onClose()
    this.log?.push({ type: 'close' })
    if (this.isBuilding) this.builder.onClose()
  }

  private detect(): void {
    this.isDetected = true
    const sample = this.builder.value
    this.importer = this.importers.json.find((candidate) => candidate.detect(sample))
    const reader = this.importer?.createStreamReader?.(sample)
    if (reader) {
      for (const event of this.log ?? []) replay(event, reader)
      this.reader = reader
      this.isBuilding = false
    }
    this.log = undefined
  }

  /** The importer and what it read, or the whole document when no importer accepts it. */
  finish(): { importer: TraceImporter; result: ImportResult } | { document: unknown } {
    if (!this.isDetected) {
      // A short document: it is all in the sample, and is read whole.
      this.isDetected = true
      this.log = undefined
      const document = this.builder.value
      this.importer = this.importers.json.find((candidate) => candidate.detect(document))
    }
    const importer = this.importer
    if (!importer) return { document: this.builder.value }
    if (this.reader) return { importer, result: this.reader.result() }
    return { importer, result: importer.importDocument(this.builder.value) }
  }
}

/** Receives the splitter's events and imports each document as it ends. */
class StreamCollector implements JsonStreamHandler {
  private readonly importers: ImporterSet
  private readonly accumulator: ImportAccumulator
  private current: SplitDocument | undefined

  constructor(importers: ImporterSet) {
    this.importers = importers
    this.accumulator = new ImportAccumulator(importers)
  }

  onDocument(value: unknown): void {
    this.accumulator.add(value)
  }

  onBeginDocument(): void {
    this.current = new SplitDocument(this.importers)
  }

  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void {
    this.guard(() => this.current?.onOpen(key, kind))
  }

  onMember(key: string, value: unknown): void {
    this.guard(() => this.current?.onMember(key, value))
  }

  onItem(index: number, value: unknown): void {
    this.guard(() => this.current?.onItem(index, value))
  }

  onClose(): void {
    this.guard(() => this.current?.onClose())
  }

  onEndDocument(): void {
    const current = this.current
    this.current = undefined
    if (!current) return
    const outcome = this.guard(() => current.finish())
    if ('document' in outcome) this.accumulator.skip(outcome.document)
    else this.accumulator.addResult(outcome.importer.format, outcome.result)
  }

  finish(): InputImport {
    return this.accumulator.finish()
  }

  /** Whatever the input, callers only ever see an ImportError. */
  private guard<T>(step: () => T): T {
    try {
      return step()
    } catch (error) {
      if (error instanceof ImportError) throw error
      throw new ImportError('invalid-structure', `The input could not be read: ${error instanceof Error ? error.message : 'unexpected value'}.`)
    }
  }
}

/** True when an input of this size (bytes, or compressed bytes for gzip) should be streamed. */
export function shouldStream(byteCount: number | undefined, isCompressed: boolean, thresholdBytes = STREAM_THRESHOLD_BYTES): boolean {
  if (byteCount === undefined) return true
  // gzip of trace JSON shrinks it 10–20 times.
  return isCompressed ? byteCount * 8 > thresholdBytes : byteCount > thresholdBytes
}

/**
 * Inputs above this size are streamed: 256 MB. Below it the whole text goes through the engine's
 * `JSON.parse`, which is 1.5–2 times faster than splitting the stream and parsing it span by span
 * (bench/results), and a 256 MB text with its parsed tree fits a worker's heap with room to spare.
 */
export const STREAM_THRESHOLD_BYTES = 256 * 1024 * 1024
