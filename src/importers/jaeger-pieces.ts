import type { FormatId, ImportResult } from '../model/span-record.ts'
import type { ImporterSet } from './import-input.ts'
import { markSpanInPiece, SpanInPiece, SpanPiece } from './jaeger.ts'
import type { JsonEventReader } from './stream-json.ts'
import { walkJsonDocument } from './stream-json.ts'
import { isObject } from './values.ts'
import type { JsonObject } from './values.ts'

/**
 * A Jaeger query API document (`{"data":[{…,"spans":[…],"processes":…}]}`, one trace, as Jaeger
 * and the Jaeger UI's "Download JSON" write it), imported from pieces of its spans array rather
 * than from one parse of the whole text.
 *
 * Why: `JSON.parse` of the whole text builds every span's tags, and they all survive the parse,
 * so the collector copies them over and over while it goes on (about a third of the import
 * worker's time on 100,000 spans). Parsed a piece at a time, a piece's tree is garbage as soon as
 * its spans are read: the records keep the piece's text (`SpanPiece`) and parse it again when
 * their details are asked for. In a bare worker, the pieces of the 100k bench file parsed in
 * 0.35–0.42 s where the whole text took 0.51–0.56 s.
 *
 * The pieces are cut where the first span's opening (`{"traceID":` …) follows a comma, about
 * every `PIECE_CHARS`, without reading the text in between: a cut proves itself when its piece
 * parses. Parsed in order from the start of the array, each piece parsing as `[…]` means it ends
 * where a span ends (a cut inside a string or a nested value would leave `[…]` unbalanced). The
 * text before the array with the text after it (`{"data":[{…,"spans":[` + `],"processes":…`)
 * must parse too, which proves where the array starts and ends and gives the other members.
 * Anything else (another shape, several traces, a piece that does not parse) gives undefined,
 * and the caller parses the whole text: the result and any error are then that parse's.
 */
export function readJaegerPieces(
  input: string,
  importers: ImporterSet,
  pieceChars = PIECE_CHARS,
): { readonly format: FormatId; readonly result: ImportResult } | undefined {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const split = splitJaegerText(text)
  if (split === undefined) return undefined
  const importer = importers.json.find((candidate) => candidate.detect(split.document))
  if (importer?.format !== 'jaeger-json' || importer.createStreamReader === undefined) return undefined
  const reader = importer.createStreamReader(split.document)
  if (reader === undefined) return undefined
  try {
    walkJsonDocument(split.document, new PieceInjector(reader, split, pieceChars))
  } catch (error) {
    if (error === PIECE_DID_NOT_PARSE) return undefined
    throw error
  }
  return { format: importer.format, result: reader.result() }
}

/** About 1 MB of text per piece: about a thousand spans. */
const PIECE_CHARS = 1 << 20

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

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

const PIECE_DID_NOT_PARSE = new Error('a piece of the spans array did not parse')

/**
 * Passes a walk of the document to the reader, and gives it the pieces' spans as the items of
 * its first trace's (empty) spans array. Each piece is cut and parsed when its turn comes, and
 * its spans name it, so that the reader's records keep the piece rather than the spans.
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
    const opener = firstOpener(text, start, end)
    let index = 0
    for (let from = start; ;) {
      const { spans, to } = this.nextPiece(opener, from)
      // A piece of nothing but spaces parses, but stands for nothing: `[…,]` or `[,…]` in the text.
      if (spans.length === 0 && !(from === start && to === end)) throw PIECE_DID_NOT_PARSE
      const piece = new SpanPiece(text.slice(from, to))
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i]
        if (isObject(span)) markSpanInPiece(span, new SpanInPiece(piece, i))
        this.reader.onItem(index++, span)
      }
      if (to === end) return
      from = to + 1
    }
  }

  /**
   * The spans from `from` (where a span starts) to a comma before a later span about
   * `pieceChars` on, or to the end: the first cut whose piece parses. A cut that is not between
   * two spans (the opener inside a span, or a comma inside a string) leaves its piece unbalanced.
   */
  private nextPiece(opener: string | undefined, from: number): { spans: unknown[]; to: number } {
    const { text, end } = this.split
    if (opener !== undefined && end - from > this.pieceChars) {
      let candidate = text.indexOf(opener, from + this.pieceChars)
      for (let tries = 0; tries < MAX_CUT_TRIES && candidate !== -1 && candidate < end; tries++) {
        let k = candidate - 1
        while (isSpace(text.charCodeAt(k))) k--
        if (text.charCodeAt(k) === 0x2c) {
          const spans = parsePiece(text.slice(from, k))
          if (spans !== undefined) return { spans, to: k }
        }
        candidate = text.indexOf(opener, candidate + 1)
      }
    }
    const spans = parsePiece(text.slice(from, end))
    if (spans === undefined) throw PIECE_DID_NOT_PARSE
    return { spans, to: end }
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

/** Cuts tried for one piece before the rest of the array is taken as one piece. */
const MAX_CUT_TRIES = 8

function parsePiece(text: string): unknown[] | undefined {
  try {
    return JSON.parse(`[${text}]`) as unknown[]
  } catch {
    return undefined
  }
}

/** The first span's opening and first member name, as `{"traceID":`; undefined when there is none to look for. */
function firstOpener(text: string, start: number, end: number): string | undefined {
  let first = start
  while (first < end && isSpace(text.charCodeAt(first))) first++
  const colon = text.indexOf(':', first)
  const opener = colon === -1 || colon > end ? '' : text.slice(first, colon + 1)
  return /^\{"[^"\\]{1,64}":$/.test(opener) ? opener : undefined
}
