import type { FormatId, ImportResult, SpanRecord, TraceWarning } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import type { BinaryTraceImporter, TraceImporter } from './importer.ts'
import { readInPieces } from './import-pieces.ts'
import { hasUnsafeIntegerLiteral, parseJsonDocuments } from './parse-json.ts'
import { isObject } from './values.ts'

export interface ImporterSet {
  /** Tried in order; the first whose `detect` accepts a document imports it. */
  readonly json: readonly TraceImporter[]
  readonly binary: readonly BinaryTraceImporter[]
}

/** What one input (a file, a pasted text, a backend response) yielded. */
export interface InputImport {
  /** The format of most spans, for display; undefined only when the input held no span. */
  readonly format: FormatId | undefined
  readonly formats: readonly FormatId[]
  readonly spans: SpanRecord[]
  readonly warnings: TraceWarning[]
}

const GZIP_MAGIC = [0x1f, 0x8b] as const

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]
}

/** Gunzips with the platform's DecompressionStream (browsers, workers and Node ≥ 18 alike). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'))
    return new Uint8Array(await new Response(stream).arrayBuffer())
  } catch (error) {
    throw new ImportError('invalid-gzip', `The input starts like gzip but does not decompress: ${error instanceof Error ? error.message : String(error)}.`)
  }
}

/** True when the first meaningful byte opens a JSON value (after an optional UTF-8 BOM). */
export function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  for (; i < bytes.length && i < 4096; i++) {
    const c = bytes[i] as number
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue
    return c === 0x7b || c === 0x5b
  }
  return false
}

/** Any input as bytes: gzip (by magic bytes, never by name) is undone, then JSON or protobuf. */
export async function importBytes(bytes: Uint8Array, importers: ImporterSet): Promise<InputImport> {
  let data = bytes
  // Nested gzip happens (a .gz of a .gz); two layers is plenty.
  for (let layer = 0; layer < 2 && isGzip(data); layer++) data = await gunzip(data)
  if (data.length === 0) throw new ImportError('empty-input', 'The input is empty.')
  if (!looksLikeJson(data)) {
    const binary = importers.binary.find((importer) => importer.detect(data))
    if (binary) {
      const result = binary.importBytes(data)
      return { format: binary.format, formats: [binary.format], spans: result.spans, warnings: result.warnings }
    }
    const text = decodeUtf8(data)
    if (!/^\s*[{[]/.test(text)) {
      throw new ImportError(
        'unknown-format',
        `Not a trace format Spanglass reads: the input is neither JSON (it starts with ${JSON.stringify(text.slice(0, 16))}) nor gzip nor ${importers.binary.map((b) => b.label).join(' / ') || 'protobuf'}. ${expectedFormats(importers)}`,
      )
    }
    return importText(text, importers)
  }
  return importText(decodeUtf8(data), importers)
}

function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes)
}

