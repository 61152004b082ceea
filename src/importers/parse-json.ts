import { parse as parseLossless, isSafeNumber } from 'lossless-json'
import { ImportError } from './import-error.ts'

/**
 * Turns the text of a file into its JSON documents.
 *
 * - One document (the common case) goes through the engine's `JSON.parse`, which is the
 *   fastest thing there is, unless the text holds an integer literal beyond 2^53: then a
 *   lossless reader keeps such integers exact as `bigint` (formats.md §1.1).
 * - JSON lines (collector file exporter) and documents written back to back without any
 *   separator (seen in OTLP test data) are split at top-level value boundaries.
 * - Malformed JSON raises an `ImportError` that names the line and column.
 */
export function parseJsonDocuments(input: string, options: { isLossless?: boolean } = {}): unknown[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  if (text.trim() === '') throw new ImportError('empty-input', 'The input is empty.')
  // Given when the caller has checked the text (or its bytes) for unsafe integers itself.
  const isLossless = options.isLossless ?? hasUnsafeIntegerLiteral(text)
  try {
    return [parseOne(text, isLossless)]
  } catch (wholeError) {
    // JSON lines (the collector's file exporter): one document per line, split natively.
    const lines = splitJsonLines(text)
    if (lines) {
      try {
        return lines.map((line) => parseOne(line, isLossless))
      } catch {
        // Fall through: the exact splitter below finds where the error is.
      }
    }
    const ranges = splitTopLevelValues(text)
    if (ranges.length < 2) throw toSyntaxError(text, wholeError, 0)
    return ranges.map(([start, end]) => {
      try {
        return parseOne(text.slice(start, end), isLossless)
      } catch (partError) {
        throw toSyntaxError(text, partError, start)
      }
    })
  }
}

function parseOne(text: string, isLossless: boolean): unknown {
  return isLossless ? parseLossless(text, undefined, parseNumberExactly) : JSON.parse(text)
}

/** One JSON value: the engine's `JSON.parse`, or the exact reader when `isLossless` (integers beyond 2^53 as bigint). */
export function parseJsonText(text: string, isLossless: boolean): unknown {
  return parseOne(text, isLossless)
}

function parseNumberExactly(digits: string): number | bigint {
  if (isSafeNumber(digits)) return Number(digits)
  return /^-?\d+$/.test(digits) ? BigInt(digits) : Number(digits)
}

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER)

/** What may precede a number token: `:` `,` `[` or whitespace. */
function isNumberLead(c: number): boolean {
  return c === 0x3a || c === 0x2c || c === 0x5b || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

/** What may follow an integer token: `,` `}` `]` or whitespace (not `.`, `e`, a letter or a quote). */
function isNumberEnd(c: number): boolean {
  return c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/**
 * True when an integer literal outside ±(2^53-1) may occur. Only runs of 16+ digits are
 * examined, and only those that can be a whole JSON number token: preceded (after an optional
 * minus sign) by `:`, `,`, `[`, whitespace or the start of the text, and followed by a token end.
 * A run inside a string usually fails that test (hex ids such as "428fa2262686580298802d5f" hold
 * long digit runs after a letter: before this check every generated trace took the exact reader,
 * 5–10 times slower). A run inside a string that passes it ("n = 12345678901234567") is a false
 * positive, which merely chooses the slower exact reader.
 *
 * It runs over every input, so it must cost little more than reading the text once: a run of 16
 * digits covers one of every 16 positions, so only those are tested, four at a time with one
 * branch per 64 characters, and the run around a digit is read only when it may be that long (a
 * regex over the whole text cost 0.15–0.2× `JSON.parse`, mostly in matching every timestamp).
 */
export function hasUnsafeIntegerLiteral(text: string): boolean {
  return scanForUnsafeInteger(new TextCodes(text))
}

/**
 * `hasUnsafeIntegerLiteral` on the UTF-8 bytes of a text, with the same answer: digits, signs and
 * the characters around a number are ASCII, and the bytes of a multi-byte character never are.
 * Lets the import worker check the bytes on another thread while it parses their text.
 */
export function hasUnsafeIntegerLiteralInBytes(bytes: Uint8Array): boolean {
  return scanForUnsafeInteger(new ByteCodes(bytes))
}

/** Character codes read by the scan: of a string, or of UTF-8 bytes. */
interface Codes {
  readonly length: number
  at(index: number): number
}

class TextCodes implements Codes {
  readonly length: number
  private readonly text: string

  constructor(text: string) {
    this.text = text
    this.length = text.length
  }

  at(index: number): number {
    return this.text.charCodeAt(index)
  }
}

class ByteCodes implements Codes {
  readonly length: number
  private readonly bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    this.bytes = bytes
    this.length = bytes.length
  }

  /** NaN outside the bytes, as `charCodeAt` gives outside a string. */
  at(index: number): number {
    return index >= 0 && index < this.length ? (this.bytes[index] as number) : NaN
  }
}

function scanForUnsafeInteger(codes: Codes): boolean {
  const length = codes.length
  let probe = 15
  for (; probe + 48 < length; probe += 64) {
    const a = codes.at(probe) - 0x30
    const b = codes.at(probe + 16) - 0x30
    const c = codes.at(probe + 32) - 0x30
    const d = codes.at(probe + 48) - 0x30
    // x is a digit when x and 9 - x are both non-negative: the AND is negative when none of the four is.
    if (((a | (9 - a)) & (b | (9 - b)) & (c | (9 - c)) & (d | (9 - d))) < 0) continue
    let next = probe
    for (let at = probe; at <= probe + 48; at += 16) {
      if (at < next) continue
      next = examineProbe(codes, at)
      if (next < 0) return true
    }
    // Continue after a run that went past this group, at the next position of the same stride.
    if (next > probe + 64) probe = (next | 15) - 64
  }
  for (; probe < length; probe += 16) {
    const next = examineProbe(codes, probe)
    if (next < 0) return true
    if (next > probe + 16) probe = (next | 15) - 16
  }
  return false
}

/**
 * -1 when the digit run through `at` is an unsafe integer token; otherwise where to resume
 * (the end of that run, or `at + 1`).
 */
function examineProbe(codes: Codes, at: number): number {
  if (!isDigit(codes.at(at))) return at + 1
  // A run of 16 or more through `at` holds all of at-8…at or all of at…at+8: most runs (parts
  // of hex ids, small numbers) fail both after a character or two.
  let isLong = true
  for (let i = at - 8; i < at && isLong; i++) isLong = isDigit(codes.at(i))
  if (!isLong) {
    isLong = true
    for (let i = at + 8; i > at && isLong; i--) isLong = isDigit(codes.at(i))
    if (!isLong) return at + 1
  }
  let start = at
  while (start > 0 && isDigit(codes.at(start - 1))) start--
  let end = at + 1
  while (end < codes.length && isDigit(codes.at(end))) end++
  return end - start >= 16 && isUnsafeIntegerToken(codes, start, end) ? -1 : end
}

/** Whether the digits `[start, end)` (16 or more) form a whole integer token beyond 2^53-1. */
function isUnsafeIntegerToken(codes: Codes, start: number, end: number): boolean {
  let first = start
  if (codes.at(first - 1) === 0x2d) first-- // a minus sign
  if (first > 0 && !isNumberLead(codes.at(first - 1))) return false
  if (end < codes.length && !isNumberEnd(codes.at(end))) return false // a float, or inside a string
  if (end - start > 16) return true
  // 16 digits: compared with 2^53-1 digit by digit (Jaeger writes every start time so, in µs).
  for (let k = 0; k < 16; k++) {
    const difference = codes.at(start + k) - MAX_SAFE_DIGITS.charCodeAt(k)
    if (difference !== 0) return difference > 0
  }
  return false
}

/**
 * The lines of a JSON-lines text, when every non-blank line starts an object or an array;
 * undefined otherwise (pretty-printed documents back to back, junk), and for a single line. A
 * line that is a whole JSON value cannot be part of a larger one, so when each line parses, this
 * split is the one `splitTopLevelValues` finds, at the cost of `indexOf` instead of a scan in JS.
 */
export function splitJsonLines(text: string): string[] | undefined {
  const lines: string[] = []
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    let first = start
    while (first < end && isBlank(text.charCodeAt(first))) first++
    if (first < end) {
      const c = text.charCodeAt(first)
      if (c !== 0x7b && c !== 0x5b) return undefined
      lines.push(text.slice(first, end))
    }
    start = end + 1
  }
  return lines.length > 1 ? lines : undefined
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0d || c === 0x09
}

