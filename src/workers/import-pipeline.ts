import { TraceSet } from '../model/build-traces.ts'
import type { Trace } from '../model/trace.ts'
import { ImportError } from '../importers/import-error.ts'
import { gunzip, importBytes, importDocuments, importInPieces, importText, isGzip, looksLikeJson } from '../importers/import-input.ts'
import type { ImporterSet, InputImport } from '../importers/import-input.ts'
import { hasUnsafeIntegerLiteral, parseJsonDocuments } from '../importers/parse-json.ts'
import { importByteStream, shouldStream, STREAM_THRESHOLD_BYTES } from '../importers/stream-import.ts'
import type { ImportInput, ImportProgress, ImportStage, InputResult } from './import-protocol.ts'

/**
 * The import pipeline: read → gunzip → parse → import → build, with progress. Runs inside the
 * import worker, and on the main thread when the browser has no module workers. It keeps the
 * spans of every input it has seen in a `TraceSet`, so fragments of one trace arriving in
 * several files (or several drops) merge into one trace.
 */

/** Share of one input's progress taken by each stage (the rest is importing). */
const STAGE_SPAN: Record<Exclude<ImportStage, 'building'>, readonly [number, number]> = {
  reading: [0, 0.5],
  decompressing: [0.5, 0.55],
  parsing: [0.55, 0.8],
  importing: [0.8, 1],
}
/** Share of the whole job taken by reading and importing the inputs; the rest is building. */
const INPUTS_SHARE = 0.9
/** Progress is posted at most this often, except on a change of stage. */
const PROGRESS_INTERVAL_MS = 40

export interface JobOutcome {
  readonly traces: Trace[]
  readonly results: InputResult[]
}

export interface JobCallbacks {
  readonly onProgress?: (progress: ImportProgress) => void
  readonly onInputResult?: (result: InputResult) => void
}

/**
 * Answers whether UTF-8 bytes hold an integer literal beyond 2^53 (`hasUnsafeIntegerLiteralInBytes`),
 * on another thread. The bytes are handed over: the caller must not use them again.
 */
export type UnsafeIntegerCheck = (bytes: Uint8Array) => Promise<boolean>

/** Below this, the text is checked on the parsing thread: a round trip to another costs more. */
const CHECK_ELSEWHERE_MIN_BYTES = 1 << 20

export interface ImportSessionOptions {
  /** Inputs larger than this (default 256 MB) are parsed as they are read. */
  readonly streamThresholdBytes?: number
  /**
   * Checks a file's bytes for integers beyond 2^53 on another thread while this one parses the
   * text (see `parseText`); without it, the text is checked here before it is parsed.
   */
  readonly checkUnsafeIntegers?: UnsafeIntegerCheck
}

export class ImportSession {
  private traceSet = new TraceSet()
  private readonly importers: ImporterSet
  private readonly streamThresholdBytes: number
  private readonly checkUnsafeIntegers: UnsafeIntegerCheck | undefined

  constructor(importers: ImporterSet, options: ImportSessionOptions = {}) {
    this.importers = importers
    this.streamThresholdBytes = options.streamThresholdBytes ?? STREAM_THRESHOLD_BYTES
    this.checkUnsafeIntegers = options.checkUnsafeIntegers
  }

  clear(): void {
    this.traceSet = new TraceSet()
  }

