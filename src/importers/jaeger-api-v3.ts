import { ImportError } from './import-error.ts'
import type { TraceImporter } from './importer.ts'
import { hasResourceSpans, importResourceSpans, resourceSpansOf } from './otlp.ts'
import { isObject } from './values.ts'

/**
 * Jaeger api_v3 `GetTrace` / `FindTraces` answers (formats.md §2.4): `{"result": TracesData}`
 * with hex ids and integer enums. A search concatenates several traces into one
 * `resourceSpans` list; grouping by trace id happens in `buildTraces`. Old grpc-gateway servers
 * stream several `{"result": …}` objects back to back, which the JSON reader splits into
 * documents.
 */
export const jaegerApiV3Importer: TraceImporter = {
  format: 'jaeger-api-v3',
  label: 'Jaeger api_v3',
  expects: 'an object with "result.resourceSpans" from Jaeger /api/v3/traces',
  detect: (document) => isObject(document) && hasResourceSpans(document.result),
  importDocument(document) {
    if (!isObject(document) || !isObject(document.result)) {
      throw new ImportError('invalid-structure', 'A Jaeger api_v3 answer must be an object with "result".')
    }
    return importResourceSpans(resourceSpansOf(document.result))
  },
}
