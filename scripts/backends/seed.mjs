#!/usr/bin/env node
// Test-only seeder for the local tracing backends started by scripts/backends.sh.
//
//   node scripts/backends/seed.mjs --endpoint http://127.0.0.1:14318 --service NAME --spans N [--trace-id HEX]
//   node scripts/backends/seed.mjs --format zipkin --endpoint http://127.0.0.1:9411 --service NAME --spans N
//
// Builds one trace of N spans over up to three services (NAME, NAME-api,
// NAME-store): a root SERVER span, CLIENT/SERVER pairs for each hop between
// services, INTERNAL spans to fill up, and exactly one span with an error
// status. It is posted as OTLP/JSON to <endpoint>/v1/traces (default) or as
// Zipkin v2 JSON to <endpoint>/api/v2/spans (--format zipkin), and the trace
// id is printed on stdout (nothing else goes to stdout).
//
// Options:
//   --endpoint URL     receiver base URL (a full .../v1/traces or .../api/v2/spans URL is kept as is)
//                      default: http://127.0.0.1:14318 (otlp), http://127.0.0.1:9411 (zipkin)
//   --service NAME     root service name (default: spanglass-seed)
//   --spans N          number of spans, >= 1 (default: 7)
//   --trace-id HEX     32 hex digits (Zipkin also takes 16); default: random
//   --format F         otlp | zipkin (default: otlp)
//   --dry-run          print the request body to stdout instead of posting it (trace id goes to stderr)
//   --help
//
// Node 20+, no dependencies.

import { randomBytes } from 'node:crypto'

function usage(code, msg) {
  if (msg) process.stderr.write(`seed.mjs: ${msg}\n`)
  process.stderr.write(
    'usage: node scripts/backends/seed.mjs [--format otlp|zipkin] [--endpoint URL] ' + '[--service NAME] [--spans N] [--trace-id HEX] [--dry-run]\n',
  )
  process.exit(code)
}

function parseArgs(argv) {
  const opts = { format: 'otlp', service: 'spanglass-seed', spans: 7, dryRun: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const eq = a.indexOf('=')
    const key = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined
    const value = () => {
      if (inline !== undefined) return inline
      if (i + 1 >= argv.length) usage(2, `${key} needs a value`)
      return argv[++i]
    }
    switch (key) {
      case '--endpoint':
        opts.endpoint = value()
        break
      case '--service':
        opts.service = value()
        break
      case '--spans':
        opts.spans = Number(value())
        break
      case '--trace-id':
        opts.traceId = value().toLowerCase()
        break
      case '--format':
        opts.format = value().toLowerCase()
        break
      case '--dry-run':
        opts.dryRun = true
        break
      case '-h':
      case '--help':
        usage(0)
        break
      default:
        usage(2, `unknown argument ${a}`)
    }
  }
  if (!['otlp', 'zipkin'].includes(opts.format)) usage(2, `--format must be otlp or zipkin, not ${opts.format}`)
  if (!Number.isInteger(opts.spans) || opts.spans < 1 || opts.spans > 100000) usage(2, '--spans must be an integer 1..100000')
  if (!opts.service) usage(2, '--service must not be empty')
  if (opts.traceId !== undefined) {
    const ok = opts.format === 'zipkin' ? /^([0-9a-f]{16}|[0-9a-f]{32})$/ : /^[0-9a-f]{32}$/
    if (!ok.test(opts.traceId) || /^0+$/.test(opts.traceId)) {
      usage(2, `--trace-id must be ${opts.format === 'zipkin' ? '16 or 32' : '32'} hex digits, not all zero`)
    }
  } else {
    opts.traceId = hexId(16)
  }
  opts.endpoint ??= opts.format === 'zipkin' ? 'http://127.0.0.1:9411' : 'http://127.0.0.1:14318'
  return opts
}

function hexId(bytes) {
  let h
  do h = randomBytes(bytes).toString('hex')
  while (/^0+$/.test(h))
  return h
}

// ---- the trace, format-neutral ------------------------------------------------

/**
 * @typedef {{id:string, parent?:Span, children:Span[], service:string, kind:'SERVER'|'CLIENT'|'INTERNAL',
 *   name:string, remote?:string, attrs:Record<string,string|number|boolean>, error?:string,
 *   startNs?:bigint, endNs?:bigint}} Span
 */