  async run(inputs: readonly ImportInput[], callbacks: JobCallbacks = {}): Promise<JobOutcome> {
    const report = throttleProgress(callbacks.onProgress)
    const results: InputResult[] = []
    const touched = new Set<string>()
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k] as ImportInput
      const onStage = (stage: Exclude<ImportStage, 'building'>, stageFraction: number) => {
        const [from, to] = STAGE_SPAN[stage]
        const inputFraction = from + (to - from) * Math.min(1, Math.max(0, stageFraction))
        report({ stage, fraction: (INPUTS_SHARE * (k + inputFraction)) / inputs.length, inputName: input.name })
      }
      const result = await this.importOne(input, onStage)
      for (const id of result.traceIds) touched.add(id)
      results.push(result)
      callbacks.onInputResult?.(result)
    }
    const ids = [...touched]
    const traces: Trace[] = []
    for (let t = 0; t < ids.length; t++) {
      report({ stage: 'building', fraction: INPUTS_SHARE + ((1 - INPUTS_SHARE) * t) / ids.length })
      const trace = this.traceSet.build(ids[t] as string)
      if (trace) traces.push(trace)
    }
    report({ stage: 'building', fraction: 1 }, true)
    return { traces, results }
  }

  private async importOne(input: ImportInput, onStage: (stage: Exclude<ImportStage, 'building'>, fraction: number) => void): Promise<InputResult> {
    let byteCount: number | undefined
    try {
      let imported: InputImport
      if (input.source.kind === 'text') {
        byteCount = input.source.text.length
        onStage('parsing', 0)
        const documents = parseJsonDocuments(input.source.text)
        onStage('importing', 0)
        imported = importDocuments(documents, this.importers)
      } else if (input.source.kind === 'blob') {
        onStage('reading', 0)
        const blob = input.source.blob
        if (
          typeof blob.stream === 'function' &&
          shouldStream(blob.size, isGzip(new Uint8Array(await blob.slice(0, 2).arrayBuffer())), this.streamThresholdBytes)
        ) {
          byteCount = blob.size
          imported = await this.importStream(blob.stream(), blob.size, onStage)
        } else {
          const bytes = await readBlob(blob, (fraction) => onStage('reading', fraction))
          byteCount = bytes.length
          imported = await this.importData(bytes, onStage)
        }
      } else {
        onStage('reading', 0)
        const response = await fetchResponse(input.source.url)
        const expectedBytes = contentLength(response)
        if (response.body && shouldStream(expectedBytes, false, this.streamThresholdBytes)) {
          let streamed = 0
          imported = await this.importStream(response.body, expectedBytes, onStage, (bytes) => (streamed = bytes))
          byteCount = streamed
        } else {
          const bytes = await readResponse(response, expectedBytes, (fraction) => onStage('reading', fraction))
          byteCount = bytes.length
          imported = await this.importData(bytes, onStage)
        }
      }
      const traceIds = this.traceSet.add(imported.spans)
      onStage('importing', 1)
      return {
        id: input.id,
        name: input.name,
        format: imported.format,
        formats: imported.formats,
        spanCount: imported.spans.length,
        byteCount,
        traceIds,
        warnings: imported.warnings,
        ...(imported.spans.length === 0 ? { error: `Found ${imported.format ?? 'trace'} data, but it holds no spans.` } : {}),
      }
    } catch (error) {
      return { id: input.id, name: input.name, formats: [], spanCount: 0, byteCount, traceIds: [], warnings: [], error: describeImportFailure(error, input) }
    }
  }

  /**
   * A large input, read as a stream and parsed as it arrives (see `importByteStream`): a file
   * over ~512 MB cannot be one string, and the text of a smaller one need not be held either.
   */
  private async importStream(
    stream: ReadableStream<Uint8Array>,
    expectedBytes: number | undefined,
    onStage: (stage: Exclude<ImportStage, 'building'>, fraction: number) => void,
    onBytes?: (bytes: number) => void,
  ): Promise<InputImport> {
    onStage('parsing', 0)
    const imported = await importByteStream(stream, this.importers, {
      onBytes: (bytes) => {
        onBytes?.(bytes)
        if (expectedBytes) onStage('parsing', bytes / expectedBytes)
      },
    })
    onStage('importing', 0)
    return imported
  }

  /** `importBytes`, split into its stages so that each can report progress. */
  private async importData(bytes: Uint8Array, onStage: (stage: Exclude<ImportStage, 'building'>, fraction: number) => void): Promise<InputImport> {
    let data = bytes
    for (let layer = 0; layer < 2 && isGzip(data); layer++) {
      onStage('decompressing', layer / 2)
      data = await gunzip(data)
    }
    if (data.length === 0) throw new ImportError('empty-input', 'The input is empty.')
    if (!looksLikeJson(data)) {
      onStage('importing', 0)
      return importBytes(data, this.importers)
    }
    onStage('parsing', 0)
    return this.importJsonText(decodeUtf8(data), data, onStage)
  }

  /**
   * The import of `text`, decoded from `bytes`. Integers beyond 2^53 need the exact reader, and
   * checking for them takes 40–80 ms per 100 MB. With a checker on another thread, the bytes go
   * there (given up) while the text is read here: a Jaeger or Zipkin document, or OTLP JSON
   * lines, from pieces of the text (`importInPieces`), any other by the engine's parser. When the check finds such an
   * integer, the text is parsed again by the exact reader (rare: such files are slow anyway).
   * The result, and any error, are those `importText` gives on its own.
   */
  private async importJsonText(
    text: string,
    bytes: Uint8Array,
    onStage: (stage: Exclude<ImportStage, 'building'>, fraction: number) => void,
  ): Promise<InputImport> {
    const check = this.checkUnsafeIntegers
    if (!check || bytes.length < CHECK_ELSEWHERE_MIN_BYTES) return importText(text, this.importers)
    // The text has its byte order mark stripped by the parser; the bytes, here.
    const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
    // If the other thread fails, the check is made here after all.
    const isUnsafe = check(hasBom ? bytes.subarray(3) : bytes).catch(() => hasUnsafeIntegerLiteral(hasBom ? text.slice(1) : text))
    const exactly = () => importDocuments(parseJsonDocuments(text, { isLossless: true }), this.importers)
    const pieces = importInPieces(text, this.importers)
    if (pieces !== undefined) return (await isUnsafe) ? exactly() : pieces
    let documents: unknown[]
    try {
      documents = parseJsonDocuments(text, { isLossless: false })
    } catch (error) {
      if (await isUnsafe) return exactly()
      throw error
    }
    if (await isUnsafe) return exactly()
    onStage('importing', 0)
    return importDocuments(documents, this.importers)
  }
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8').decode(bytes)
  } catch (error) {
    // V8 cannot hold a string of more than about 512 MB.
    if (error instanceof RangeError) {
      throw new ImportError('too-large', `The input is too large to read as text in a browser (${formatMegabytes(bytes.length)}); split it into several files.`)
    }
    throw error
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`
}

/**
 * Reads a file (below the streaming threshold) in one native call: 60 ms for 120 MB in Chromium,
 * where reading it chunk by chunk and joining the chunks took 160 ms (bench/results). A local
 * file reads faster than progress could be shown; the stage still says "reading".
 */
export async function readBlob(blob: Blob, onFraction: (fraction: number) => void): Promise<Uint8Array> {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  onFraction(1)
  return bytes
}

async function readStream(stream: ReadableStream<Uint8Array>, expectedBytes: number | undefined, onFraction: (fraction: number) => void): Promise<Uint8Array> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.length
    if (expectedBytes) onFraction(received / expectedBytes)
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const bytes = new Uint8Array(received)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}

/** Fetches a URL's body with progress; failures become sentences that say what to check. */
export async function fetchBytes(url: string, onFraction: (fraction: number) => void): Promise<Uint8Array> {
  const response = await fetchResponse(url)
  return readResponse(response, contentLength(response), onFraction)
}

/** The response of a URL whose body can be read; failures become sentences that say what to check. */
async function fetchResponse(url: string): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, { credentials: 'omit' })
  } catch {
    throw new Error(`Could not fetch ${url}: the server did not answer, or it does not allow cross-origin requests (CORS).`)
  }
  if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`)
  // A static server's single-page fallback answers any path with the app's own index.html.
  if (/^text\/html/i.test(response.headers.get('content-type') ?? ''))
    throw new Error(`Could not load ${url}: the server answered with a web page (HTML), not a trace file.`)
  return response
}

