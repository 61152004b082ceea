import { ImportError } from './import-error.ts'
import { errorOffset, hasUnsafeIntegerLiteral, parseJsonText } from './parse-json.ts'

/**
 * Incremental JSON reading for inputs too large to be one JavaScript string (V8 caps strings
 * at about 2^29 characters, ~512 MB) or too large to parse into one object tree.
 *
 * The splitter decodes UTF-8 chunk by chunk (a streaming `TextDecoder`: a character cut between
 * chunks is decoded whole) and tracks only strings and nesting. Each top-level value (a
 * document: the whole file, or one line of a JSON-lines file) that stays below
 * `wholeDocumentLimitBytes` is parsed at once and handed over whole (`onDocument`), exactly as
 * `parseJsonDocuments` would. A larger document is *split*: the splitter descends into the
 * containers that hold spans (see `descendRule`) and hands over every element of the span arrays
 * as its own small parsed value (`onItem`), and every other member of the containers it
 * descended into as a parsed value too (`onMember`), between `onOpen` / `onClose` events. Member
 * order is the order of the text: Jaeger's `processes` map, for example, arrives after `spans`.
 *
 * Cost: most files hold one value per line (JSON lines; the span arrays of exporters and of the
 * generator), and such a line goes to `JSON.parse` as it is, found with one `indexOf` (see
 * `tryLine`). Otherwise an exact scan skips strings with `indexOf` and looks at the other
 * characters one by one. Each value is parsed on its own, with the exact (lossless) reader only
 * when it may hold an integer literal beyond 2^53.
 */
export interface JsonStreamHandler {
  /** A whole top-level value small enough to be parsed at once. */
  onDocument(value: unknown): void
  /** A large top-level value starts; `onOpen(undefined, …)` for its root follows. */
  onBeginDocument(): void
  /** A container the splitter descends into: `key` is the member name or the array index (undefined for the root). */
  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void
  /** A member of a descended object that is not itself descended, parsed. */
  onMember(key: string, value: unknown): void
  /** An element of a descended array that is not itself descended, parsed. */
  onItem(index: number, value: unknown): void
  onClose(): void
  onEndDocument(): void
}

export interface JsonStreamOptions {
  /** A top-level value up to this size is parsed whole (default 4 MB). */
  readonly wholeDocumentLimitBytes?: number
}

/** What the splitter descends into: arrays whose elements are containers of spans. */
const NODE_ARRAY_KEYS: ReadonlySet<string> = new Set([
  'data', // Jaeger {data: [trace…]}
  'resourceSpans',
  'resource_spans',
  'batches', // Tempo
  'scopeSpans',
  'scope_spans',
  'instrumentationLibrarySpans',
  'instrumentation_library_spans',
])
/** Arrays whose elements are spans: handed over one by one. */
const LEAF_ARRAY_KEYS: ReadonlySet<string> = new Set(['spans'])
/** Objects that wrap a span container: Jaeger `{data: trace}`, Tempo v2 `{trace: …}`, Jaeger api_v3 `{result: …}`. */
const NODE_OBJECT_KEYS: ReadonlySet<string> = new Set(['data', 'trace', 'result'])

// Roles of a descended container.
const ROOT_OBJECT = 0
const ROOT_ARRAY = 1
/** Elements that are objects are descended into; others are items. */
const NODE_ARRAY = 2
/** Every element is an item. */
const LEAF_ARRAY = 3
const NODE_OBJECT = 4
type Role = typeof ROOT_OBJECT | typeof ROOT_ARRAY | typeof NODE_ARRAY | typeof LEAF_ARRAY | typeof NODE_OBJECT

/**
 * Which role a container gets, or -1 when it is read as one value. The walker that replays a
 * parsed document as the same events (`walkJsonDocument`) follows the same rule.
 */