/**
 * Splits text made of several JSON values written one after the other (JSON lines, or
 * pretty-printed documents back to back) into [start, end) ranges. Only braces, brackets and
 * strings are tracked; the values themselves are checked later by the parser. Whatever cannot
 * be split (junk, an unfinished value) ends up in the last range, where parsing reports it.
 */
export function splitTopLevelValues(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) {
      inString = true
      if (start < 0) start = i
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === 0 && start < 0) start = i
      depth++
    } else if (c === 0x7d || c === 0x5d) {
      depth--
      if (depth === 0 && start >= 0) {
        ranges.push([start, i + 1])
        start = -1
      } else if (depth < 0) {
        ranges.push([start < 0 ? i : start, text.length])
        return ranges
      }
    } else if (depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      // A bare scalar or junk between documents: the rest is one (bad) part, so that
      // the parser's error points into it.
      ranges.push([start < 0 ? i : start, text.length])
      return ranges
    }
  }
  // An unfinished last document (a truncated JSON lines file) is a part of its own.
  if (start >= 0) ranges.push([start, text.length])
  return ranges
}

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  const end = Math.min(offset, text.length)
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: end - lineStart + 1 }
}

/** Where in `part` parsing failed, from the engine's message or, failing that, the exact reader's. */
export function errorOffset(part: string, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error)
  const lineCol = /line (\d+) column (\d+)/.exec(message)
  if (lineCol) {
    const lines = part.split('\n')
    const line = Number(lineCol[1])
    let offset = 0
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += (lines[i] as string).length + 1
    return offset + Number(lineCol[2]) - 1
  }
  const position = /(?:position|pos:?)\s*(\d+)/i.exec(message)
  if (position) return Number(position[1])
  if (/end of (JSON )?input|Unexpected end/i.test(message)) return part.length
  // The engine gave no position: ask the lossless reader, which always reports one.
  try {
    parseLossless(part)
  } catch (lossless) {
    const pos = /(?:position|pos:?)\s*(\d+)/i.exec(lossless instanceof Error ? lossless.message : '')
    if (pos) return Number(pos[1])
  }
  return 0
}

function toSyntaxError(text: string, error: unknown, partStart: number): ImportError {
  if (error instanceof ImportError) return error
  const partEnd = text.length
  const offset = partStart + errorOffset(text.slice(partStart, partEnd), error)
  const where = lineAndColumn(text, offset)
  const near = text.slice(offset, offset + 24).split('\n')[0]
  const hint = near ? ` near ${JSON.stringify(near)}` : ' at the end of the input'
  return new ImportError('malformed-json', `Malformed JSON at line ${where.line}, column ${where.column}${hint}.`, where)
}
