import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findAttribute } from '../model/attributes.ts'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { SpanRecord } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import { importDocuments } from './import-input.ts'
import type { TraceImporter } from './importer.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { zipkinV1Importer, zipkinV2Importer } from './zipkin.ts'

function fixture(path: string): unknown {
  const documents = parseJsonDocuments(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8'))
  expect(documents).toHaveLength(1)
  return documents[0]
}

/**
 * The compact dump of every trace, then the importer's own warnings. Trace warnings are shown
 * by kind and span ids only: their wording belongs to `buildTraces`, not to this importer.
 */
function dumpImport(importer: TraceImporter, document: unknown): string {
  const result = importer.importDocument(document)
  const lines: string[] = []
  for (const trace of buildTraces(result.spans)) {
    for (const line of dumpTrace(trace).split('\n')) if (!line.startsWith('warning ')) lines.push(line)
    for (const warning of trace.warnings) lines.push(`warning ${warning.kind}: ${warning.spanIds.join(' ')}`)
  }
  for (const warning of result.warnings) lines.push(`import ${warning.kind}: ${warning.message}`)
  return lines.join('\n')
}

function spansOf(importer: TraceImporter, document: unknown): SpanRecord[] {
  return importer.importDocument(document).spans
}

function spanById(spans: readonly SpanRecord[], spanId: string): SpanRecord {
  const span = spans.find((s) => s.spanId === spanId)
  if (!span) throw new Error(`no span ${spanId}`)
  return span
}

const V2_FIXTURES = [
  'ascend.json',
  'envoy.json',
  'messaging-kafka.json',
  'messaging.json',
  'messaging2.json',
  'simple-db-p6.json',
  'smartthings-oauth-authorization.json',
  'yelp.json',
  'zipkin_01.json',
  'shared-without-flag.spanglass.json',
]
const V1_FIXTURES = ['span-client.json', 'span-local.json', 'span-rpc.json', 'test.json']

describe('detection', () => {
  it.each(V2_FIXTURES)('zipkin/%s is v2 and not v1', (name) => {
    const document = fixture(`zipkin/${name}`)
    expect(zipkinV2Importer.detect(document)).toBe(true)
    expect(zipkinV1Importer.detect(document)).toBe(false)
  })

  it.each(V1_FIXTURES)('zipkin/%s is v1 and not v2', (name) => {
    const document = fixture(`zipkin/${name}`)
    expect(zipkinV1Importer.detect(document)).toBe(true)
    expect(zipkinV2Importer.detect(document)).toBe(false)
  })

  // Loaded lazily so that the other importers the registry pulls in cannot break this file.
  it.each([...V2_FIXTURES.map((n) => [n, 'zipkin-v2']), ...V1_FIXTURES.map((n) => [n, 'zipkin-v1'])])(
    'the default importer set reads zipkin/%s as %s (no other importer claims it)',
    async (name, format) => {
      const { defaultImporters } = await import('./registry.ts')
      expect(importDocuments([fixture(`zipkin/${name}`)], defaultImporters).format).toBe(format)
    },
  )

  it.each(['jaeger/testTrace.json', 'jaeger/ui_01.json', 'jaeger/small.json', 'otlp/trace.json', 'otlp/span.json', 'tempo/trace_by_id.json'])(
    'rejects %s',
    (path) => {
      const document = fixture(path)
      expect(zipkinV2Importer.detect(document)).toBe(false)
      expect(zipkinV1Importer.detect(document)).toBe(false)
    },
  )

  it('rejects Jaeger span lists, bare OTLP spans and scalars', () => {
    const documents: unknown[] = [
      [{ traceID: 'a', spanID: 'b', processID: 'p1' }],
      [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'x' }],
      [],
      {},
      null,
      5,
      'traceId',
      [[]],
      [null, 5, { traceId: {} }],
    ]
    for (const document of documents) {
      expect(zipkinV2Importer.detect(document)).toBe(false)
      expect(zipkinV1Importer.detect(document)).toBe(false)
    }
  })

  it('tells v1 from v2 by the first spans only, and a span with v2 fields is never v1', () => {
    const v1 = {
      traceId: 'a',
      id: 'b',
      annotations: [{ timestamp: 1, value: 'sr', endpoint: { serviceName: 's' } }],
    }
    expect(zipkinV1Importer.detect([v1])).toBe(true)
    expect(zipkinV1Importer.detect([[v1]])).toBe(true)
    expect(zipkinV1Importer.detect(v1)).toBe(true)
    expect(zipkinV1Importer.detect([{ ...v1, localEndpoint: { serviceName: 's' } }])).toBe(false)
    expect(zipkinV2Importer.detect([{ ...v1, localEndpoint: { serviceName: 's' } }])).toBe(true)
    // A v1 span without annotations looks like a v2 local span, and reads the same as one.
    expect(zipkinV2Importer.detect([{ traceId: 'a', id: 'b', name: 'n' }])).toBe(true)
  })
})

