#!/usr/bin/env node
// End-to-end smoke check of the backends started by scripts/backends.sh:
// seeds one trace into each (OTLP for Jaeger and Tempo, Zipkin v2 JSON for
// Zipkin), reads it back through every query API and checks span counts, then
// checks that the search and dependency endpoints answer.
//
//   node scripts/backends/verify.mjs [jaeger] [zipkin] [tempo] [--spans N]
//
// Ports follow the same environment variables as scripts/backends.sh.
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
// Node 20+, no dependencies.

import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
const env = process.env
const host = 'http://127.0.0.1'
const JAEGER = `${host}:${env.JAEGER_QUERY_PORT || 16686}`
const JAEGER_OTLP = `${host}:${env.JAEGER_OTLP_HTTP_PORT || 14318}`
const ZIPKIN = `${host}:${env.ZIPKIN_PORT || 9411}`
const TEMPO = `${host}:${env.TEMPO_HTTP_PORT || 3200}`
const TEMPO_OTLP = `${host}:${env.TEMPO_OTLP_HTTP_PORT || 24318}`

const args = process.argv.slice(2)
let spans = 9
const names = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--spans') spans = Number(args[++i])
  else if (['jaeger', 'zipkin', 'tempo'].includes(args[i])) names.push(args[i])
  else {
    console.error(`verify.mjs: unknown argument ${args[i]}`)
    process.exit(2)
  }
}
if (names.length === 0) names.push('jaeger', 'zipkin', 'tempo')