/** Text input: one or several JSON documents (JSON lines, back-to-back documents). */
export function importText(text: string, importers: ImporterSet): InputImport {
  const isLossless = hasUnsafeIntegerLiteral(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  return (isLossless ? undefined : importInPieces(text, importers)) ?? importDocuments(parseJsonDocuments(text, { isLossless }), importers)
}

/**
 * The text's import from pieces of its spans array (`readInPieces`), when it holds no integer
 * beyond 2^53 (the caller checks); undefined when it is not a document read so.
 */
export function importInPieces(text: string, importers: ImporterSet, pieceChars?: number): InputImport | undefined {
  const read = readInPieces(text, importers, pieceChars)
  if (read === undefined) return undefined
  const accumulator = new ImportAccumulator(importers)
  for (const { format, result } of read) accumulator.addResult(format, result)
  return accumulator.finish()
}

export function importDocuments(documents: readonly unknown[], importers: ImporterSet): InputImport {
  const accumulator = new ImportAccumulator(importers)
  for (const document of documents) accumulator.add(document)
  return accumulator.finish()
}

/**
 * The documents of one input, imported one at a time: whole documents (`add`), or documents
 * read by a stream reader (`addResult`). Shared by `importDocuments` and the stream importer.
 */
export class ImportAccumulator {
  private readonly importers: ImporterSet
  private spans: SpanRecord[] = []
  private readonly warnings: TraceWarning[] = []
  private readonly spansByFormat = new Map<FormatId, number>()
  private readonly skipped: string[] = []
  private documentCount = 0
  private firstUnknown: unknown

  constructor(importers: ImporterSet) {
    this.importers = importers
  }

  add(document: unknown): void {
    const importer = this.importers.json.find((candidate) => candidate.detect(document))
    if (!importer) this.skip(document)
    else this.addResult(importer.format, importer.importDocument(document))
  }

  /** A document no importer accepts. */
  skip(document: unknown): void {
    this.documentCount++
    this.skipped.push(describeDocument(document))
    if (this.firstUnknown === undefined) this.firstUnknown = document
  }

  addResult(format: FormatId, result: ImportResult): void {
    this.documentCount++
    // Most inputs are one document: its array is taken as it is (importers return fresh arrays).
    if (this.spans.length === 0) this.spans = result.spans
    else for (const span of result.spans) this.spans.push(span)
    for (const warning of result.warnings) this.warnings.push(warning)
    this.spansByFormat.set(format, (this.spansByFormat.get(format) ?? 0) + result.spans.length)
  }

  finish(): InputImport {
    const { spansByFormat, skipped, warnings, documentCount } = this
    if (spansByFormat.size === 0) {
      const what = documentCount > 1 ? `${documentCount} JSON documents, the first ${describeDocument(this.firstUnknown)}` : describeDocument(this.firstUnknown)
      throw new ImportError('unknown-format', `Not a trace format Spanglass reads: found ${what}. ${expectedFormats(this.importers)}`)
    }
    if (skipped.length > 0) {
      warnings.push({
        kind: 'skipped-document',
        message: `${skipped.length} of ${documentCount} JSON documents hold no trace data and were skipped (the first: ${skipped[0]})`,
        spanIds: [],
      })
    }
    const formats = [...spansByFormat.keys()]
    const format = [...spansByFormat.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
    return { format, formats, spans: this.spans, warnings }
  }
}

function expectedFormats(importers: ImporterSet): string {
  const list = [...importers.json, ...importers.binary].map((importer) => `${importer.label} (${importer.expects})`)
  return `Expected one of: ${list.join('; ')}.`
}

/** Shapes that are not traces but that users will drop anyway; naming them helps. */
const KNOWN_NON_TRACE_SHAPES: ReadonlyArray<[string, (value: unknown) => boolean]> = [
  ['OTLP logs', (v) => isObject(v) && ('resourceLogs' in v || 'resource_logs' in v)],
  ['OTLP metrics', (v) => isObject(v) && ('resourceMetrics' in v || 'resource_metrics' in v)],
  ['a Tempo search response (trace summaries without spans)', (v) => isObject(v) && Array.isArray(v.traces) && isObject(v.traces[0]) && 'rootServiceName' in v.traces[0]],
  ['a Jaeger trace-summaries response (no spans)', (v) => isObject(v) && Array.isArray(v.summaries)],
  ['service dependency links', (v) => Array.isArray(v) && isObject(v[0]) && 'parent' in v[0] && 'child' in v[0] && 'callCount' in v[0]],
  ['a Tempo tags response', (v) => isObject(v) && ('tagNames' in v || 'tagValues' in v || 'scopes' in v)],
]

function keyList(value: object): string {
  const keys = Object.keys(value)
  const shown = keys.slice(0, 6).map((key) => JSON.stringify(key)).join(', ')
  return keys.length === 0 ? 'no keys' : `keys ${shown}${keys.length > 6 ? `, … (${keys.length} in all)` : ''}`
}

/** "a JSON object with keys "a", "b"" — what the user gave us, in words. */
export function describeDocument(value: unknown): string {
  for (const [name, matches] of KNOWN_NON_TRACE_SHAPES) if (matches(value)) return `${name}, which is not a trace`
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty JSON array'
    const first = value[0]
    const firstText = isObject(first) ? `an object with ${keyList(first)}` : Array.isArray(first) ? 'an array' : `a ${first === null ? 'null' : typeof first}`
    return `a JSON array of ${value.length} item${value.length === 1 ? '' : 's'}, the first ${firstText}`
  }
  if (isObject(value)) return `a JSON object with ${keyList(value)}`
  return `a JSON ${value === null ? 'null' : typeof value}`
}
