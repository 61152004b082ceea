import type { FormatId, ImportResult } from '../model/span-record.ts'
import type { ImporterSet } from './import-input.ts'
import { splitJsonLines } from './parse-json.ts'
import type { PieceParsing } from './span-pieces.ts'
import { forEachPiece, isSpace, markNestedSpans, NOT_READ_IN_PIECES, SpanPiece } from './span-pieces.ts'
import type { StreamImportReader, TraceImporter } from './importer.ts'
import type { JsonEventReader } from './stream-json.ts'
import { walkJsonDocument } from './stream-json.ts'
import { isObject } from './values.ts'
import type { JsonObject } from './values.ts'

/** One document's import from pieces (`readInPieces` gives one per document the text holds, in order). */
export interface PiecesImport {
  readonly format: FormatId
  readonly result: ImportResult
}

/**
 * The text's import from pieces of its spans array (see `span-pieces.ts`): a Jaeger query API
 * document (`readJaegerPieces`) or an array of Zipkin v2 spans (`readArrayPieces`). Undefined
 * for any other text, or when a piece does not prove itself: the caller then parses the whole
 * text, and the result, or the error, is that parse's. The text must hold no integer beyond
 * 2^53 (the caller checks).
 */
export function readInPieces(input: string, importers: ImporterSet, pieceChars = PIECE_CHARS): PiecesImport[] | undefined {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  try {
    const one = readJaegerPieces(text, importers, pieceChars) ?? readArrayPieces(text, importers, pieceChars)
    return one === undefined ? readOtlpLines(text, importers) : [one]
  } catch (error) {
    if (error === NOT_READ_IN_PIECES) return undefined
    throw error
  }
}

/**
 * A Jaeger query API document (`{"data":[{…,"spans":[…],"processes":…}]}`, one trace, as Jaeger
 * and the Jaeger UI's "Download JSON" write it). The text before the spans array with the text
 * after it (`{"data":[{…,"spans":[` + `],"processes":…`) must parse: that proves where the
 * array starts and ends, and gives the document's other members.
 */
function readJaegerPieces(text: string, importers: ImporterSet, pieceChars: number): PiecesImport | undefined {
  const split = splitJaegerText(text)
  if (split === undefined) return undefined
  const importer = importers.json.find((candidate) => candidate.detect(split.document))
  if (importer?.format !== 'jaeger-json' || importer.createStreamReader === undefined) return undefined
  const reader = importer.createStreamReader(split.document)
  if (reader === undefined) return undefined
  walkJsonDocument(split.document, new PieceInjector(reader, split, pieceChars))
  return { format: importer.format, result: reader.result() }
}

/**
 * OTLP JSON lines (the collector's file exporter): each line is a piece, parsed and imported in
 * turn, its spans marked with their place in it (`markNestedSpans`); the lines after the first
 * are parsed skimmed (`TraceImporter.skimPiece`) unless the skimmed document is not sound. The
 * lines are those `parseJsonDocuments` splits; two or more lines that each parse are never one
 * document, so the whole parse reads them as lines too.
 */
function readOtlpLines(text: string, importers: ImporterSet): PiecesImport[] | undefined {
  const lines = splitJsonLines(text)
  if (lines === undefined) return undefined
  const imports: PiecesImport[] = []
  // The first line is parsed as it is: the format is decided from it.
  let skimmer: TraceImporter | undefined
  for (const line of lines) {
    const skimmed = skimmer?.skimPiece?.(line)
    let document = parseLine(skimmed ?? line)
    let isSkimmed = skimmed !== undefined
    if (isSkimmed && skimmer?.isSoundSkim?.(document) === false) {
      document = parseLine(line)
      isSkimmed = false
    }
    const importer = importers.json.find((candidate) => candidate.detect(document))
    if (importer?.format !== 'otlp-json') throw NOT_READ_IN_PIECES
    // Only a format that can tell a sound skim of a whole document is skimmed here.
    skimmer = importer.isSoundSkim !== undefined ? importer : undefined
    const piece = new SpanPiece(line, false, isSkimmed)
    markNestedSpans(document, piece)
    imports.push({ format: importer.format, result: importer.importDocument(document) })
    piece.endImport()
  }
  return imports
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown
  } catch {
    throw NOT_READ_IN_PIECES
  }
}

/** About 1 MB of text per piece: about a thousand spans. */
const PIECE_CHARS = 1 << 20

/** Items a format's `detect` may look at, at most (it looks at the first 10): the first pieces are read before it is asked. */
const DETECT_ITEMS = 64

/**
 * An array of Zipkin v2 spans (`[{…},{…}]`, as Zipkin's API and its UI's download write a trace).
 * The array's ends are the text's, so the pieces alone prove the text; the first pieces are
 * read before the format is decided, as from the whole array's first items.
 */
