/**
 * `npm run gen -- --spans N --format otlp-json|jaeger-json|zipkin-json [--seed S] [--traces T] [-o FILE]`
 *
 * Writes synthetic traces (see src/generator/generate-spans.ts) to FILE, or to stdout when -o is
 * missing or `-`. The text is produced in chunks and written with backpressure, so a
 * million spans never sit in memory. Prints a one-line summary to stderr.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { GEN_FORMATS, generateTraceText, isGenFormat } from '../src/generator/generate-text.ts'
import type { GenFormat } from '../src/generator/generate-text.ts'
import { validateGenerateOptions } from '../src/generator/generate-spans.ts'
import { parseSeed } from '../src/generator/prng.ts'

const USAGE = `usage: npm run gen -- --spans N --format ${GEN_FORMATS.join('|')} [--seed S] [--traces T] [--otlp-batch B] [-o FILE]`

interface GenArgs {
  readonly spanCount: number
  readonly traceCount: number
  readonly seed: number
  readonly format: GenFormat
  readonly out: string | undefined
  readonly otlpBatchSpans: number | undefined
}

class UsageError extends Error {}

function parseCount(flag: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text.replace(/_/g, ''))) throw new UsageError(`${flag} needs a positive integer`)
  return Number(text.replace(/_/g, ''))
}

function parseArgs(argv: readonly string[]): GenArgs {
  let spanCount: number | undefined
  let traceCount = 1
  let seed = 1
  let format: GenFormat | undefined
  let out: string | undefined
  let otlpBatchSpans: number | undefined
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string
    const value = argv[i + 1]
    switch (flag) {
      case '--spans':
        spanCount = parseCount(flag, value)
        break
      case '--traces':
        traceCount = parseCount(flag, value)
        break
      case '--otlp-batch':
        otlpBatchSpans = parseCount(flag, value)
        if (otlpBatchSpans < 1) throw new UsageError('--otlp-batch must be at least 1')
        break
      case '--seed':
        if (value === undefined) throw new UsageError('--seed needs a value')
        seed = parseSeed(value)
        break
      case '--format':
        if (value === undefined || !isGenFormat(value)) throw new UsageError(`--format must be one of ${GEN_FORMATS.join(', ')}`)
        format = value
        break
      case '-o':
      case '--out':
        if (value === undefined) throw new UsageError(`${flag} needs a file name`)
        out = value === '-' ? undefined : value
        break
      default:
        throw new UsageError(`unknown argument ${flag}`)
    }
    i++
  }
  if (spanCount === undefined) throw new UsageError('--spans is required')
  if (format === undefined) throw new UsageError('--format is required')
  try {
    validateGenerateOptions({ spanCount, traceCount, seed })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  return { spanCount, traceCount, seed, format, out, otlpBatchSpans }
}

async function writeChunks(stream: Writable, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await once(stream, 'drain')
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  let args: GenArgs
  try {
    args = parseArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`gen: ${error.message}\n${USAGE}\n`)
    return 2
  }
  const started = performance.now()
  const chunks = generateTraceText({
    spanCount: args.spanCount,
    traceCount: args.traceCount,
    seed: args.seed,
    format: args.format,
    ...(args.otlpBatchSpans === undefined ? {} : { otlpBatchSpans: args.otlpBatchSpans }),
  })
  let bytes = 0
  const counted = (function* () {
    for (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk)
      yield chunk
    }
  })()
  if (args.out === undefined) {
    await writeChunks(process.stdout, counted)
  } else {
    const stream = createWriteStream(args.out)
    const closed = once(stream, 'close')
    // An open or write error also rejects the pending `drain` wait; the rejection is re-raised below.
    closed.catch(() => undefined)
    await writeChunks(stream, counted)
    stream.end()
    await closed
  }
  const seconds = (performance.now() - started) / 1000
  process.stderr.write(
    `gen: ${args.spanCount} spans, ${args.traceCount} traces, ${args.format}, ${bytes} bytes, ${seconds.toFixed(2)} s -> ${args.out ?? 'stdout'}\n`,
  )
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`gen: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