function descendRule(parentRole: Role | -1, key: string | number | undefined, opener: number): Role | -1 {
  if (parentRole === -1) return opener === LBRACE ? ROOT_OBJECT : ROOT_ARRAY
  if (typeof key === 'number') {
    if (parentRole === ROOT_ARRAY) return opener === LBRACKET ? LEAF_ARRAY : -1
    if (parentRole === NODE_ARRAY) return opener === LBRACE ? NODE_OBJECT : -1
    return -1
  }
  if (key === undefined) return -1
  if (opener === LBRACKET) {
    if (LEAF_ARRAY_KEYS.has(key)) return LEAF_ARRAY
    if (NODE_ARRAY_KEYS.has(key)) return NODE_ARRAY
    return -1
  }
  return NODE_OBJECT_KEYS.has(key) ? NODE_OBJECT : -1
}

function rootRole(opener: number): Role {
  return opener === LBRACE ? ROOT_OBJECT : ROOT_ARRAY
}

const QUOTE = 0x22
const LBRACE = 0x7b
const RBRACE = 0x7d
const LBRACKET = 0x5b
const RBRACKET = 0x5d
const COMMA = 0x2c
const COLON = 0x3a
const NEWLINE = 0x0a

// Where the envelope reader is inside a descended container.
const EXPECT_KEY_OR_END = 0
const EXPECT_KEY = 1
const IN_KEY = 2
const EXPECT_COLON = 3
const EXPECT_VALUE = 4
const EXPECT_VALUE_OR_END = 5
const EXPECT_COMMA_OR_END = 6

interface Frame {
  readonly role: Role
  readonly isObject: boolean
  state: number
  /** Elements seen (arrays). */
  index: number
  /** The member being read (objects). */
  key: string
}

// What a unit (a value read whole) is.
const UNIT_DOCUMENT = 0
const UNIT_MEMBER = 1
const UNIT_ITEM = 2

const DEFAULT_WHOLE_LIMIT = 4 * 1024 * 1024
/** `tryLine`: the line goes on in the next text, which the scan waits for. */
const CARRIED = -2
/** The longest line held back waiting for its end; a longer one is scanned exactly. */
const MAX_CARRY_CHARS = 32 * 1024 * 1024

export class JsonStreamSplitter {
  private readonly handler: JsonStreamHandler
  private readonly wholeLimit: number
  /** Streaming UTF-8: a character cut between two chunks is decoded whole; a leading BOM is dropped. */
  private readonly decoder = new TextDecoder('utf-8')

  private readonly frames: Frame[] = []

  // Inside a string (of a unit or a key) at the end of the last text, and whether its last
  // character was an unfinished escape.
  private inString = false
  private isEscapePending = false
  /** Position of the next backslash in the current text at or after the last search (a cache). */
  private backslashAt = -1

  // The unit being read: a document (top-level value read whole), a member or an item.
  private isInUnit = false
  private unitKind = UNIT_DOCUMENT
  private unitKey: string | number | undefined
  private unitDepth = 0
  /** Start of the unit in the current text (0 when it began in an earlier one, whose parts are in `unitParts`). */
  private unitStart = 0
  private unitParts: string[] = []
  private unitSize = 0
  private isUnitUnsafe = false
  private unitLine = 1
  private unitColumn = 1
  private digitRun = 0
  private charBeforeRun = 0
  private lastChar = 0

  // A key of a descended object, possibly spread over texts.
  private keyStart = 0
  private keyParts: string[] = []

  private documentCount = 0
  private isGuessingLines = true
  /** Text held back for the next push: the start of a line that may be a whole value. */
  private carry = ''
  private carryFrom = 0
  private isFinal = false
  private lineHits = 0
  private lineMisses = 0
  /** Characters before the current text. */
  private offset = 0
  private line = 1
  private lineStartOffset = 0

  constructor(handler: JsonStreamHandler, options: JsonStreamOptions = {}) {
    this.handler = handler
    this.wholeLimit = options.wholeDocumentLimitBytes ?? DEFAULT_WHOLE_LIMIT
  }

