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
  /** Bytes handed to the splitter at once (default 1 MiB); tests use small ones. */
  readonly chunkBytes?: number
}

/** The splitter works on buffers of about this size: fewer, larger decodes, fewer lines cut in two. */
const CHUNK_BYTES = 4 << 20
/** Items of a split document looked at before choosing its importer (detection samples as many). */
const DETECT_ITEMS = 10

export async function importByteStream(stream: ReadableStream<Uint8Array>, importers: ImporterSet, options: StreamImportOptions = {}): Promise<InputImport> {
  let read = 0
  const counted = options.onBytes
    ? stream.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            read += chunk.length
            options.onBytes?.(read)
            controller.enqueue(chunk)
          },
        }),
      )
    : stream
  let data = counted
  let isDecompressing = false
  // Nested gzip happens (a .gz of a .gz); two layers is plenty.
  let first = await peek(data, isDecompressing)
  for (let layer = 0; layer < 2 && first.bytes !== undefined && isGzip(first.bytes); layer++) {
    data = first.stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
    isDecompressing = true
    first = await peek(data, isDecompressing)
  }
  if (first.bytes === undefined) throw new ImportError('empty-input', 'The input is empty.')
  const reader = first.stream.getReader()
  try {
    if (!looksLikeJson(first.bytes)) return await importBytes(await readAll(reader, isDecompressing), importers)
    const collector = new StreamCollector(importers)
    const splitter = new JsonStreamSplitter(
      collector,
      options.wholeDocumentLimitBytes === undefined ? {} : { wholeDocumentLimitBytes: options.wholeDocumentLimitBytes },
    )
    const chunkBytes = options.chunkBytes ?? CHUNK_BYTES
    let pending: Uint8Array[] = []
    let pendingBytes = 0
    for (;;) {
      const { done, value } = await readChunk(reader, isDecompressing)
      if (value !== undefined && value.length > 0) {
        pending.push(value)
        pendingBytes += value.length
      }
      if (pendingBytes >= chunkBytes || (done && pendingBytes > 0)) {
        splitter.push(concatBytes(pending))
        pending = []
        pendingBytes = 0
      }
      if (done) break
    }
    splitter.end()
    return collector.finish()
  } finally {
    reader.releaseLock()
  }
}

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>, isDecompressing: boolean): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read()
  } catch (error) {
    if (!isDecompressing || error instanceof ImportError) throw error
    throw new ImportError('invalid-gzip', `The input starts like gzip but does not decompress: ${error instanceof Error ? error.message : String(error)}.`)
  }
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, isDecompressing: boolean): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for (;;) {
    const { done, value } = await readChunk(reader, isDecompressing)
    if (value !== undefined) parts.push(value)
    if (done) break
  }
  return concatBytes(parts.length === 0 ? [new Uint8Array(0)] : parts)
}

/** The first bytes of a stream (at least 4 KiB when there are that many), and the stream with them put back. */
async function peek(
  stream: ReadableStream<Uint8Array>,
  isDecompressing: boolean,
): Promise<{ bytes: Uint8Array | undefined; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader()
  const head: Uint8Array[] = []
  let size = 0
  let isDone = false
  while (size < 4096) {
    const { done, value } = await readChunk(reader, isDecompressing)
    if (value !== undefined && value.length > 0) {
      head.push(value)
      size += value.length
    }
    if (done) {
      isDone = true
      break
    }
  }
  const bytes = size === 0 ? undefined : concatBytes(head)
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes !== undefined) controller.enqueue(bytes)
      if (isDone) controller.close()
    },
    async pull(controller) {
      if (isDone) return
      const { done, value } = await readChunk(reader, isDecompressing)
      if (value !== undefined && value.length > 0) controller.enqueue(value)
      if (done) {
        isDone = true
        controller.close()
      }
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
  return { bytes, stream: rest }
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