function buildTrace(rootService, n) {
  const services = [rootService, `${rootService}-api`, `${rootService}-store`]
  const ids = new Set()
  const newId = () => {
    let id
    do id = hexId(8)
    while (ids.has(id))
    ids.add(id)
    return id
  }
  /** @type {Span[]} */
  const spans = []
  const add = (s) => {
    s.children = []
    s.id = newId()
    if (s.parent) s.parent.children.push(s)
    spans.push(s)
    return s
  }
  const root = add({
    service: services[0],
    kind: 'SERVER',
    name: `GET /${rootService}/checkout`,
    attrs: { 'http.request.method': 'GET', 'http.route': `/${rootService}/checkout`, 'http.response.status_code': 200 },
  })
  const servers = [root]
  let next = 0 // round-robin over the server spans that may still call out
  let internal = 0
  while (spans.length < n) {
    const left = n - spans.length
    const callers = servers.filter((s) => services.indexOf(s.service) < services.length - 1)
    if (left >= 2 && callers.length > 0) {
      const caller = callers[next++ % callers.length]
      const callee = services[services.indexOf(caller.service) + 1]
      const hop = servers.length
      const isDb = callee === services[2]
      const op = isDb ? `SELECT orders #${hop}` : `GET /api/items/${hop}`
      const client = add({
        parent: caller,
        service: caller.service,
        kind: 'CLIENT',
        name: op,
        remote: callee,
        attrs: isDb
          ? { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM orders WHERE id = ${hop}`, 'peer.service': callee }
          : { 'http.request.method': 'GET', 'url.full': `http://${callee}/api/items/${hop}`, 'peer.service': callee, 'http.response.status_code': 200 },
      })
      const server = add({
        parent: client,
        service: callee,
        kind: 'SERVER',
        name: op,
        remote: caller.service,
        attrs: isDb ? { 'db.system': 'postgresql' } : { 'http.request.method': 'GET', 'http.route': '/api/items/{id}', 'http.response.status_code': 200 },
      })
      servers.push(server)
    } else {
      const parent = servers[internal++ % servers.length]
      add({ parent, service: parent.service, kind: 'INTERNAL', name: `compute step ${internal}`, attrs: { 'step.index': internal } })
    }
  }
  // Exactly one error: the deepest (last created) server span, else the root.
  const failing = servers.length > 1 ? servers[servers.length - 1] : root
  failing.error = `simulated failure in ${failing.service}`
  if ('http.response.status_code' in failing.attrs) failing.attrs['http.response.status_code'] = 500
  if (failing.parent && failing.parent.kind === 'CLIENT' && 'http.response.status_code' in failing.parent.attrs) {
    failing.parent.attrs['http.response.status_code'] = 500
  }

  // Timing: root ends 50 ms ago and lasts 200 ms + 2 ms per span; children
  // are laid out one after another inside their parent.
  const nowNs = BigInt(Date.now()) * 1_000_000n
  const rootDur = BigInt(200 + 2 * n) * 1_000_000n
  root.startNs = nowNs - 50_000_000n - rootDur
  root.endNs = root.startNs + rootDur
  const layout = (s) => {
    const k = BigInt(s.children.length)
    if (k === 0n) return
    const dur = s.endNs - s.startNs
    const pad = dur / 20n // 5% on both sides
    const slot = (dur - 2n * pad) / k
    s.children.forEach((c, i) => {
      const start = s.startNs + pad + slot * BigInt(i)
      if (s.kind === 'CLIENT') {
        // network latency: the server span sits inside its client span
        c.startNs = s.startNs + pad
        c.endNs = s.endNs - pad
      } else {
        c.startNs = start + slot / 10n
        c.endNs = start + slot - slot / 10n
      }
      if (c.endNs <= c.startNs) c.endNs = c.startNs + 1000n
      layout(c)
    })
  }
  layout(root)
  return { services, spans }
}

// ---- OTLP/JSON -----------------------------------------------------------------

const OTLP_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 }