  push(chunk: Uint8Array): void {
    this.scanWithCarry(this.decoder.decode(chunk, { stream: true }))
  }

  /** Text decoded by the caller, which then must not `push` bytes. */
  pushText(text: string): void {
    this.scanWithCarry(text)
  }

  end(): void {
    this.isFinal = true
    this.scanWithCarry(this.decoder.decode())
    if (this.isInUnit || this.frames.length > 0 || this.inString) {
      const column = this.offset - this.lineStartOffset + 1
      throw new ImportError('malformed-json', `Malformed JSON at line ${this.line}, column ${column} at the end of the input.`, { line: this.line, column })
    }
    if (this.documentCount === 0) throw new ImportError('empty-input', 'The input is empty.')
  }

  /**
   * A line held back at the end of the last text (see `tryLine`) goes first. When it ends in
   * this text, it is read as a short text of its own and the rest after it, rather than joining
   * two large strings (which V8 would copy into one on first access).
   */
  private scanWithCarry(decoded: string): void {
    const carry = this.carry
    this.carry = ''
    if (carry.length === 0) {
      if (decoded.length > 0) this.scan(decoded, 0)
      return
    }
    const newline = decoded.indexOf('\n')
    if (newline < 0) {
      this.scan(carry + decoded, 0)
      return
    }
    this.scan(carry + decoded.slice(0, newline + 1), 0)
    // The joined text ended with the line's end, so nothing is held back; the rest follows on.
    if (newline + 1 < decoded.length) this.scan(decoded, newline + 1)
  }

