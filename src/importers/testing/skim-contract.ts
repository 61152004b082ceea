import fc from 'fast-check'
import { expect } from 'vitest'

/** `JSON.parse` of a text, or `SyntaxError` when it does not parse. */
function parseOrSyntaxError(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return SyntaxError
  }
}

/**
 * A skim's contract (`TraceImporter.skimPiece`): the skimmed text parses exactly when the text
 * does, and to the same values once `normalize` has emptied, on both sides, whatever the skim
 * may empty. `asDocument` makes a piece a JSON text (items of an array get their brackets).
 */
export function expectSkimKeepsParse(
  text: string,
  skim: (text: string) => string,
  normalize: (value: unknown) => unknown,
  asDocument: (text: string) => string = (piece) => piece,
): void {
  const parsed = parseOrSyntaxError(asDocument(text))
  const skimmed = parseOrSyntaxError(asDocument(skim(text)))
  if (parsed === SyntaxError || skimmed === SyntaxError) expect([text, skimmed]).toEqual([text, parsed])
  else expect([text, normalize(skimmed)]).toEqual([text, normalize(parsed)])
}

/** Mostly `usual`, now and then `rare`: for texts near what a skim takes. */
export function often<T>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: usual, weight: 8 }, { arbitrary: rare, weight: 1 })
}
