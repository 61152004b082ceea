import { hasUnsafeIntegerLiteralInBytes } from '../importers/parse-json.ts'
import type { UnsafeIntegerRequest, UnsafeIntegerResponse } from './unsafe-integer-check.ts'

/**
 * A helper of the import worker: checks a file's bytes for integers beyond 2^53 while the import
 * worker parses the file's text (see `ImportSession.parseText`).
 */
self.onmessage = (event: MessageEvent<UnsafeIntegerRequest>) => {
  const { id, buffer, byteOffset, byteLength } = event.data
  const response: UnsafeIntegerResponse = { id, isUnsafe: hasUnsafeIntegerLiteralInBytes(new Uint8Array(buffer, byteOffset, byteLength)) }
  self.postMessage(response)
}