  /** Scans `text` from `from`; state lives on `this` between texts. */
  private scan(text: string, from: number): void {
    const length = text.length
    const base = this.offset - from
    this.backslashAt = -1
    let i = from
    // A unit or a key that began in an earlier text goes on from the start of this one.
    if (this.isInUnit) this.unitStart = from
    const frame = this.frames[this.frames.length - 1]
    const isInKey = !this.isInUnit && frame !== undefined && frame.state === IN_KEY
    if (isInKey) this.keyStart = from
    if (this.inString) {
      i = this.skipString(text, i)
      if (i < 0) i = length
      else if (isInKey) i = this.endKey(text, i)
    }
    while (i < length) {
      if (this.isInUnit) {
        i = this.scanUnit(text, i, base)
        continue
      }
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (c === NEWLINE) this.newline(base + i)
        i++
        continue
      }
      if (this.frames.length === 0) {
        // Between documents: a new top-level value.
        if (c !== LBRACE && c !== LBRACKET) throw this.syntaxError(text, i, base)
        const end = this.isGuessingLines ? this.tryLine(text, i, UNIT_DOCUMENT, undefined) : -1
        if (end >= 0) {
          i = end
          continue
        }
        if (end === CARRIED) return this.holdBack(text, i, base)
        this.startUnit(UNIT_DOCUMENT, undefined, i, base)
        continue
      }
      i = this.scanEnvelope(text, i, c, base)
      if (i === CARRIED) return this.holdBack(text, this.carryFrom, base)
    }
    this.offset = base + length
    this.lastChar = length > 0 ? text.charCodeAt(length - 1) : this.lastChar
    if (this.isInUnit) {
      const part = text.slice(this.unitStart, length)
      this.unitParts.push(part)
      this.unitSize += part.length
      // The split re-reads the document so far, keys and units included: nothing is left to do here.
      if (this.unitKind === UNIT_DOCUMENT && this.unitSize > this.wholeLimit) this.splitDocument()
      return
    }
    const top = this.frames[this.frames.length - 1]
    if (!this.isInUnit && top !== undefined && top.state === IN_KEY) this.keyParts.push(text.slice(this.keyStart, length))
  }

  private newline(at: number): void {
    this.line++
    this.lineStartOffset = at + 1
  }

  /**
   * From just inside a string to just after its closing quote; -1 when the text ends first
   * (then `inString` stays set, and `isEscapePending` says whether the last character was an
   * unfinished escape). Quotes are found with `indexOf`, backslashes likewise and cached.
   */
  private skipString(text: string, from: number): number {
    let i = from
    if (this.isEscapePending) {
      this.isEscapePending = false
      i++
    }
    const length = text.length
    for (;;) {
      const quote = i < length ? text.indexOf('"', i) : -1
      let backslash = this.backslashAt
      if (backslash < i && backslash !== length) {
        backslash = text.indexOf('\\', i)
        if (backslash < 0) backslash = length
        this.backslashAt = backslash
      }
      if (quote < 0) {
        // The string goes on in the next text; is the last character an escape?
        while (backslash < length) {
          if (backslash + 1 >= length) {
            this.isEscapePending = true
            break
          }
          backslash = text.indexOf('\\', backslash + 2)
          if (backslash < 0) backslash = length
        }
        this.backslashAt = length
        this.inString = true
        return -1
      }
      if (backslash < quote) {
        // An escape before the quote: skip it and the escaped character.
        i = backslash + 2
        if (i > length) {
          this.isEscapePending = true
          this.inString = true
          return -1
        }
        continue
      }
      this.inString = false
      return quote + 1
    }
  }

  /**
   * The fast path for files written one value per line (JSON lines, and the span arrays of most
   * exporters and of the generator): take the rest of the line, less a trailing comma, as the
   * value, and let `JSON.parse` check it. A JSON value is never a prefix of another, so when the
   * line parses, it is exactly the value the exact scan would have found, at the cost of an
   * `indexOf` instead of a look at every character. When lines stop being values (pretty-printed
   * or minified files), the exact scan takes over for good. Returns the end of the value, or -1.
   */
  private tryLine(text: string, from: number, kind: number, key: string | number | undefined): number {
    let newline = text.indexOf('\n', from)
    if (newline < 0) {
      // The line goes on in the next text: wait for it, unless it is long or there is no next text.
      if (this.isFinal) newline = text.length
      else if (text.length - from <= (kind === UNIT_DOCUMENT ? Math.min(this.wholeLimit, MAX_CARRY_CHARS) : MAX_CARRY_CHARS)) {
        this.carryFrom = from
        return CARRIED
      } else return -1
    }
    let end = newline
    let c = text.charCodeAt(end - 1)
    while (end > from && (c === 0x0d || c === 0x20 || c === 0x09)) c = text.charCodeAt(--end - 1)
    if (kind === UNIT_ITEM && c === COMMA) c = text.charCodeAt(--end - 1)
    if (c !== RBRACE && c !== RBRACKET) return this.lineFailed()
    const candidate = text.slice(from, end)
    let value: unknown
    try {
      value = parseJsonText(candidate, hasUnsafeIntegerLiteral(candidate))
    } catch {
      return this.lineFailed()
    }
    this.lineHits++
    if (kind === UNIT_DOCUMENT) {
      this.documentCount++
      this.handler.onDocument(value)
    } else {
      const frame = this.frames[this.frames.length - 1] as Frame
      frame.state = EXPECT_COMMA_OR_END
      frame.index++
      this.handler.onItem(key as number, value)
    }
    return end
  }

  /** Keeps `text[from…]` for the next text: nothing of it is read yet. */
  private holdBack(text: string, from: number, base: number): void {
    this.carry = text.slice(from)
    this.offset = base + from
    this.lastChar = from > 0 ? text.charCodeAt(from - 1) : this.lastChar
  }

  private lineFailed(): number {
    this.lineMisses++
    if (this.lineMisses > 16 && this.lineMisses > this.lineHits) this.isGuessingLines = false
    return -1
  }

  private startUnit(kind: number, key: string | number | undefined, i: number, base: number): void {
    this.isInUnit = true
    this.unitKind = kind
    this.unitKey = key
    this.unitDepth = 0
    this.unitStart = i
    this.unitParts = []
    this.unitSize = 0
    this.isUnitUnsafe = false
    this.unitLine = this.line
    this.unitColumn = base + i - this.lineStartOffset + 1
    this.digitRun = 0
  }

  /** The hot loop: a value read whole. Strings are skipped with `indexOf`. Returns where scanning goes on. */
  private scanUnit(text: string, from: number, base: number): number {
    const length = text.length
    let i = from
    let depth = this.unitDepth
    let digitRun = this.digitRun
    let isEnded = false
    while (i < length) {
      const c = text.charCodeAt(i)
      if (c === QUOTE) {
        digitRun = 0
        const next = this.skipString(text, i + 1)
        if (next < 0) {
          i = length
          break
        }
        i = next
        continue
      }
      if (c <= 0x39 && c >= 0x30) {
        if (digitRun++ === 0) this.charBeforeRun = i > 0 ? text.charCodeAt(i - 1) : this.lastChar
        i++
        continue
      }
      if (digitRun !== 0) {
        if (digitRun >= 16) this.checkDigitRun(text, i, digitRun, c)
        digitRun = 0
      }
      if (c === LBRACE || c === LBRACKET) depth++
      else if (c === RBRACE || c === RBRACKET) {
        if (depth === 0) {
          isEnded = true // the parent's closer ends a member or an item
          break
        }
        depth--
        if (depth === 0 && this.unitKind === UNIT_DOCUMENT) {
          i++
          isEnded = true
          break
        }
      } else if (c === COMMA) {
        if (depth === 0) {
          isEnded = true
          break
        }
      } else if (c === NEWLINE) this.newline(base + i)
      i++
    }
    this.unitDepth = depth
    this.digitRun = digitRun
    if (isEnded) this.endUnit(text, i)
    return i
  }

  /** A run of 16+ digits outside strings: an integer beyond 2^53 makes the unit use the exact reader. */
  private checkDigitRun(text: string, end: number, run: number, after: number): void {
    const before = this.charBeforeRun
    // A fraction (".123…"), an exponent, or a float ("123….5", "1…e5"): not an integer literal.
    if (before === 0x2e || before === 0x65 || before === 0x45 || after === 0x2e || after === 0x65 || after === 0x45) return
    const start = end - run
    if (run > 16 || start < 0) {
      this.isUnitUnsafe = true
      return
    }
    if (text.slice(start, end) > '9007199254740991') this.isUnitUnsafe = true
  }

  private endUnit(text: string, end: number): void {
    this.isInUnit = false
    const slice = text.slice(this.unitStart, end)
    const valueText = this.unitParts.length > 0 ? this.unitParts.join('') + slice : slice
    this.unitParts = []
    this.unitSize = 0
    if (this.digitRun >= 16) this.isUnitUnsafe = true
    this.digitRun = 0
    const kind = this.unitKind
    let value: unknown
    try {
      value = parseJsonText(valueText, this.isUnitUnsafe)
    } catch (error) {
      throw valueSyntaxError(valueText, error, this.unitLine, this.unitColumn)
    }
    if (kind === UNIT_DOCUMENT) {
      this.documentCount++
      this.handler.onDocument(value)
      return
    }
    const frame = this.frames[this.frames.length - 1] as Frame
    frame.state = EXPECT_COMMA_OR_END
    if (kind === UNIT_MEMBER) this.handler.onMember(this.unitKey as string, value)
    else {
      frame.index++
      this.handler.onItem(this.unitKey as number, value)
    }
  }

  /**
   * A document grew past the whole-document limit: read it again from its start, descending
   * into its span containers. Its text so far is in the unit parts.
   */
  private splitDocument(): void {
    const prefix = this.unitParts.join('')
    const prefixOffset = this.offset - prefix.length
    this.isInUnit = false
    this.unitParts = []
    this.unitSize = 0
    this.inString = false
    this.isEscapePending = false
    this.digitRun = 0
    this.line = this.unitLine
    this.lineStartOffset = prefixOffset - (this.unitColumn - 1)
    this.documentCount++
    this.handler.onBeginDocument()
    const first = prefix.charCodeAt(0)
    this.openFrame(rootRole(first), first === LBRACE, undefined)
    // The rest of the prefix, after the root's opener, as if it were arriving now.
    this.offset = prefixOffset + 1
    this.scan(prefix, 1)
  }

  private openFrame(role: Role, isObject: boolean, key: string | number | undefined): void {
    this.frames.push({ role, isObject, state: isObject ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END, index: 0, key: '' })
    this.handler.onOpen(key, isObject ? 'object' : 'array')
  }

  /** Structure of descended containers: keys, colons, commas, openers and closers. */
  private scanEnvelope(text: string, i: number, c: number, base: number): number {
    const frame = this.frames[this.frames.length - 1] as Frame
    switch (frame.state) {
      case EXPECT_KEY_OR_END:
      case EXPECT_KEY: {
        if (c === RBRACE && frame.state === EXPECT_KEY_OR_END) return this.closeFrame(i)
        if (c !== QUOTE) throw this.syntaxError(text, i, base)
        frame.state = IN_KEY
        this.keyStart = i + 1
        this.keyParts = []
        const next = this.skipString(text, i + 1)
        return next < 0 ? text.length : this.endKey(text, next)
      }
      case EXPECT_COLON:
        if (c !== COLON) throw this.syntaxError(text, i, base)
        frame.state = EXPECT_VALUE
        return i + 1
      case EXPECT_VALUE_OR_END:
      case EXPECT_VALUE: {
        if (c === RBRACKET && frame.state === EXPECT_VALUE_OR_END) return this.closeFrame(i)
        if (c === RBRACE || c === RBRACKET || c === COMMA || c === COLON) throw this.syntaxError(text, i, base)
        const key = frame.isObject ? frame.key : frame.index
        const role = c === LBRACE || c === LBRACKET ? descendRule(frame.role, key, c) : -1
        if (role === -1) {
          if (!frame.isObject && this.isGuessingLines) {
            const end = this.tryLine(text, i, UNIT_ITEM, key)
            if (end >= 0 || end === CARRIED) return end
          }
          this.startUnit(frame.isObject ? UNIT_MEMBER : UNIT_ITEM, key, i, base)
          return i
        }
        frame.state = EXPECT_COMMA_OR_END
        if (!frame.isObject) frame.index++
        this.openFrame(role, c === LBRACE, key)
        return i + 1
      }
      case EXPECT_COMMA_OR_END:
        if (c === COMMA) {
          frame.state = frame.isObject ? EXPECT_KEY : EXPECT_VALUE
          return i + 1
        }
        if ((c === RBRACE && frame.isObject) || (c === RBRACKET && !frame.isObject)) return this.closeFrame(i)
        throw this.syntaxError(text, i, base)
      default:
        throw this.syntaxError(text, i, base)
    }
  }

  /** A member name ended just before `end` (after its closing quote). */
  private endKey(text: string, end: number): number {
    const frame = this.frames[this.frames.length - 1] as Frame
    const slice = text.slice(this.keyStart, end - 1)
    const raw = this.keyParts.length > 0 ? this.keyParts.join('') + slice : slice
    this.keyParts = []
    frame.key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw
    frame.state = EXPECT_COLON
    return end
  }

  private closeFrame(i: number): number {
    this.frames.pop()
    this.handler.onClose()
    if (this.frames.length === 0) this.handler.onEndDocument()
    return i + 1
  }

  private syntaxError(text: string, i: number, base: number): ImportError {
    const column = base + i - this.lineStartOffset + 1
    const near = text.slice(i, i + 24).split('\n')[0]
    return new ImportError('malformed-json', `Malformed JSON at line ${this.line}, column ${column}${near ? ` near ${JSON.stringify(near)}` : ''}.`, {
      line: this.line,
      column,
    })
  }
}