function readArrayPieces(text: string, importers: ImporterSet, pieceChars: number): PiecesImport | undefined {
  let start = 0
  while (start < text.length && isSpace(text.charCodeAt(start))) start++
  if (text.charCodeAt(start) !== 0x5b) return undefined
  start++
  // Span objects, not arrays of traces (which the whole parse walks into) nor other values.
  let first = start
  while (first < text.length && isSpace(text.charCodeAt(first))) first++
  if (text.charCodeAt(first) !== 0x7b) return undefined
  let end = text.length - 1
  while (end > start && isSpace(text.charCodeAt(end))) end--
  if (end <= start || text.charCodeAt(end) !== 0x5d) return undefined
  let reader: StreamImportReader | undefined
  let format: FormatId | undefined
  // The first pieces are parsed as they are: the format is decided from their items.
  const parsing: PieceParsing = {}
  const waiting: unknown[] = []
  let index = 0
  const decide = () => {
    // An array of arrays (traces) is walked into, not read item by item: not this reader.
    const importer = importers.json.find((candidate) => candidate.detect(waiting))
    if (importer?.format !== 'zipkin-v2' || waiting.some(Array.isArray)) throw NOT_READ_IN_PIECES
    reader = importer.createStreamReader?.(waiting)
    if (reader === undefined) throw NOT_READ_IN_PIECES
    format = importer.format
    parsing.skim = importer.skimPiece
    reader.onOpen(undefined, 'array')
    for (const item of waiting) reader.onItem(index++, item)
  }
  const onPiece = (items: unknown[]) => {
    if (reader === undefined) {
      for (const item of items) waiting.push(item)
      if (waiting.length >= DETECT_ITEMS) decide()
      return
    }
    for (const item of items) {
      if (Array.isArray(item)) throw NOT_READ_IN_PIECES
      reader.onItem(index++, item)
    }
  }
  forEachPiece(text, start, end, pieceChars, onPiece, parsing)
  if (reader === undefined) decide()
  if (reader === undefined || format === undefined) return undefined
  reader.onClose()
  return { format, result: reader.result() }
}

interface SplitText {
  readonly text: string
  /** The document with its trace's spans array empty. */
  readonly document: JsonObject
  /** The spans array's items: from `start` to `end` (its closing bracket). */
  readonly start: number
  readonly end: number
}

const HEAD = /^[ \t\n\r]*\{[ \t\n\r]*"data"[ \t\n\r]*:[ \t\n\r]*\[[ \t\n\r]*\{/
const SPANS_OPEN = '"spans":['
const SPANS_CLOSE = '],"processes":'
/** Where the spans array must open, at the latest: a trace's id and little else come before. */
const HEAD_MAX_CHARS = 4096

export function splitJaegerText(text: string): SplitText | undefined {
  if (!HEAD.test(text.slice(0, 64))) return undefined
  const open = text.indexOf(SPANS_OPEN)
  if (open === -1 || open > HEAD_MAX_CHARS) return undefined
  const start = open + SPANS_OPEN.length
  const end = text.lastIndexOf(SPANS_CLOSE)
  // One trace: no other spans array after this one's (nor a second "spans" member, which would win).
  if (end < start || text.indexOf('"spans"', end) !== -1) return undefined
  const head = text.slice(0, start)
  let document: unknown
  try {
    // The head closes as a document exactly when the array is its first trace's "spans".
    JSON.parse(`${head}]}]}`)
    document = JSON.parse(head + text.slice(end))
  } catch {
    return undefined
  }
  if (!isObject(document) || !Array.isArray(document.data) || document.data.length !== 1) return undefined
  const trace: unknown = document.data[0]
  if (!isObject(trace) || !Array.isArray(trace.spans) || trace.spans.length !== 0) return undefined
  return { text, document, start, end }
}

/**
 * Passes a walk of the document to the reader, and gives it the pieces' spans as the items of
 * its first trace's (empty) spans array, a piece at a time.
 */
class PieceInjector implements JsonEventReader {
  private readonly reader: JsonEventReader
  private readonly split: SplitText
  private readonly pieceChars: number
  /** The keys of the open containers. */
  private readonly path: (string | number | undefined)[] = []
  private isDone = false

  constructor(reader: JsonEventReader, split: SplitText, pieceChars: number) {
    this.reader = reader
    this.split = split
    this.pieceChars = pieceChars
  }

  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void {
    this.reader.onOpen(key, kind)
    this.path.push(key)
    const [, data, trace, spans] = this.path
    if (this.isDone || this.path.length !== 4 || data !== 'data' || trace !== 0 || spans !== 'spans' || kind !== 'array') return
    this.isDone = true
    const { text, start, end } = this.split
    let index = 0
    forEachPiece(text, start, end, this.pieceChars, (items) => {
      for (const item of items) this.reader.onItem(index++, item)
    })
  }

  onMember(key: string, value: unknown): void {
    this.reader.onMember(key, value)
  }

  onItem(index: number, value: unknown): void {
    this.reader.onItem(index, value)
  }

  onClose(): void {
    this.path.pop()
    this.reader.onClose()
  }
}
