/**
 * Regular expression sources for the importers' skims (`TraceImporter.skimPiece`): JSON tokens
 * exactly as JSON has them, so that what a skim matches is read by `JSON.parse` as the skim
 * reads it, and a text that is not JSON is left as it is, to fail the parse alike.
 */

/** A JSON string with no escape (a key that could spell another through escapes is not matched). */
export const PLAIN_STRING = String.raw`"[^"\\\x00-\x1f]*"`

/** Any JSON string: no control character, only JSON's escapes. */
export const JSON_STRING = String.raw`"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"`

/** A JSON number. */
export const JSON_NUMBER = String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`