function otlpValue(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }
  if (typeof v === 'boolean') return { boolValue: v }
  return { stringValue: String(v) }
}
const otlpAttrs = (o) => Object.entries(o).map(([key, v]) => ({ key, value: otlpValue(v) }))

function toOtlp(traceId, { services, spans }) {
  const resourceSpans = []
  for (const service of services) {
    const mine = spans.filter((s) => s.service === service)
    if (mine.length === 0) continue
    resourceSpans.push({
      resource: { attributes: otlpAttrs({ 'service.name': service, 'service.version': '1.0.0', 'telemetry.sdk.name': 'spanglass-seed' }) },
      scopeSpans: [
        {
          scope: { name: 'spanglass-seed', version: '1' },
          spans: mine.map((s) => {
            const span = {
              traceId,
              spanId: s.id,
              ...(s.parent ? { parentSpanId: s.parent.id } : {}),
              name: s.name,
              kind: OTLP_KIND[s.kind],
              startTimeUnixNano: s.startNs.toString(),
              endTimeUnixNano: s.endNs.toString(),
              attributes: otlpAttrs(s.attrs),
              status: s.error ? { code: 2, message: s.error } : { code: 0 },
            }
            if (s.error) {
              span.events = [
                {
                  timeUnixNano: ((s.startNs + s.endNs) / 2n).toString(),
                  name: 'exception',
                  attributes: otlpAttrs({ 'exception.type': 'SeedError', 'exception.message': s.error }),
                },
              ]
            }
            return span
          }),
        },
      ],
    })
  }
  return { resourceSpans }
}

// ---- Zipkin v2 JSON --------------------------------------------------------------

function toZipkin(traceId, { spans }) {
  const us = (ns) => Number(ns / 1000n)
  return spans.map((s) => {
    const tags = {}
    for (const [k, v] of Object.entries(s.attrs)) tags[k] = String(v)
    if (s.error) tags.error = s.error
    const z = {
      traceId,
      id: s.id,
      ...(s.parent ? { parentId: s.parent.id } : {}),
      name: s.name.toLowerCase(),
      ...(s.kind === 'INTERNAL' ? {} : { kind: s.kind }),
      timestamp: us(s.startNs),
      duration: Math.max(1, us(s.endNs) - us(s.startNs)),
      localEndpoint: { serviceName: s.service },
      ...(s.kind === 'CLIENT' && s.remote ? { remoteEndpoint: { serviceName: s.remote } } : {}),
      tags,
    }
    if (s.error) z.annotations = [{ timestamp: us((s.startNs + s.endNs) / 2n), value: 'exception' }]
    return z
  })
}

// ---- main ------------------------------------------------------------------------

function targetUrl(endpoint, format) {
  const base = endpoint.replace(/\/+$/, '')
  const suffix = format === 'zipkin' ? '/api/v2/spans' : '/v1/traces'
  return base.endsWith(suffix) ? base : base + suffix
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const trace = buildTrace(opts.service, opts.spans)
  const body = JSON.stringify(opts.format === 'zipkin' ? toZipkin(opts.traceId, trace) : toOtlp(opts.traceId, trace))
  if (opts.dryRun) {
    process.stdout.write(body + '\n')
    process.stderr.write(opts.traceId + '\n')
    return
  }
  const url = targetUrl(opts.endpoint, opts.format)
  let res
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(15000),
    })
  } catch (err) {
    process.stderr.write(`seed.mjs: POST ${url} failed: ${err.cause?.message ?? err.message}\n`)
    process.exit(1)
  }
  const text = await res.text()
  if (!res.ok) {
    process.stderr.write(`seed.mjs: POST ${url} -> HTTP ${res.status}: ${text.slice(0, 500)}\n`)
    process.exit(1)
  }
  // OTLP partial success: the receiver accepted the request but dropped spans.
  if (opts.format === 'otlp' && text) {
    try {
      const ps = JSON.parse(text).partialSuccess
      if (ps && Number(ps.rejectedSpans ?? 0) > 0) {
        process.stderr.write(`seed.mjs: ${ps.rejectedSpans} spans rejected: ${ps.errorMessage ?? ''}\n`)
        process.exit(1)
      }
    } catch {
      /* not JSON: fine */
    }
  }
  process.stdout.write(opts.traceId + '\n')
}

main()
