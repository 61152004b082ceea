import type { JsonObject } from './values.ts'
import { isObject } from './values.ts'

/**
 * Large files read from pieces of their text rather than from one parse of all of it.
 *
 * `JSON.parse` of a whole file builds every span's tags, and they all survive the parse, so the
 * collector copies them over and over while it goes on: about a third of the import worker's
 * time on 100,000 spans. Parsed a piece at a time, a piece's tree is garbage as soon as its
 * spans are read: the records keep the piece's text (`SpanPiece`) and parse it again when their
 * details are asked for. In a bare worker, the pieces of the 100k Jaeger bench file parsed in
 * 0.35–0.42 s where the whole text took 0.51–0.56 s.
 */

/**
 * A piece of a file's text holding spans (`import-pieces.ts`): `[` + text + `]` parses to them.
 * The records of its spans keep it rather than the spans' parse trees, which the collector
 * would otherwise copy while the rest of the file is read; their details parse it again, once
 * for all of them as long as some are still to be read.
 */
export class SpanPiece {
  readonly text: string
  /** True when the text is items of an array (`[` + text + `]` parses), false when it is a whole document. */
  private readonly isItems: boolean
  /** True when the import parsed a skimmed copy of the text (`TraceImporter.skimPiece`), not the text. */
  readonly isSkimmed: boolean
  private parsed: unknown
  private unread = 0
  /** The text's own parse, while the import reads spans that need what skimming took out. */
  private original: unknown

  constructor(text: string, isItems = true, isSkimmed = false) {
    this.text = text
    this.isItems = isItems
    this.isSkimmed = isSkimmed
  }

  /** A record will read one of these spans. */
  expectRead(): void {
    this.unread++
  }

  /** The span at `place`, parsed again; the parse is let go once every expected read is done. */
  read(place: Place): JsonObject {
    const parsed = (this.parsed ??= this.parseText())
    if (--this.unread <= 0) this.parsed = undefined
    return spanAt(parsed, place)
  }

  /** The span at `place` as the text reads, during the import: parsed once for all the spans that ask, until `endImport`. */
  readOriginal(place: Place): JsonObject {
    return spanAt((this.original ??= this.parseText()), place)
  }

  /** The import has read this piece's spans. */
  endImport(): void {
    this.original = undefined
  }

  private parseText(): unknown {
    return JSON.parse(this.isItems ? `[${this.text}]` : this.text) as unknown
  }
}

/** A span's place in a piece: an item's index, or the path of member names and indexes from the document. */
type Place = number | readonly (string | number)[]

function spanAt(parsed: unknown, place: Place): JsonObject {
  if (typeof place === 'number') return (parsed as unknown[])[place] as JsonObject
  let value = parsed
  for (const step of place) value = (value as Record<string | number, unknown>)[step]
  return value as JsonObject
}

/** Where a span parsed from a `SpanPiece` sits in it: an item's index, or the path of member names and indexes from the document. */
export class SpanInPiece {
  readonly piece: SpanPiece
  readonly place: Place

  constructor(piece: SpanPiece, place: Place) {
    this.piece = piece
    this.place = place
  }

  read(): JsonObject {
    return this.piece.read(this.place)
  }
}

/**
 * Marks the objects three lists down a document (`{…:[{…:[{…:[ these ]}]}]}`, where OTLP keeps
 * its spans: `resourceSpans[i].scopeSpans[j].spans[k]`) with their path: whichever spelling of
 * the lists the importer reads, a span is found again by its path in the same text.
 */
export function markNestedSpans(document: unknown, piece: SpanPiece): void {
  if (!isObject(document)) return
  for (const [k1, list1] of Object.entries(document)) {
    if (!Array.isArray(list1)) continue
    list1.forEach((item1: unknown, i1) => {
      if (!isObject(item1)) return
      for (const [k2, list2] of Object.entries(item1)) {
        if (!Array.isArray(list2)) continue
        list2.forEach((item2: unknown, i2) => {
          if (!isObject(item2)) return
          for (const [k3, list3] of Object.entries(item2)) {
            if (!Array.isArray(list3)) continue
            list3.forEach((span: unknown, i3) => {
              if (isObject(span)) markSpanInPiece(span, new SpanInPiece(piece, [k1, i1, k2, i2, k3, i3]))
            })
          }
        })
      }
    })
  }
}

const IN_PIECE = Symbol('span piece')

/** Marks a span parsed from a piece (before the reader sees it). */
export function markSpanInPiece(span: object, where: SpanInPiece): void {
  ;(span as Record<symbol, unknown>)[IN_PIECE] = where
}

/** Where a span parsed from a piece sits in it; undefined for any other span. */
function spanInPieceOf(span: object): SpanInPiece | undefined {
  return (span as Record<symbol, unknown>)[IN_PIECE] as SpanInPiece | undefined
}

/**
 * The span as its text reads: for a span parsed from a skimmed piece (see
 * `TraceImporter.skimPiece`), parsed again from the piece's own text; any other span as it is.
 * For a reader that needs more of a span than skimming leaves, during the import.
 */
export function originalSpan(span: JsonObject): JsonObject {
  const where = spanInPieceOf(span)
  return where !== undefined && where.piece.isSkimmed ? where.piece.readOriginal(where.place) : span
}

