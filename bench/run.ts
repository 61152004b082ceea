/**
 * `npm run bench [-- options]`: generated traces through the import pipeline in Node and in the
 * browser; writes bench/results/<date>.json and .md and prints the table. See bench/README.md.
 *
 *   --full                 add 1,000,000 spans (minutes; memory-hungry)
 *   --sizes 10k,100k       span counts for Node (default 10k,100k; with --full also 1M)
 *   --formats a,b          otlp-json, jaeger-json, zipkin-json (default all)
 *   --runs N               timed runs per Node input (default 7 for ≤10k, 5 for 100k, 1 for 1M)
 *   --browser-sizes 100k   span counts for the browser (default 100k; with --full also 1M)
 *   --browser-runs N       runs per browser input and mode (default 3; 1 for 1M)
 *   --no-browser | --browser-only
 *   --report-only [DATE]   re-render the tables of bench/results/<DATE>.json (default today)
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { BENCH_FORMATS, ensureInput, parseSpanCount, REPO_ROOT, spanLabel } from './inputs.ts'
import type { BenchFormat, BenchInput } from './inputs.ts'
import { renderMarkdown } from './report.ts'
import type { BenchResults, BrowserEntry, NodeEntry } from './report.ts'

interface Options {
  sizes: number[]
  formats: BenchFormat[]
  runs: number | undefined
  browserSizes: number[]
  browserRuns: number | undefined
  isNode: boolean
  isBrowser: boolean
}

function parseOptions(argv: readonly string[]): Options {
  const isFull = argv.includes('--full')
  const value = (flag: string) => {
    const at = argv.indexOf(flag)
    return at >= 0 ? argv[at + 1] : undefined
  }
  const list = (text: string | undefined) => (text === undefined ? undefined : text.split(',').filter(Boolean))
  const formats = (list(value('--formats')) ?? [...BENCH_FORMATS]) as BenchFormat[]
  for (const format of formats) if (!(BENCH_FORMATS as readonly string[]).includes(format)) throw new Error(`unknown format ${format}`)
  return {
    sizes: (list(value('--sizes')) ?? (isFull ? ['10k', '100k', '1M'] : ['10k', '100k'])).map(parseSpanCount),
    formats,
    runs: value('--runs') === undefined ? undefined : Number(value('--runs')),
    browserSizes: (list(value('--browser-sizes')) ?? (isFull ? ['100k', '1M'] : ['100k'])).map(parseSpanCount),
    browserRuns: value('--browser-runs') === undefined ? undefined : Number(value('--browser-runs')),
    isNode: !argv.includes('--browser-only'),
    isBrowser: !argv.includes('--no-browser'),
  }
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`)
}

/** Runs bench/node-measure.ts in a fresh process and returns its JSON. */
function measure(mode: string, input: BenchInput, runs: number): Record<string, unknown> {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=12288', '--import', 'tsx', join(REPO_ROOT, 'bench/node-measure.ts'), mode, input.path, input.format, String(runs)],
    { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  )
  if (result.status !== 0) {
    const reason = (result.stderr || '').trim().split('\n').slice(-3).join(' | ')
    log(`  ${mode} failed: ${reason}`)
    return { error: reason || `exit ${result.status}` }
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>
}

function defaultRuns(spanCount: number): number {
  return spanCount >= 1_000_000 ? 1 : spanCount >= 100_000 ? 5 : 7
}

function runNode(options: Options): NodeEntry[] {
  const entries: NodeEntry[] = []
  for (const spanCount of options.sizes) {
    for (const format of options.formats) {
      const input = ensureInput(format, spanCount, 1, log)
      const runs = options.runs ?? defaultRuns(spanCount)
      log(`node ${format} ${spanLabel(spanCount)} (${(input.bytes / 1e6).toFixed(0)} MB): ${runs} timed run(s)`)
      const time = measure('time', input, runs)
      const memoryStream = measure('memory-stream', input, 1)
      const memoryText = input.bytes <= 480 * 1024 * 1024 ? measure('memory-text', input, 1) : undefined
      entries.push({ format, spanCount, bytes: input.bytes, time, memoryStream, memoryText })
    }
  }
  return entries
}

function runBrowser(options: Options): BrowserEntry[] | { error: string } {
  const work = mkdtempSync(join(tmpdir(), 'spanglass-bench-'))
  const outFile = join(work, 'browser.json')
  const inputs = options.browserSizes.flatMap((spanCount) =>
    options.formats.map((format) => {
      const input = ensureInput(format, spanCount, 1, log)
      const isHuge = spanCount >= 1_000_000
      return { ...input, runs: options.browserRuns ?? (isHuge ? 1 : 3), modes: isHuge ? ['drop'] : ['drop', 'url'] }
    }),
  )
  log(`browser: ${inputs.length} input(s), production build on port ${process.env.SPANGLASS_BENCH_PORT ?? 4180}`)
  const result = spawnSync('npx', ['playwright', 'test', '-c', 'bench/playwright.bench.config.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, SPANGLASS_BENCH_INPUTS: JSON.stringify(inputs), SPANGLASS_BENCH_OUT: outFile, FORCE_COLOR: '0' },
  })
  try {
    if (!existsSync(outFile)) return { error: `the browser run wrote no results (exit ${result.status})` }
    return JSON.parse(readFileSync(outFile, 'utf8')) as BrowserEntry[]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Entries of an earlier run of the same day, with those measured again replaced (same format and size). */
function mergeEntries<T extends { format: string; spanCount: number }>(earlier: readonly T[], latest: readonly T[]): T[] {
  const key = (entry: T) => `${entry.format} ${entry.spanCount}`
  const replaced = new Set(latest.map(key))
  const merged = [...earlier.filter((entry) => !replaced.has(key(entry))), ...latest]
  return merged.sort((a, b) => a.spanCount - b.spanCount || a.format.localeCompare(b.format))
}

function today(): string {
  const now = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

function writeMarkdown(results: BenchResults, mdPath: string, jsonPath: string): void {
  writeFileSync(mdPath, renderMarkdown(results))
  // The results are committed: keep them in the repository's format.
  spawnSync('npx', ['prettier', '--write', '--log-level', 'warn', jsonPath, mdPath], { cwd: REPO_ROOT, stdio: 'ignore' })
  process.stdout.write(`${readFileSync(mdPath, 'utf8')}\n`)
}

function main(): void {
  const argv = process.argv.slice(2)
  const options = parseOptions(argv)
  const date = today()
  const dir = join(REPO_ROOT, 'bench/results')
  mkdirSync(dir, { recursive: true })
  const jsonPath = join(dir, `${date}.json`)
  // `--report-only [DATE]`: the tables again from the raw results, nothing measured.
  if (argv.includes('--report-only')) {
    const at = argv.indexOf('--report-only')
    const day = /^\d{4}-\d{2}-\d{2}$/.test(argv[at + 1] ?? '') ? (argv[at + 1] as string) : date
    const path = join(dir, `${day}.json`)
    writeMarkdown(JSON.parse(readFileSync(path, 'utf8')) as BenchResults, join(dir, `${day}.md`), path)
    return
  }
  // A later run of some inputs keeps the figures of the others measured the same day.
  const previous = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchResults) : undefined
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    node: process.version,
    loadAverageStart: loadavg().map((n) => Math.round(n * 100) / 100),
  }
  const node = mergeEntries(previous?.node ?? [], options.isNode ? runNode(options) : [])
  const measured = options.isBrowser ? runBrowser(options) : []
  const earlierBrowser = Array.isArray(previous?.browser) ? (previous.browser as BrowserEntry[]) : []
  const browser = Array.isArray(measured) ? mergeEntries(earlierBrowser, measured) : measured
  const results: BenchResults = {
    date,
    machine: { ...machine, loadAverageEnd: loadavg().map((n) => Math.round(n * 100) / 100) },
    node,
    browser,
  }
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 1)}\n`)
  writeMarkdown(results, join(dir, `${date}.md`), jsonPath)
  log(`wrote bench/results/${date}.json and .md`)
}

main()