let passed = 0
let failed = 0
function check(name, ok, detail = '') {
  if (ok) passed++
  else failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`)
}

function seed(format, endpoint, service) {
  const out = execFileSync(
    process.execPath,
    [join(here, 'seed.mjs'), '--format', format, '--endpoint', endpoint, '--service', service, '--spans', String(spans)],
    { encoding: 'utf8' },
  )
  return out.trim()
}

async function get(url, { retryUntil200 = 0 } = {}) {
  const deadline = Date.now() + retryUntil200
  for (;;) {
    let res
    try {
      res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10000) })
    } catch (err) {
      return { status: 0, error: err.cause?.message ?? err.message }
    }
    const text = await res.text()
    if (res.status === 200 || Date.now() >= deadline) {
      let json
      try {
        json = JSON.parse(text)
      } catch {
        /* not JSON */
      }
      return { status: res.status, json, text }
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

const otlpSpanCount = (resourceSpans = []) =>
  resourceSpans.reduce((n, r) => n + (r.scopeSpans ?? r.instrumentationLibrarySpans ?? []).reduce((m, s) => m + (s.spans?.length ?? 0), 0), 0)

const svc = (b) => `sgverify-${b}-${Date.now().toString(36)}`
const nowMs = () => Date.now()

async function jaeger() {
  const service = svc('jaeger')
  const id = seed('otlp', JAEGER_OTLP, service)
  let r = await get(`${JAEGER}/api/traces/${id}`, { retryUntil200: 10000 })
  check('jaeger GET /api/traces/{id}', r.json?.data?.[0]?.spans?.length === spans, `status ${r.status}, spans ${r.json?.data?.[0]?.spans?.length}`)
  r = await get(`${JAEGER}/api/v3/traces/${id}`, { retryUntil200: 5000 })
  check(
    'jaeger GET /api/v3/traces/{id}',
    otlpSpanCount(r.json?.result?.resourceSpans) === spans,
    `status ${r.status}, spans ${otlpSpanCount(r.json?.result?.resourceSpans)}`,
  )
  r = await get(`${JAEGER}/api/v3/services`)
  check('jaeger GET /api/v3/services', r.json?.services?.includes(service), `status ${r.status}`)
  r = await get(`${JAEGER}/api/services`)
  check('jaeger GET /api/services', r.json?.data?.includes(service), `status ${r.status}`)
  r = await get(`${JAEGER}/api/traces?service=${encodeURIComponent(service)}&limit=10`)
  check(
    'jaeger GET /api/traces?service=',
    r.json?.data?.some((t) => t.traceID === id),
    `status ${r.status}, traces ${r.json?.data?.length}`,
  )
  const min = new Date(nowMs() - 3600e3).toISOString()
  const max = new Date(nowMs() + 60e3).toISOString()
  r = await get(
    `${JAEGER}/api/v3/traces?query.service_name=${encodeURIComponent(service)}&query.start_time_min=${min}&query.start_time_max=${max}&query.num_traces=10`,
  )
  check('jaeger GET /api/v3/traces?query.service_name=', otlpSpanCount(r.json?.result?.resourceSpans) === spans, `status ${r.status}`)
  r = await get(`${JAEGER}/api/dependencies?endTs=${nowMs()}&lookback=3600000`)
  check(
    'jaeger GET /api/dependencies',
    r.json?.data?.some((d) => d.parent === service && d.child === `${service}-api`),
    `status ${r.status}, links ${r.json?.data?.length}`,
  )
}

async function zipkin() {
  const service = svc('zipkin')
  const id = seed('zipkin', ZIPKIN, service)
  let r = await get(`${ZIPKIN}/api/v2/trace/${id}`, { retryUntil200: 10000 })
  check('zipkin GET /api/v2/trace/{id}', r.json?.length === spans, `status ${r.status}, spans ${r.json?.length}`)
  r = await get(`${ZIPKIN}/api/v2/services`)
  check('zipkin GET /api/v2/services', r.json?.includes(service), `status ${r.status}`)
  r = await get(`${ZIPKIN}/api/v2/traces?serviceName=${encodeURIComponent(service)}&limit=10`)
  check(
    'zipkin GET /api/v2/traces?serviceName=',
    r.json?.some((t) => t[0]?.traceId === id && t.length === spans),
    `status ${r.status}, traces ${r.json?.length}`,
  )
  r = await get(`${ZIPKIN}/api/v2/dependencies?endTs=${nowMs()}&lookback=3600000`)
  const link = r.json?.find?.((d) => d.parent === service && d.child === `${service}-api`)
  check('zipkin GET /api/v2/dependencies', !!link, `status ${r.status}, ${JSON.stringify(link)}`)
}

async function tempo() {
  const service = svc('tempo')
  const id = seed('otlp', TEMPO_OTLP, service)
  let r = await get(`${TEMPO}/api/traces/${id}`, { retryUntil200: 20000 })
  check('tempo GET /api/traces/{id}', otlpSpanCount(r.json?.batches) === spans, `status ${r.status}, spans ${otlpSpanCount(r.json?.batches)}`)
  r = await get(`${TEMPO}/api/v2/traces/${id}`, { retryUntil200: 5000 })
  check(
    'tempo GET /api/v2/traces/{id}',
    otlpSpanCount(r.json?.trace?.resourceSpans) === spans,
    `status ${r.status}, spans ${otlpSpanCount(r.json?.trace?.resourceSpans)}`,
  )
  // search only sees a trace once the ingester has moved it out of the live set
  // (trace_idle_period 2s in scripts/backends/tempo/tempo.yaml)
  const q = encodeURIComponent(`{resource.service.name="${service}"}`)
  let found
  const deadline = Date.now() + 20000
  do {
    r = await get(`${TEMPO}/api/search?q=${q}&limit=10`)
    found = r.json?.traces?.some((t) => t.traceID === id)
    if (!found) await new Promise((res) => setTimeout(res, 500))
  } while (!found && Date.now() < deadline)
  check('tempo GET /api/search?q=TraceQL', found, `status ${r.status}, traces ${r.json?.traces?.length}`)
  r = await get(`${TEMPO}/api/search?tags=${encodeURIComponent(`service.name=${service}`)}&limit=10`)
  check(
    'tempo GET /api/search?tags=',
    r.json?.traces?.some((t) => t.traceID === id),
    `status ${r.status}`,
  )
  r = await get(`${TEMPO}/api/v2/search/tags`)
  check('tempo GET /api/v2/search/tags', Array.isArray(r.json?.scopes), `status ${r.status}`)
  r = await get(`${TEMPO}/api/search/tag/service.name/values`)
  check('tempo GET /api/search/tag/service.name/values', r.json?.tagValues?.includes(service), `status ${r.status}`)
}

const run = { jaeger, zipkin, tempo }
for (const n of names) {
  try {
    await run[n]()
  } catch (err) {
    check(`${n} (unexpected error)`, false, err.message)
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
