/**
 * The only error an importer may throw. The UI shows `message` as it is, and the CLI prints it
 * on one line, so it must say what was wrong in words a user can act on.
 */
export type ImportErrorKind =
  | 'malformed-json'
  | 'unknown-format'
  | 'empty-input'
  | 'invalid-gzip'
  | 'invalid-protobuf'
  | 'invalid-structure'
  | 'too-large'

export class ImportError extends Error {
  readonly kind: ImportErrorKind
  /** 1-based, for malformed JSON. */
  readonly line?: number
  readonly column?: number

  constructor(kind: ImportErrorKind, message: string, position?: { line: number; column: number }) {
    super(message)
    this.name = 'ImportError'
    this.kind = kind
    this.line = position?.line
    this.column = position?.column
  }
}