function valueSyntaxError(text: string, error: unknown, line: number, column: number): ImportError {
  const offset = errorOffset(text, error)
  // Line and column within the value, shifted by where the value starts.
  let errorLine = line
  let errorColumn = column
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === NEWLINE) {
      errorLine++
      errorColumn = 1
    } else errorColumn++
  }
  const near = text.slice(offset, offset + 24).split('\n')[0]
  const hint = near ? ` near ${JSON.stringify(near)}` : ' at the end of the input'
  return new ImportError('malformed-json', `Malformed JSON at line ${errorLine}, column ${errorColumn}${hint}.`, { line: errorLine, column: errorColumn })
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** The container events of a split document, as importers consume them. */
export interface JsonEventReader {
  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void
  onMember(key: string, value: unknown): void
  onItem(index: number, value: unknown): void
  onClose(): void
}

function openerOf(value: unknown): number {
  if (Array.isArray(value)) return LBRACKET
  return value !== null && typeof value === 'object' ? LBRACE : 0
}

/**
 * Replays a parsed document as the events the splitter emits for its text: the same containers
 * descended into, members in key order (the text's order for names that are not array indexes),
 * elements in order. Importers read whole documents through it, so that a document read whole
 * and the same document streamed go through one code path.
 */
export function walkJsonDocument(document: object, reader: JsonEventReader): void {
  walkContainer(document, rootRole(openerOf(document)), undefined, reader)
}