/** The body's length when the server says it. With Content-Encoding it is that of the compressed body: progress may stop short of 1. */
function contentLength(response: Response): number | undefined {
  const length = Number(response.headers.get('content-length') ?? '')
  return Number.isFinite(length) && length > 0 ? length : undefined
}

async function readResponse(response: Response, expectedBytes: number | undefined, onFraction: (fraction: number) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  return readStream(response.body, expectedBytes, onFraction)
}

/** Any failure as a sentence: an `ImportError`'s message as is, anything else named. */
export function describeImportFailure(error: unknown, input: Pick<ImportInput, 'name'>): string {
  if (error instanceof ImportError) return error.message
  if (error instanceof RangeError) return `${input.name} is too large to import in a browser (${error.message}).`
  if (error instanceof Error) return error.message.startsWith('Could not') ? error.message : `Could not import ${input.name}: ${error.message}`
  return `Could not import ${input.name}: ${String(error)}`
}

function throttleProgress(onProgress: ((progress: ImportProgress) => void) | undefined): (progress: ImportProgress, isFinal?: boolean) => void {
  let lastAtMs = -Infinity
  let lastStage: ImportStage | undefined
  return (progress, isFinal = false) => {
    if (!onProgress) return
    const nowMs = Date.now()
    if (!isFinal && progress.stage === lastStage && nowMs - lastAtMs < PROGRESS_INTERVAL_MS) return
    lastAtMs = nowMs
    lastStage = progress.stage
    onProgress(progress)
  }
}
