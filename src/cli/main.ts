import { open, readFile, stat, writeFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { TraceSet } from '../model/build-traces.ts'
import type { Trace } from '../model/trace.ts'
import { toJaegerJson } from '../exporters/jaeger-json.ts'
import { toOtlpJson } from '../exporters/otlp-json.ts'
import { toZipkinJson } from '../exporters/zipkin-json.ts'
import { ImportError } from '../importers/import-error.ts'
import { importBytes, isGzip } from '../importers/import-input.ts'
import { importByteStream, shouldStream } from '../importers/stream-import.ts'
import { defaultImporters } from '../importers/registry.ts'
import { stringifyJson } from '../lib/stringify-json.ts'
import { fileByteStream } from './file-stream.ts'
import type { FileSummary } from './inspect.ts'
import { formatReport, summarizeTraces } from './inspect.ts'

const CONVERTERS: Record<string, (traces: readonly Trace[]) => unknown> = {
  'otlp-json': toOtlpJson,
  'jaeger-json': toJaegerJson,
  'zipkin-json': toZipkinJson,
}

const USAGE = `usage:
  spanglass inspect FILE... [--json]
  spanglass convert FILE... --to otlp-json|jaeger-json|zipkin-json [-o OUT]`

/** A failure the user caused (bad file, bad arguments): one line on stderr, no stack trace. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

interface Options {
  command: string
  files: string[]
  json: boolean
  to?: string
  out?: string
}

function parseArgs(argv: readonly string[]): Options {
  const [command, ...rest] = argv
  if (command !== 'inspect' && command !== 'convert') throw new CliError(command ? `unknown command "${command}"\n${USAGE}` : USAGE, 2)
  const options: Options = { command, files: [], json: false }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string
    if (arg === '--json') options.json = true
    else if (arg === '--to') options.to = rest[++i]
    else if (arg.startsWith('--to=')) options.to = arg.slice(5)
    else if (arg === '-o' || arg === '--out') options.out = rest[++i]
    else if (arg.startsWith('--out=')) options.out = arg.slice(6)
    else if (arg === '--help' || arg === '-h') throw new CliError(USAGE, 0)
    else if (arg.startsWith('-') && arg !== '-') throw new CliError(`unknown option "${arg}"\n${USAGE}`, 2)
    else options.files.push(arg)
  }
  if (options.files.length === 0) throw new CliError(`no input file\n${USAGE}`, 2)
  if (command === 'convert') {
    if (!options.to) throw new CliError(`convert needs --to ${Object.keys(CONVERTERS).join('|')}`, 2)
    if (!(options.to in CONVERTERS)) throw new CliError(`unknown output format "${options.to}": use ${Object.keys(CONVERTERS).join(', ')}`, 2)
  }
  return options
}

async function startsWithGzip(file: string): Promise<boolean> {
  const handle = await open(file)
  try {
    const head = new Uint8Array(2)
    await handle.read(head, 0, 2, 0)
    return isGzip(head)
  } finally {
    await handle.close()
  }
}

async function loadFiles(files: readonly string[]): Promise<{ summaries: FileSummary[]; traces: Trace[] }> {
  const set = new TraceSet()
  const summaries: FileSummary[] = []
  for (const file of files) {
    let bytes: Uint8Array | undefined
    let stream: ReadableStream<Uint8Array> | undefined
    try {
      // Large files (and gzip that inflates to one) are parsed as they are read: a text over ~512 MB cannot be one string.
      if (file !== '-' && shouldStream((await stat(file)).size, await startsWithGzip(file))) {
        stream = fileByteStream(file)
      } else {
        bytes = new Uint8Array(await readFile(file === '-' ? '/dev/stdin' : file))
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message)
      throw new CliError(`${file}: cannot read: ${reason}`)
    }
    try {
      const result = stream
        ? await importByteStream(stream, defaultImporters, { reuseReadBuffer: true })
        : await importBytes(bytes as Uint8Array, defaultImporters)
      set.add(result.spans)
      summaries.push({ file, format: result.format, spans: result.spans.length })
    } catch (error) {
      if (error instanceof ImportError) throw new CliError(`${file}: ${error.message}`)
      throw error
    }
  }
  return { summaries, traces: set.buildAll() }
}

async function run(argv: readonly string[]): Promise<void> {
  const options = parseArgs(argv)
  const { summaries, traces } = await loadFiles(options.files)
  if (options.command === 'inspect') {
    const report = summarizeTraces(summaries, traces)
    process.stdout.write(`${options.json ? stringifyJson(report) : formatReport(report, traces)}\n`)
    return
  }
  const convert = CONVERTERS[options.to as string] as (traces: readonly Trace[]) => unknown
  const text = `${stringifyJson(convert(traces))}\n`
  if (options.out && options.out !== '-') {
    try {
      await writeFile(options.out, text)
    } catch (error) {
      throw new CliError(`${options.out}: cannot write: ${(error as Error).message}`)
    }
    process.stderr.write(
      `wrote ${traces.length} trace${traces.length === 1 ? '' : 's'} (${traces.reduce((n, t) => n + t.spanCount, 0)} spans) to ${basename(options.out)}\n`,
    )
  } else {
    process.stdout.write(text)
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    const stream = error.exitCode === 0 ? process.stdout : process.stderr
    stream.write(`${error.message}\n`)
    process.exit(error.exitCode)
  }
  // An unexpected failure is a bug, but still one line for scripts.
  process.stderr.write(`spanglass: internal error: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
