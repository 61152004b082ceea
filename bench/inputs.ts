/**
 * Generated benchmark inputs, cached outside the repository: a file is generated once per
 * (format, span count, seed, generator source) and reused by later runs. The cache key includes
 * a hash of `src/generator/**` so that a change to the generator regenerates the files.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BENCH_FORMATS = ['otlp-json', 'jaeger-json', 'zipkin-json'] as const
export type BenchFormat = (typeof BENCH_FORMATS)[number]

export interface BenchInput {
  readonly format: BenchFormat
  readonly spanCount: number
  readonly seed: number
  readonly path: string
  readonly bytes: number
}

/** `SPANGLASS_BENCH_CACHE` overrides the cache directory (default: the OS temp directory). */
export function cacheDir(): string {
  return process.env.SPANGLASS_BENCH_CACHE ?? join(tmpdir(), 'spanglass-bench-cache')
}

function generatorHash(): string {
  const hash = createHash('sha256')
  const dir = join(REPO_ROOT, 'src/generator')
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .sort()) {
    hash.update(name)
    hash.update(readFileSync(join(dir, name)))
  }
  hash.update(readFileSync(join(REPO_ROOT, 'scripts/gen.ts')))
  return hash.digest('hex').slice(0, 12)
}

/** Short label for a span count: 10k, 100k, 1M. */
export function spanLabel(spanCount: number): string {
  if (spanCount >= 1_000_000 && spanCount % 1_000_000 === 0) return `${spanCount / 1_000_000}M`
  if (spanCount >= 1_000 && spanCount % 1_000 === 0) return `${spanCount / 1_000}k`
  return String(spanCount)
}

/** Parses "10k", "100k", "1M", "2500". */
export function parseSpanCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim().replace(/_/g, ''))
  if (!match) throw new Error(`not a span count: ${text}`)
  const unit = match[2]?.toLowerCase()
  return Math.round(Number(match[1]) * (unit === 'k' ? 1_000 : unit === 'm' ? 1_000_000 : 1))
}

/** The cached input, generated (by `npm run gen` in a child process) when missing. */
export function ensureInput(format: BenchFormat, spanCount: number, seed = 1, log: (line: string) => void = () => undefined): BenchInput {
  const dir = join(cacheDir(), generatorHash())
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${format}-${spanCount}-seed${seed}.json`)
  if (!existsSync(path)) {
    log(`generating ${spanLabel(spanCount)} spans of ${format} → ${path}`)
    const partial = `${path}.${process.pid}.partial`
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'scripts/gen.ts'), '--spans', String(spanCount), '--format', format, '--seed', String(seed), '-o', partial],
      { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    )
    if (result.status !== 0) throw new Error(`generating ${path} failed (exit ${result.status})`)
    renameSync(partial, path)
  }
  return { format, spanCount, seed, path, bytes: statSync(path).size }
}
