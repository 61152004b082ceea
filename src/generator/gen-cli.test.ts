import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readGenerated } from './testing/read-generated.ts'

const dir = mkdtempSync(join(tmpdir(), 'spanglass-gen-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const runGen = (args: readonly string[]) => spawnSync('node_modules/.bin/tsx', ['scripts/gen.ts', ...args], { encoding: 'utf8', timeout: 30_000 })

describe('scripts/gen.ts', () => {
  it('writes a Jaeger file with the asked span count and prints a summary', () => {
    const out = join(dir, 'x.json')
    const result = runGen(['--spans', '2000', '--format', 'jaeger-json', '--seed', '5', '-o', out])
    expect(result.status).toBe(0)
    const fileText = readFileSync(out, 'utf8')
    expect(result.stderr).toMatch(new RegExp(`^gen: 2000 spans, 1 traces, jaeger-json, ${Buffer.byteLength(fileText)} bytes, [\\d.]+ s -> `, 'm'))
    const spans = readGenerated('jaeger-json', fileText)
    expect(spans).toHaveLength(2000)
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1)
  }, 30_000)

  it('fails with usage on bad arguments', () => {
    const result = runGen(['--spans', '10', '--format', 'xml'])
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/--format must be one of/)
  }, 30_000)
})