describe('zipkinV2Importer on real files', () => {
  it('ascend.json: shared server halves get new ids under their client; server-side children follow them', () => {
    // ecc00062ceef4bf0 and 52b1ab4956917c39 each exist as a mobile-gateway CLIENT and a shared
    // SERVER (content-service / auth-service). hystrix, get (content-service) and
    // extend-token-life (auth-service) name the shared id as parent and run in the server process.
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/ascend.json'))).toBe(
      [
        'trace 0000000000000000ef86c83c0a05a6d6 spans=8 start=1531282088533035000 duration=38793us',
        'mobile-gateway:get +0us 38793us server #ef86c83c0a05a6d6',
        '  mobile-gateway:get +799us 14077us client #52b1ab4956917c39',
        '    auth-service:http:/parent/auth-service/v1/authentications/ +19965us 4157us server !outside-parent #49e959bc31242245',
        '      auth-service:extend-token-life +19965us 1291us internal #80c0d1d62f437a1b',
        '  mobile-gateway:get +15277us 20333us client #ecc00062ceef4bf0',
        '    content-service:get /content/personal +19002us 15888us server #6f5170aa382b89ee',
        '      content-service:hystrix +22303us 863us internal #e6422f7ff7d78099',
        '      content-service:get +23565us 8965us client #c21c6c51ac71b3ba',
        'warning child-outside-parent: 49e959bc31242245',
      ].join('\n'),
    )
    const spans = spansOf(zipkinV2Importer, fixture('zipkin/ascend.json'))
    const server = spanById(spans, '6f5170aa382b89ee')
    expect(server.originalSpanId).toBe('ecc00062ceef4bf0')
    expect(server.parentSpanId).toBe('ecc00062ceef4bf0')
    expect(spanById(spans, 'ecc00062ceef4bf0').originalSpanId).toBeUndefined()
    expect(spanById(spans, 'e6422f7ff7d78099').parentSpanId).toBe('6f5170aa382b89ee')
  })

  it('yelp.json: the server half written before its client, lone shared roots, children by service', () => {
    // 668ed78ad94b35a1: SERVER yelp_main/api_proxy (shared, listed first) and CLIENT "unknown".
    // Its children run in yelp-main, which is neither side's service, so, as in Zipkin, they stay
    // on the client. f5f268651b2a2b34's children run in mobile_api, the server's service.
    // 2e8cfb154b59a41f is shared but alone (its client was not reported): it keeps its id.
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/yelp.json'))).toBe(
      [
        'trace 0000000000000000a03ee8fff1dcd9b9 spans=16 start=1571896375237354000 duration=131848us',
        'routing:post /location/update/v4 +0us 131848us server #2e8cfb154b59a41f',
        '  unknown:post +1646us 125000us client #668ed78ad94b35a1',
        '    yelp_main/api_proxy:post api proxy proxy +27641us 88935us server #dc1a0c1b288f6698',
        '    yelp-main:get my_cache_name_v2 +30661us 993us client #e7d1a2d5a788ac81',
        '    yelp-main:txn: user_get_basic_and_scout_info +31856us 3884us internal #241cea1aa4cb2884',
        '      yelp-main:begin +32378us 445us client #b593cd7513dc736e',
        '      yelp-main:get user_details_cache-20150901 +33084us 1068us client #2b68987704862c4f',
        '      yelp-main:get_multi my_cache_name_v1 +34771us 233us client #0facde7c9130fd93',
        '      yelp-main:commit +35250us 374us client #50b57281525a99d8',
        '  yelp-main:post +49646us 56000us client #f5f268651b2a2b34',
        '    mobile_api:post /location/update/v4 +59749us 41740us server #5d02674b6740a531',
        '      mobile_api:get_multi mobile_api_nonce +63288us 1066us client #cb4d73f31cd90cae',
        '      mobile_api:set mobile_api_nonce +64676us 1026us client #6a65182ea4f684c3',
        '      mobile_api:get +72646us 3000us client #7a778764a0d0b594',
        '        spectre:get +73386us 1490us server #82e6ac185cad05ac',
        '      mobile_api:post +84646us 14000us client #15fc03927f0f68df',
      ].join('\n'),
    )
    const spans = spansOf(zipkinV2Importer, fixture('zipkin/yelp.json'))
    expect(spanById(spans, 'dc1a0c1b288f6698').originalSpanId).toBe('668ed78ad94b35a1')
    expect(spanById(spans, '5d02674b6740a531').originalSpanId).toBe('f5f268651b2a2b34')
    expect(spanById(spans, '82e6ac185cad05ac').originalSpanId).toBe('7a778764a0d0b594')
    expect(spanById(spans, '2e8cfb154b59a41f').originalSpanId).toBeUndefined()
    // The server annotation becomes an event; remote endpoints become peer attributes.
    expect(spanById(spans, 'dc1a0c1b288f6698').events).toEqual([{ timeNs: 1571896375355436000n, name: 'py_zipkin.logging_end', attributes: [] }])
    const client = spanById(spans, '15fc03927f0f68df')
    expect(findAttribute(client.attributes, 'peer.service')).toBe('blt')
    expect(findAttribute(client.attributes, 'network.peer.port')).toBe(31882n)
    expect(findAttribute(client.attributes, 'request_budget')).toBe('9980')
    expect(client.resource).toEqual([{ key: 'service.name', value: 'mobile_api' }])
  })

  it('messaging2.json: a lone shared server keeps its id; spans of a missing parent are orphans', () => {
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/messaging2.json'))).toBe(
      [
        'trace 00000000000000000d1a94ebc9256244 spans=11 start=1540799212976024000 duration=3501696us',
        'mobile-gateway:post +0us 29051us server #0d1a94ebc9256244',
        '  auth-service:http:/parent/auth-service/v1/authentications/ +1976us 4057us server #dca1d27152851c1c',
        '    auth-service:extend-token +1976us 1241us internal #26242947380ec944',
        '  mobile-gateway:post +7025us 21813us client #99a4a9084091114d',
        'transfer-service:post +32125us 779592us client !orphan #939e2fdc360a1201',
        'transfer-service:get +812413us 132879us client !orphan #c779d4ff1adfc8f9',
        'transfer-service:send-confirm-transfer +945905us 2555791us internal !orphan #693fb64c3cf75cf3',
        'transfer-service:publish +946115us 12us producer !orphan #3df9ceef91bbc631',
        'transfer-service:push-topic-s-n-s +946782us 79027us internal !orphan #dfdfa6bdfc538d3e',
        'notification-service:consume +1987905us 40us consumer !orphan #3df9ceef91bbc777',
        '  notification-service:post +2017905us 15860us client !outside-parent #99a4a9084092224d',
        'warning orphan: 939e2fdc360a1201 dfdfa6bdfc538d3e c779d4ff1adfc8f9 3df9ceef91bbc631 693fb64c3cf75cf3 3df9ceef91bbc777',
        'warning child-outside-parent: 99a4a9084092224d',
      ].join('\n'),
    )
  })

  it('envoy.json: a lone shared SERVER without a service name keeps its id and says so', () => {
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/envoy.json'))).toBe(
      [
        'trace 0000000000000000978883983d506fa5 spans=1 start=1570523661059232000 duration=127115us',
        'unknown_service:localhost:10000 +0us 127115us server #978883983d506fa5',
        'warning source-warning: 978883983d506fa5',
      ].join('\n'),
    )
    const [span] = spansOf(zipkinV2Importer, fixture('zipkin/envoy.json'))
    expect(span?.warnings).toEqual(['no localEndpoint.serviceName; shown as "unknown_service"'])
    expect(span?.originalSpanId).toBeUndefined()
    expect(span?.resource).toEqual([
      { key: 'service.name', value: 'unknown_service' },
      { key: 'network.local.address', value: '169.254.65.45' },
    ])
    expect(span?.attributes).toHaveLength(12)
    expect(span?.statusCode).toBe(StatusCode.Unset)
  })

  it('messaging-kafka.json: "error" tags, empty or not, mark errors; the value is the message', () => {
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/messaging-kafka.json'))).toBe(
      [
        'trace 00000000000000000562809467078eab spans=28 start=1541405397200002000 duration=649065us',
        'servicea:poll +21us 26us consumer #0562809467078eab',
        '  servicea:on-message +0us 252090us internal !outside-parent #09fdf808ef0d60c0',
        '    servicea:handle +213494us 866us internal #5141af930f03274e',
        '      servicea:send +214199us 3268us producer !outside-parent #79145dc8245c2899',
        '    servicea:send +250650us 1471us producer !outside-parent #2e22a0564764943a',
        '      serviceb:poll +252006us 1us consumer #b4a2a87ee7f003bc',
        '        serviceb:on-message +252999us 310us internal ERROR !outside-parent #2f77d5b0b8e0de35',
        '      servicea:poll +647005us 1us consumer !outside-parent #e0473dc3d8732e8b',
        '        servicea:on-message +648000us 149us internal !outside-parent #d77b1306b69e39a5',
        '    servicea:send +251225us 102480us producer !outside-parent #26bd982d53f50d1f',
        '  servicea:on-message +252000us 223097us internal !outside-parent #e73d7bc0194a76e0',
        '    servicea:handle +455016us 1255us internal #556955e15da195f5',
        '      servicea:send +455720us 937us producer !outside-parent #e2feae695b1d1a6a',
        '    servicea:send +474701us 1035us producer !outside-parent #5133caca649f802b',
        '      serviceb:poll +476007us 1us consumer !outside-parent #a5524eec8147b1da',
        '        serviceb:on-message +475999us 265us internal ERROR !outside-parent #4a64a63e4b58e665',
        '      servicea:poll +648001us 1us consumer !outside-parent #08e980b0e786309b',
        '        servicea:on-message +649000us 65us internal !outside-parent #630c1215f2e430a7',
        '    servicea:send +474871us 957us producer !outside-parent #b7808dc69c7726f2',
        '  servicea:on-message +475000us 171798us internal !outside-parent #d1b4806e7e9eed25',
        '    servicea:handle +627567us 774us internal #97a1159e0eb74759',
        '      servicea:send +627996us 746us producer !outside-parent #b42b60c5c19ce714',
        '    servicea:send +646420us 1259us producer !outside-parent #085a9df516127e50',
        '      servicea:poll +648000us 1us consumer !outside-parent #bad2ddec9d33837b',
        '        servicea:on-message +648999us 45us internal !outside-parent #d5d4778b19cf7e93',
        '      serviceb:poll +648003us 1us consumer !outside-parent #519d27c657334615',
        '        serviceb:on-message +647999us 251us internal ERROR !outside-parent #568b33e6af8a225a',
        '    servicea:send +646574us 803us producer !outside-parent #5bc03264c704f245',
        'warning child-outside-parent: 09fdf808ef0d60c0 79145dc8245c2899 2e22a0564764943a 2f77d5b0b8e0de35 e0473dc3d8732e8b d77b1306b69e39a5 26bd982d53f50d1f e73d7bc0194a76e0 e2feae695b1d1a6a 5133caca649f802b a5524eec8147b1da 4a64a63e4b58e665 08e980b0e786309b 630c1215f2e430a7 b7808dc69c7726f2 d1b4806e7e9eed25 b42b60c5c19ce714 085a9df516127e50 bad2ddec9d33837b d5d4778b19cf7e93 519d27c657334615 568b33e6af8a225a 5bc03264c704f245',
      ].join('\n'),
    )
    const spans = spansOf(zipkinV2Importer, fixture('zipkin/messaging-kafka.json'))
    const withMessage = spanById(spans, '2f77d5b0b8e0de35')
    expect([withMessage.statusCode, withMessage.statusMessage]).toEqual([StatusCode.Error, 'some error'])
    const empty = spanById(spans, '568b33e6af8a225a')
    expect([empty.statusCode, empty.statusMessage]).toEqual([StatusCode.Error, undefined])
    expect(findAttribute(empty.attributes, 'error')).toBe('')
    expect(findAttribute(spanById(spans, '0562809467078eab').attributes, 'peer.service')).toBe('kafka')
  })

  it('messaging.json: producer → consumer, and an ipv6 remote endpoint', () => {
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/messaging.json'))).toBe(
      [
        'trace 5aab74dbb904746bb33447baae403ed6 spans=4 start=1521186011926119000 duration=3357us',
        'frontend:get / +0us 2839us server #b33447baae403ed6',
        '  frontend:publish +1356us 13us producer #05e3ac9a4f6e3b90',
        '    backend:next-message +2924us 14us consumer !outside-parent #e457b5a2e4d86bd1',
        '      backend:on-message +2986us 371us internal !outside-parent #4ad2db84ac76def7',
        'warning child-outside-parent: e457b5a2e4d86bd1 4ad2db84ac76def7',
      ].join('\n'),
    )
    const root = spanById(spansOf(zipkinV2Importer, fixture('zipkin/messaging.json')), 'b33447baae403ed6')
    expect(root.attributes.slice(-2)).toEqual([
      { key: 'network.peer.address', value: '::1' },
      { key: 'network.peer.port', value: 54602n },
    ])
    expect(root.resource).toEqual([
      { key: 'service.name', value: 'frontend' },
      { key: 'network.local.address', value: '192.168.0.10' },
    ])
  })

  it('simple-db-p6.json', () => {
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/simple-db-p6.json'))).toBe(
      [
        'trace 000000000000000019f84f102048e047 spans=5 start=1541485537291342000 duration=252016us',
        'bootifulmeters:http:/book +0us 252016us server #19f84f102048e047',
        '  bootifulmeters:call +100468us 6051us client #8b1e63c0f49a81f7',
        '  bootifulmeters:insert +179221us 2414us client #e4efd924fec0624c',
        '  bootifulmeters:insert +197631us 2033us client #5d532ef6fed52445',
        '  bootifulmeters:insert +206963us 1118us client #544e854ede87b217',
      ].join('\n'),
    )
  })

  it('zipkin_01.json: short ids padded, debug kept as an attribute, a shared CLIENT keeps its id', () => {
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/zipkin_01.json'))).toBe(
      [
        'trace bd7a974555f6b982bd71977555f6b981 spans=1 start=1000 duration=10us',
        'foo:foo +0us 10us client !orphan #0000000000000002',
        'warning orphan: 0000000000000002',
      ].join('\n'),
    )
    const [span] = spansOf(zipkinV2Importer, fixture('zipkin/zipkin_01.json'))
    expect(span).toMatchObject({ traceId: 'bd7a974555f6b982bd71977555f6b981', spanId: '0000000000000002', parentSpanId: '0000000000000001', durationNs: 10000 })
    expect(span?.attributes).toEqual([
      { key: 'foo', value: 'bar' },
      { key: 'peer.service', value: 'bar' },
      { key: 'network.peer.address', value: '10.43.17.43' },
      { key: 'zipkin.debug', value: true },
    ])
    expect(span?.events).toEqual([{ timeNs: 1000n, name: 'foo', attributes: [] }])
  })

  it('smartthings-oauth-authorization.json: 175 spans, one root, shared loopbacks and a fan-out', () => {
    const spans = spansOf(zipkinV2Importer, fixture('zipkin/smartthings-oauth-authorization.json'))
    const [trace, ...others] = buildTraces(spans)
    expect(others).toHaveLength(0)
    expect(trace?.spanCount).toBe(175)
    expect(trace?.errorCount).toBe(2)
    expect(trace?.warnings.map((w) => w.kind)).toEqual(['missing-duration', 'child-outside-parent'])
    const dump = dumpTrace(trace!)
    const lines = dump.split('\n')
    expect(lines.filter((line) => /^\S+:/.test(line))).toEqual(['datamgmt:get /oauth/authorize +0us 1429us server #8ce82b2e9ed820ba'])
    // Loopback: datamgmt calls datamgmt with one id; the calls made while serving hang under the
    // server half.
    expect(dump).toContain(
      [
        '                                                datamgmt:get /api/proxied/locations/_uuid_/smartapps/_uuid_/versions/_uuid_/devices +95771743us 90175us client #16eecb59ef681082',
        '                                                  datamgmt:get /api/proxied/locations/_uuid_/smarta +95778164us 78267us server #4fb25e175185a0c6',
        '                                                    datamgmt:post /oauth/check_token +95778446us 22099us client #38827242198dba3d',
      ].join('\n'),
    )
    // One "send" with five "receive" halves sharing its id (hosts .187 ×3 and .79 ×2): each
    // gets its own id, and each process.* span joins the receive on its host that started last
    // before it.
    expect(dump).toContain(
      [
        '                                                        bouncer:send iot-events360 +98659496us 0us client !no-duration #9d2d35b746db84f3',
        '                                                          pusher:receive iot-events360 +98676897us 0us server !no-duration #a5a58f94e4b8e967',
        '                                                            pusher:process.dove +98677379us 1843us internal #975e74022b72e1cd',
        '                                                              pusher:post /deliver +98677469us 1704us client #1dfd8f3332f7caca',
        '                                                                dove:post /deliver/ +98677908us 259us server #7f79a3f018c834b2',
        '                                                          pusher:receive iot-events360 +98680208us 0us server !no-duration #a48e754ec33509ee',
        '                                                            pusher:process.paperboy +98680677us 1612us internal #de67d452708a545a',
        '                                                              pusher:post /deliver +98680773us 1475us client #b4c5ce09acaf2e0e',
        '                                                                paperboy:post /deliver/ +98680914us 611us server #36ee5b4949070cb9',
        '                                                          pusher:receive iot-events360 +98687012us 0us server !no-duration #71a155f1c15791eb',
        '                                                          pusher:receive iot-events360 +98687192us 0us server !no-duration #aa25e40abfe3e190',
        '                                                          pusher:receive iot-events360 +98691355us 0us server !no-duration #a6aa5a9b386295fd',
        '                                                            pusher:process.archiver +98691762us 2695us internal #d645461738ed0e17',
      ].join('\n'),
    )
    const renamed = spans.filter((span) => span.originalSpanId !== undefined)
    expect(renamed).toHaveLength(45)
    expect(renamed.every((span) => span.kind === SpanKind.Server && span.parentSpanId === span.originalSpanId)).toBe(true)
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(175)
  })

  it('shared-without-flag.spanglass.json: same id, one CLIENT and one SERVER, no "shared" flag', () => {
    expect(dumpImport(zipkinV2Importer, fixture('zipkin/shared-without-flag.spanglass.json'))).toBe(
      [
        'trace 000000000000000000000000000000a1 spans=5 start=1000000 duration=900us',
        'frontend:get / +0us 900us server #0000000000000001',
        '  frontend:get /api +100us 600us client #0000000000000002',
        '    frontend:retry-timer +150us 10us internal #0000000000000004',
        '    backend:get /api +200us 400us server #e4f3401858fc3256',
        '      backend:query +250us 100us internal #0000000000000003',
      ].join('\n'),
    )
    const spans = spansOf(zipkinV2Importer, fixture('zipkin/shared-without-flag.spanglass.json'))
    const server = spanById(spans, 'e4f3401858fc3256')
    expect(server).toMatchObject({ originalSpanId: '0000000000000002', parentSpanId: '0000000000000002', kind: SpanKind.Server })
    expect(server.resource).toEqual([
      { key: 'service.name', value: 'backend' },
      { key: 'network.local.address', value: '10.0.0.2' },
      { key: 'network.local.port', value: 8080n },
    ])
  })

  it('gives the same result every time (new ids are derived, not random)', () => {
    for (const name of ['yelp.json', 'smartthings-oauth-authorization.json']) {
      const document = fixture(`zipkin/${name}`)
      expect(dumpImport(zipkinV2Importer, document)).toBe(dumpImport(zipkinV2Importer, fixture(`zipkin/${name}`)))
    }
  })
})

