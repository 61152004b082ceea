import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { importText } from '../../../importers/import-input.ts'
import { defaultImporters } from '../../../importers/registry.ts'
import { buildTraces } from '../../build-traces.ts'
import type { Trace } from '../../trace.ts'

/** Test helper: the traces of a file under `fixtures/`, through the real import pipeline. */
export function fixtureTraces(path: string): Trace[] {
  const text = readFileSync(fileURLToPath(new URL(`../../../../fixtures/${path}`, import.meta.url)), 'utf8')
  return buildTraces(importText(text, defaultImporters).spans)
}