/** What a deferred record keeps of its span: the span itself, or its place in a piece. */
export type DeferredSpan = JsonObject | SpanInPiece

/**
 * What a record that defers its details should keep of `span`: its place when it was parsed
 * from a piece (counted as a read to come, so the piece's parse is kept until it is done), so
 * that the piece's tree can go; else the span.
 */
export function deferredSpan(span: JsonObject): DeferredSpan {
  const place = spanInPieceOf(span)
  if (place === undefined) return span
  place.piece.expectRead()
  return place
}

/** The span a deferred record kept (`deferredSpan`), parsed again from its piece if need be. */
export function spanOf(kept: DeferredSpan): JsonObject {
  return kept instanceof SpanInPiece ? kept.read() : kept
}

/** Thrown when a piece does not parse, or the text is not a shape read in pieces; the caller then parses the whole text. */
export const NOT_READ_IN_PIECES = new Error('not read in pieces')

/**
 * How `forEachPiece` parses a piece: through the format's `skimPiece` once the format is known
 * (it may be set between two pieces), else as it is.
 */
export interface PieceParsing {
  skim?: (text: string) => string
}

/**
 * The items of an array whose text runs from `start` (after its `[`, where an item starts) to
 * `end` (its `]`), parsed a piece at a time and given to `onPiece` in order, their objects
 * marked with their place (`markSpanInPiece`).
 *
 * Pieces are cut where the first item's opening (`{"traceID":`, `{"traceId":` …) follows a
 * comma, about every `pieceChars`, without reading the text in between: a cut proves itself
 * when its piece parses. Parsed in order from a true start, each piece parsing as `[…]` means it
 * ends where an item ends (a cut inside a string or a nested value leaves `[…]` unbalanced), so
 * the next piece starts where an item starts. A skimmed piece parses exactly when the piece
 * does (`TraceImporter.skimPiece`), so it proves the cut as well. A piece that does not parse
 * throws `NOT_READ_IN_PIECES`.
 */
export function forEachPiece(
  text: string,
  start: number,
  end: number,
  pieceChars: number,
  onPiece: (items: unknown[]) => void,
  parsing: PieceParsing = {},
): void {
  const opener = firstOpener(text, start, end)
  for (let from = start; ;) {
    const skim = parsing.skim
    const { items, to } = nextPiece(text, from, end, opener, pieceChars, skim)
    // A piece of nothing but spaces parses, but stands for nothing: `[…,]` or `[,…]` in the text.
    if (items.length === 0 && !(from === start && to === end)) throw NOT_READ_IN_PIECES
    const piece = new SpanPiece(text.slice(from, to), true, skim !== undefined)
    for (let i = 0; i < items.length; i++) {
      const item = items[i]
      if (isObject(item)) markSpanInPiece(item, new SpanInPiece(piece, i))
    }
    onPiece(items)
    piece.endImport()
    if (to === end) return
    from = to + 1
  }
}

/** Cuts tried for one piece before the rest of the array is taken as one piece. */
const MAX_CUT_TRIES = 8

/**
 * The items from `from` to a comma before a later item about `pieceChars` on, or to the end: the
 * first cut whose piece parses. When no cut is found within the tries (items that do not open
 * alike, or one item as large as the rest), the text is not read in pieces: parsing all of the
 * rest here, and then again as a whole, would cost more than the whole parse alone.
 */
function nextPiece(
  text: string,
  from: number,
  end: number,
  opener: string | undefined,
  pieceChars: number,
  skim: ((text: string) => string) | undefined,
): { items: unknown[]; to: number } {
  if (end - from > pieceChars) {
    if (opener === undefined) throw NOT_READ_IN_PIECES
    let candidate = text.indexOf(opener, from + pieceChars)
    for (let tries = 0; tries < MAX_CUT_TRIES && candidate !== -1 && candidate < end; tries++) {
      let k = candidate - 1
      while (isSpace(text.charCodeAt(k))) k--
      if (text.charCodeAt(k) === 0x2c) {
        const items = parsePiece(text.slice(from, k), skim)
        if (items !== undefined) return { items, to: k }
      }
      candidate = text.indexOf(opener, candidate + 1)
    }
    // No opener further on: the rest is the last item or items, and one piece.
    if (candidate !== -1 && candidate < end) throw NOT_READ_IN_PIECES
  }
  const items = parsePiece(text.slice(from, end), skim)
  if (items === undefined) throw NOT_READ_IN_PIECES
  return { items, to: end }
}

function parsePiece(text: string, skim: ((text: string) => string) | undefined): unknown[] | undefined {
  try {
    return JSON.parse(`[${skim === undefined ? text : skim(text)}]`) as unknown[]
  } catch {
    return undefined
  }
}

/** The first item's opening and first member name, as `{"traceID":`; undefined when there is none to look for. */
function firstOpener(text: string, start: number, end: number): string | undefined {
  let first = start
  while (first < end && isSpace(text.charCodeAt(first))) first++
  const colon = text.indexOf(':', first)
  const opener = colon === -1 || colon > end ? '' : text.slice(first, colon + 1)
  return /^\{"[^"\\]{1,64}":$/.test(opener) ? opener : undefined
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}