describe('zipkinV2Importer on hand-written input', () => {
  const span = (fields: Record<string, unknown>) => ({
    traceId: 'abc',
    id: '1',
    name: 'op',
    timestamp: 10,
    duration: 5,
    localEndpoint: { serviceName: 'svc' },
    ...fields,
  })

  it('reads a single span object', () => {
    expect(dumpImport(zipkinV2Importer, span({}))).toBe(
      ['trace 00000000000000000000000000000abc spans=1 start=10000 duration=5us', 'svc:op +0us 5us internal #0000000000000001'].join('\n'),
    )
  })

  it('reads an array of traces (/api/v2/traces)', () => {
    const document = [
      [span({ traceId: 'aa' }), span({ traceId: 'aa', id: '2', parentId: '1', timestamp: 11, duration: 1 })],
      [span({ traceId: 'bb', timestamp: 20 })],
    ]
    expect(dumpImport(zipkinV2Importer, document)).toBe(
      [
        'trace 000000000000000000000000000000aa spans=2 start=10000 duration=5us',
        'svc:op +0us 5us internal #0000000000000001',
        '  svc:op +1us 1us internal #0000000000000002',
        'trace 000000000000000000000000000000bb spans=1 start=20000 duration=5us',
        'svc:op +0us 5us internal #0000000000000001',
      ].join('\n'),
    )
  })

  it('an empty "error" tag is an error without a message', () => {
    const [record] = spansOf(zipkinV2Importer, [span({ tags: { error: '', 'http.path': '/' } })])
    expect(record).toMatchObject({
      statusCode: StatusCode.Error,
      attributes: [
        { key: 'error', value: '' },
        { key: 'http.path', value: '/' },
      ],
    })
    expect(record?.statusMessage).toBeUndefined()
  })

  it('folds otel.status_code / otel.status_description tags into the status', () => {
    const records = spansOf(zipkinV2Importer, [
      span({
        id: '1',
        tags: {
          'otel.status_code': 'ERROR',
          'otel.status_description': 'boom',
          a: 'b',
        },
      }),
      span({ id: '2', tags: { 'otel.status_code': 'OK' } }),
      span({
        id: '3',
        tags: {
          'otel.status_code': 'ERROR',
          'otel.status_description': 'deadline',
          error: 'timeout',
        },
      }),
      span({ id: '4', tags: { 'otel.status_code': 'MAYBE' } }),
    ])
    expect(records.map((r) => [r.statusCode, r.statusMessage, r.attributes.map((a) => a.key).join(',')])).toEqual([
      [StatusCode.Error, 'boom', 'a'],
      [StatusCode.Ok, undefined, ''],
      [StatusCode.Error, 'deadline', 'error'],
      [StatusCode.Unset, undefined, 'otel.status_code'],
    ])
  })

  it('maps kinds; an absent kind is a local span (Internal)', () => {
    const records = spansOf(
      zipkinV2Importer,
      ['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER', undefined, 'server', 'WEIRD'].map((kind, i) => span({ id: String(i + 1), kind })),
    )
    expect(records.map((r) => r.kind)).toEqual([
      SpanKind.Client,
      SpanKind.Server,
      SpanKind.Producer,
      SpanKind.Consumer,
      SpanKind.Internal,
      SpanKind.Server,
      SpanKind.Internal,
    ])
    expect(records[6]?.warnings).toEqual(['unknown kind "WEIRD" read as a local span'])
  })

  it('keeps missing times missing, and big µs values exact', () => {
    const records = spansOf(zipkinV2Importer, [
      span({ id: '1', timestamp: undefined, duration: undefined }),
      span({ id: '2', timestamp: 9007199254740993n, duration: 0 }),
      span({ id: '3', timestamp: '1700000000000001', duration: '2' }),
    ])
    expect(records.map((r) => [r.startTimeNs, r.durationNs])).toEqual([
      [undefined, undefined],
      [9007199254740993000n, 0],
      [1700000000000001000n, 2000],
    ])
  })

  it('a server half without a service name is the service its client called', () => {
    const document = [
      span({
        id: '1',
        kind: 'CLIENT',
        remoteEndpoint: { serviceName: 'backend', ipv4: '10.0.0.9' },
      }),
      span({
        id: '1',
        kind: 'SERVER',
        shared: true,
        localEndpoint: { ipv4: '10.0.0.9' },
        timestamp: 11,
        duration: 2,
      }),
    ]
    const records = spansOf(zipkinV2Importer, document)
    expect(records[1]).toMatchObject({ service: 'backend', parentSpanId: '0000000000000001', originalSpanId: '0000000000000001' })
    expect(records[1]?.warnings).toEqual(['no localEndpoint.serviceName; "backend" taken from the calling span\'s remoteEndpoint'])
  })

  it('two SERVER spans with one id and no client are a duplicate, left to buildTraces', () => {
    const records = spansOf(zipkinV2Importer, [span({ kind: 'SERVER' }), span({ kind: 'SERVER', name: 'other' })])
    expect(records.map((r) => r.spanId)).toEqual(['0000000000000001', '0000000000000001'])
    expect(buildTraces(records)[0]?.warnings.map((w) => w.kind)).toEqual(['duplicate-span-id'])
  })

  it('a new id never collides with an id already in the trace', () => {
    const first = spansOf(zipkinV2Importer, [span({ kind: 'CLIENT' }), span({ kind: 'SERVER', shared: true, timestamp: 11 })])
    const taken = first[1]?.spanId as string
    const records = spansOf(zipkinV2Importer, [
      span({ kind: 'CLIENT' }),
      span({ kind: 'SERVER', shared: true, timestamp: 11 }),
      span({ id: taken, parentId: '5' }),
    ])
    expect(records[1]?.spanId).not.toBe(taken)
    expect(new Set(records.map((r) => r.spanId)).size).toBe(3)
  })

  it('joins a 64-bit trace id to the 128-bit id ending in the same digits', () => {
    const records = spansOf(zipkinV2Importer, [
      span({ traceId: '463ac35c9f6413ad48485a3953bb6124' }),
      span({ traceId: '48485a3953bb6124', id: '2', parentId: '1' }),
      span({ traceId: '1111111111111111', id: '3' }),
    ])
    expect(records.map((r) => r.traceId)).toEqual(['463ac35c9f6413ad48485a3953bb6124', '463ac35c9f6413ad48485a3953bb6124', '00000000000000001111111111111111'])
  })

  it('skips spans it cannot read, with one warning naming them and why', () => {
    const result = zipkinV2Importer.importDocument([null, 5, { traceId: {} }, { traceId: 'a', id: '' }, span({}), ['x']])
    expect(result.spans).toHaveLength(1)
    expect(result.warnings).toEqual([
      {
        kind: 'invalid-span',
        message:
          '5 spans could not be read and were skipped (item 0 is null, not a span object; item 1 is a number, not a span object; item 2: "traceId" is an object; and 2 more)',
        spanIds: [],
      },
    ])
  })

  it('survives wrong types in every field, warning instead of failing', () => {
    const result = zipkinV2Importer.importDocument([
      {
        traceId: 'a',
        id: 'b',
        parentId: {},
        kind: 7,
        name: 3,
        timestamp: 'soon',
        duration: [],
        shared: 'yes',
        debug: 1,
        localEndpoint: [],
        remoteEndpoint: 'x',
        annotations: [null, { value: 'v' }, { timestamp: 1 }, { timestamp: 2, value: 'ok' }],
        tags: { a: null, b: 2, c: { d: 1n } },
      },
      { traceId: 'a', id: 'c', annotations: 'none', tags: [] },
    ])
    expect(result.spans).toHaveLength(2)
    const [first] = result.spans
    expect(first).toMatchObject({
      name: '3',
      service: 'unknown_service',
      startTimeNs: undefined,
      durationNs: undefined,
      parentSpanId: undefined,
      kind: SpanKind.Internal,
    })
    expect(first?.events).toEqual([{ timeNs: 2000n, name: 'ok', attributes: [] }])
    expect(first?.attributes).toEqual([
      { key: 'b', value: '2' },
      { key: 'c', value: '{"d":"1"}' },
    ])
    expect(first?.warnings).toEqual([
      '3 annotation(s) without a value or timestamp dropped',
      'tag "a" has no value',
      'parentId {} is not a string; treated as a root',
      'unknown kind 7 read as a local span',
      'timestamp "soon" is not a number of microseconds',
      'duration [] is not a number of microseconds',
      'no localEndpoint.serviceName; shown as "unknown_service"',
    ])
  })

  it('throws an ImportError, never anything else, for a document that is not spans', () => {
    for (const document of [5, 'x', null, true]) {
      expect(() => zipkinV2Importer.importDocument(document)).toThrow(ImportError)
      expect(() => zipkinV1Importer.importDocument(document)).toThrow(ImportError)
    }
  })

  it('reads a v1 duration beyond any float in ns as none, with a note (found by the property below)', () => {
    const { spans } = zipkinV1Importer.importDocument([{ traceId: 'a', id: '1', duration: -1.797693134862316e305 }])
    expect(spans).toHaveLength(1)
    expect(spans[0]?.durationNs).toBeUndefined()
    expect(spans[0]?.warnings?.join(' ')).toContain('out of range')
  })

  it('throws nothing but ImportError on arbitrary JSON-ish input', () => {
    const spanLike = fc.record(
      {
        traceId: fc.oneof(fc.constantFrom('a', '1', 'abc'), fc.anything()),
        id: fc.oneof(fc.constantFrom('1', '2'), fc.anything()),
        parentId: fc.oneof(fc.constantFrom('1', '2'), fc.anything()),
        kind: fc.oneof(fc.constantFrom('CLIENT', 'SERVER'), fc.anything()),
        shared: fc.anything(),
        timestamp: fc.oneof(fc.integer(), fc.bigInt(), fc.anything()),
        duration: fc.oneof(fc.integer(), fc.anything()),
        localEndpoint: fc.oneof(fc.record({ serviceName: fc.anything(), ipv4: fc.anything(), port: fc.anything() }), fc.anything()),
        remoteEndpoint: fc.anything(),
        annotations: fc.oneof(fc.array(fc.record({ timestamp: fc.anything(), value: fc.anything(), endpoint: fc.anything() })), fc.anything()),
        binaryAnnotations: fc.oneof(
          fc.array(fc.record({ key: fc.anything(), value: fc.anything(), type: fc.anything(), endpoint: fc.anything() })),
          fc.anything(),
        ),
        tags: fc.anything({ withBigInt: true }),
      },
      { requiredKeys: [] },
    )
    const document = fc.oneof(
      fc.array(fc.oneof(spanLike, fc.anything({ withBigInt: true }))),
      spanLike,
      fc.anything({ withBigInt: true, withNullPrototype: true }),
    )
    fc.assert(
      fc.property(document, (input) => {
        for (const importer of [zipkinV2Importer, zipkinV1Importer]) {
          importer.detect(input)
          try {
            importer.importDocument(input)
          } catch (error) {
            if (!(error instanceof ImportError)) throw error
          }
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('zipkinV1Importer', () => {
  it('span-rpc.json: one v1 span with cs/sr/ss/cr becomes a client and a shared server (Zipkin V1SpanConverter)', () => {
    expect(dumpImport(zipkinV1Importer, fixture('zipkin/span-rpc.json'))).toBe(
      [
        'trace 000000000000000083c138a4ee0f3de9 spans=2 start=1461750491274000000 duration=51000us',
        'zipkin-web:get +0us 51000us client !orphan #d673d7abe80d2f3f',
        '  zipkin-query:get +24000us 4000us server #72cdb2b16bc064ba',
        'warning orphan: d673d7abe80d2f3f',
      ].join('\n'),
    )
    const [client, server] = spansOf(zipkinV1Importer, fixture('zipkin/span-rpc.json'))
    // The client owns the span's timestamp/duration; ws/wr stay as its events.
    expect(client?.events.map((e) => [e.name, e.timeNs])).toEqual([
      ['ws', 1461750491274000000n],
      ['wr', 1461750491325000000n],
    ])
    expect(client?.attributes).toEqual([
      { key: 'http.uri', value: '/api/v1/traces' },
      { key: 'clnt/finagle.version', value: '6.34.0' },
      // The last "sa" in the file wins, as in Zipkin; this benchmark file names zipkin-web there.
      { key: 'peer.service', value: 'zipkin-web' },
      { key: 'network.peer.address', value: '172.18.0.4' },
      { key: 'network.peer.port', value: 9411n },
    ])
    expect(client?.resource).toEqual([
      { key: 'service.name', value: 'zipkin-web' },
      { key: 'network.local.address', value: '127.0.0.1' },
    ])
    expect(server).toMatchObject({
      spanId: '72cdb2b16bc064ba',
      originalSpanId: 'd673d7abe80d2f3f',
      parentSpanId: 'd673d7abe80d2f3f',
      startTimeNs: 1461750491298000000n,
      durationNs: 4000000,
    })
    expect(server?.attributes).toEqual([
      { key: 'http.path', value: '/api/v1/traces' },
      { key: 'srv/finagle.version', value: '6.34.0' },
      { key: 'peer.service', value: 'zipkin-web' },
      { key: 'network.peer.address', value: '172.18.0.3' },
      { key: 'network.peer.port', value: 42291n },
    ])
    expect(server?.resource).toEqual([
      { key: 'service.name', value: 'zipkin-query' },
      { key: 'network.local.address', value: '172.18.0.4' },
      { key: 'network.local.port', value: 9411n },
    ])
  })

  it('span-client.json: cs/cr make a CLIENT; other annotations are events; "sa" is the remote side', () => {
    expect(dumpImport(zipkinV1Importer, fixture('zipkin/span-client.json'))).toBe(
      [
        'trace 4d1e00c0db9010db86154a4ba6e91385 spans=1 start=1472470996199000000 duration=207000us',
        'frontend:get +0us 207000us client !orphan #4d1e00c0db9010db',
        'warning orphan: 4d1e00c0db9010db',
      ].join('\n'),
    )
    const [span] = spansOf(zipkinV1Importer, fixture('zipkin/span-client.json'))
    expect(span?.events.map((e) => e.name)).toEqual(['foo', 'bar'])
    expect(span?.attributes).toEqual([
      { key: 'clnt/finagle.version', value: '6.45.0' },
      { key: 'http.path', value: '/api' },
      { key: 'peer.service', value: 'backend' },
      { key: 'network.peer.address', value: '192.168.99.101' },
      { key: 'network.peer.port', value: 9000n },
    ])
  })

  it('span-local.json: "lc" makes a local span in the endpoint\'s service', () => {
    expect(dumpImport(zipkinV1Importer, fixture('zipkin/span-local.json'))).toBe(
      [
        'trace 00000000000000005af7183fb1d4cf5f spans=1 start=1461750040358000000 duration=15495us',
        'zipkin-server:get-traces +0us 15495us internal !orphan #6b221d5bc9e6496c',
        'warning orphan: 6b221d5bc9e6496c',
      ].join('\n'),
    )
    const [span] = spansOf(zipkinV1Importer, fixture('zipkin/span-local.json'))
    expect(span?.attributes.map((a) => a.key)).toEqual(['lc', 'request'])
    expect(findAttribute(span?.attributes ?? [], 'lc')).toBe('JDBCSpanStore')
  })

  it('test.json: sr/ss make a SERVER; a lone cs makes a CLIENT started at cs, without duration', () => {
    const service = 'com.alipay.sofa.tracer.demo.facade.rpccallservice.okay.we.can.go.a.bit.further.to.see.how.lens.copes.with.this'
    expect(dumpImport(zipkinV1Importer, fixture('zipkin/test.json'))).toBe(
      [
        'trace 000000000000000077047bf9cf04ed5d spans=2 start=1484722951945904000 duration=156470us',
        `${service}:get +0us 156470us server #77047bf9cf04ed5d`,
        `  ${service}:get +154948us 0us client !no-duration #40ef4e93ab3b1507`,
        'warning missing-duration: 40ef4e93ab3b1507',
      ].join('\n'),
    )
  })

  const endpoint = (serviceName: string, ipv4 = '10.0.0.1') => ({ serviceName, ipv4 })
  const v1 = (fields: Record<string, unknown>) => ({ traceId: 'ab', id: '10', name: 'call', ...fields })

  it('takes times from the core annotations when the span has none', () => {
    const [span] = spansOf(
      zipkinV1Importer,
      v1({
        annotations: [
          { timestamp: 100, value: 'cs', endpoint: endpoint('a') },
          { timestamp: 160, value: 'cr', endpoint: endpoint('a') },
        ],
      }),
    )
    expect(span).toMatchObject({ kind: SpanKind.Client, service: 'a', startTimeNs: 100000n, durationNs: 60000 })
  })

  it('a loopback RPC (same service on both sides) still makes two spans', () => {
    const document = [
      v1({
        annotations: [
          { timestamp: 100, value: 'cs', endpoint: endpoint('a') },
          { timestamp: 110, value: 'sr', endpoint: endpoint('a', '10.0.0.2') },
          { timestamp: 150, value: 'ss', endpoint: endpoint('a', '10.0.0.2') },
          { timestamp: 160, value: 'cr', endpoint: endpoint('a') },
        ],
      }),
      v1({
        id: '11',
        parentId: '10',
        timestamp: 120,
        duration: 10,
        binaryAnnotations: [{ key: 'lc', value: '', endpoint: endpoint('a', '10.0.0.2') }],
      }),
    ]
    const dump = dumpImport(zipkinV1Importer, document)
    expect(dump.split('\n').slice(1)).toEqual([
      'a:call +0us 60us client #0000000000000010',
      `  a:call +10us 40us server #${spansOf(zipkinV1Importer, document)[1]?.spanId}`,
      '    a:call +20us 10us internal #0000000000000011',
    ])
  })

  it('splits ms/mr into a producer and a shared consumer; "ma" is the broker on both', () => {
    const records = spansOf(
      zipkinV1Importer,
      v1({
        annotations: [
          { timestamp: 100, value: 'ms', endpoint: endpoint('producer') },
          { timestamp: 101, value: 'ws', endpoint: endpoint('producer') },
          { timestamp: 200, value: 'wr', endpoint: endpoint('consumer') },
          { timestamp: 205, value: 'mr', endpoint: endpoint('consumer') },
        ],
        binaryAnnotations: [{ key: 'ma', value: true, endpoint: { serviceName: 'kafka' } }],
      }),
    )
    expect(records.map((r) => [r.service, r.kind, r.startTimeNs, r.durationNs, findAttribute(r.attributes, 'peer.service'), r.originalSpanId])).toEqual([
      ['producer', SpanKind.Producer, 100000n, 1000, 'kafka', undefined],
      ['consumer', SpanKind.Consumer, 200000n, 5000, 'kafka', '0000000000000010'],
    ])
    expect(records[1]?.parentSpanId).toBe('0000000000000010')
  })

  it('writes every binary annotation type as a string tag; "error" marks an error', () => {
    const [span] = spansOf(
      zipkinV1Importer,
      v1({
        timestamp: 1,
        duration: 2,
        binaryAnnotations: [
          { key: 'flag', value: true, type: 'BOOL', endpoint: endpoint('a') },
          { key: 'big', value: 9223372036854775807n, type: 'I64', endpoint: endpoint('a') },
          { key: 'small', value: 42, type: 'I32', endpoint: endpoint('a') },
          { key: 'ratio', value: 1.5, type: 'DOUBLE', endpoint: endpoint('a') },
          { key: 'raw', value: 'AQID', type: 'BYTES', endpoint: endpoint('a') },
          { key: 'error', value: 'connection refused', endpoint: endpoint('a') },
        ],
      }),
    )
    expect(span?.attributes).toEqual([
      { key: 'flag', value: 'true' },
      { key: 'big', value: '9223372036854775807' },
      { key: 'small', value: '42' },
      { key: 'ratio', value: '1.5' },
      { key: 'raw', value: 'AQID' },
      { key: 'error', value: 'connection refused' },
    ])
    expect(span).toMatchObject({ service: 'a', kind: SpanKind.Internal, statusCode: StatusCode.Error, statusMessage: 'connection refused' })
  })

  it('"ca" alone (no core annotations) makes a server called from that address', () => {
    const [span] = spansOf(
      zipkinV1Importer,
      v1({
        timestamp: 1,
        duration: 2,
        binaryAnnotations: [
          { key: 'http.path', value: '/', endpoint: endpoint('web') },
          {
            key: 'ca',
            value: true,
            endpoint: { serviceName: 'browser', ipv6: '::1', port: 5000 },
          },
        ],
      }),
    )
    expect(span).toMatchObject({ service: 'web', kind: SpanKind.Server })
    expect(span?.attributes.slice(1)).toEqual([
      { key: 'peer.service', value: 'browser' },
      { key: 'network.peer.address', value: '::1' },
      { key: 'network.peer.port', value: 5000n },
    ])
  })

  it('a server-only v1 span without a timestamp was the shared half of an RPC', () => {
    const document = [
      v1({
        timestamp: 100,
        duration: 60,
        annotations: [
          { timestamp: 100, value: 'cs', endpoint: endpoint('a') },
          { timestamp: 160, value: 'cr', endpoint: endpoint('a') },
        ],
      }),
      v1({
        annotations: [
          { timestamp: 110, value: 'sr', endpoint: endpoint('b') },
          { timestamp: 150, value: 'ss', endpoint: endpoint('b') },
        ],
      }),
    ]
    const records = spansOf(zipkinV1Importer, document)
    expect(records.map((r) => [r.service, r.kind, r.parentSpanId, r.originalSpanId, r.startTimeNs, r.durationNs])).toEqual([
      ['a', SpanKind.Client, undefined, undefined, 100000n, 60000],
      ['b', SpanKind.Server, '0000000000000010', '0000000000000010', 110000n, 40000],
    ])
  })
})