function walkContainer(value: object, role: Role, key: string | number | undefined, reader: JsonEventReader): void {
  if (Array.isArray(value)) {
    reader.onOpen(key, 'array')
    const items: readonly unknown[] = value
    for (let index = 0; index < items.length; index++) {
      const item = items[index]
      const opener = openerOf(item)
      const childRole = opener === 0 ? -1 : descendRule(role, index, opener)
      if (childRole === -1) reader.onItem(index, item)
      else walkContainer(item as object, childRole, index, reader)
    }
  } else {
    reader.onOpen(key, 'object')
    const object = value as Record<string, unknown>
    for (const name of Object.keys(object)) {
      const member = object[name]
      const opener = openerOf(member)
      const childRole = opener === 0 ? -1 : descendRule(role, name, opener)
      if (childRole === -1) reader.onMember(name, member)
      else walkContainer(member as object, childRole, name, reader)
    }
  }
  reader.onClose()
}

/**
 * Builds the JavaScript value of a container from its events: the document `JSON.parse` would
 * have returned for its text. Used for containers a reader does not stream (and by the stream
 * importer for documents of formats without a stream reader).
 */
export class JsonValueBuilder implements JsonEventReader {
  private readonly stack: Array<Record<string, unknown> | unknown[]> = []
  private readonly keys: Array<string | number | undefined> = []
  private root: unknown = undefined
  private isDone = false

  get isComplete(): boolean {
    return this.isDone
  }

  /** The value; complete once its outermost container has closed. */
  get value(): unknown {
    return this.root
  }

  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void {
    const container: Record<string, unknown> | unknown[] = kind === 'array' ? [] : {}
    if (this.stack.length === 0) this.root = container
    else this.put(key, container)
    this.stack.push(container)
    this.keys.push(key)
  }

  onMember(key: string, value: unknown): void {
    this.put(key, value)
  }

  onItem(index: number, value: unknown): void {
    this.put(index, value)
  }

  onClose(): void {
    this.stack.pop()
    this.keys.pop()
    if (this.stack.length === 0) this.isDone = true
  }

  private put(key: string | number | undefined, value: unknown): void {
    const parent = this.stack[this.stack.length - 1]
    if (Array.isArray(parent)) parent.push(value)
    else if (parent !== undefined && key !== undefined) {
      // Like JSON.parse: an own property even for "__proto__".
      Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true })
    }
  }
}
