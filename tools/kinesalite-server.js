#!/usr/bin/env node
// Starts kinesalite (an open-source Kinesis-compatible server, npm "kinesalite", MIT) in memory
// on 127.0.0.1 for tests and the local pipeline. Usage: node tools/kinesalite-server.js [port]
// (0 = any free port, the default).
//
// Why not kinesalite's own CLI: it cannot bind port 0 ("--port 0" falls back to 4567), so
// parallel runs would fight over a fixed port, and it keeps running when its parent dies. This
// script lets the OS choose the port, then prints exactly one line, "KINESALITE_PORT=<n>", on
// stdout once the server is listening.
//
// Streams become ACTIVE at once (createStreamMs, deleteStreamMs and updateStreamMs are 0), and
// the account's shard limit is 10,000 instead of kinesalite's 10: one server serves every test
// class of a JVM, each with streams of its own.
//
// It exits (code 0) on SIGTERM, on SIGINT and when its stdin closes. The parent (a test JVM)
// holds the other end of stdin, so a parent that dies without cleaning up, even by SIGKILL,
// still ends this process instead of leaving an orphan. Run by hand, keep stdin open (a
// terminal does; "< /dev/null" or "&" in a script does not).
//
// The AWS SDK for Java speaks CBOR to Kinesis by default, which kinesalite answers in a form
// the SDK cannot read back: clients of this server need CBOR off ("aws.cborEnabled=false" as a
// system property, or CBOR_ENABLED=false in the environment, before the client is built).
'use strict'

const SHARD_LIMIT = 10000

const port = parsePort(process.argv[2])

let kinesalite
try {
  kinesalite = require('kinesalite')
}
catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND') throw err
  fail(`kinesalite is not installed (${err.message.split('\n')[0]}). ` +
    'Run "npm ci" in the repository root; the Maven build does that when node_modules is missing.')
}

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: SHARD_LIMIT })

server.on('error', (err) => fail(`kinesalite could not listen on 127.0.0.1:${port}: ${err.message}`))
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`KINESALITE_PORT=${server.address().port}\n`)
})

// The store is in memory, so there is nothing to flush: stop at once rather than through
// server.close(), which waits for clients' keep-alive connections.
const stop = () => process.exit(0)
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.on('error', stop)
process.stdin.resume()

function parsePort (arg) {
  if (arg === undefined) return 0
  const n = Number(arg)
  if (!/^\d+$/.test(arg) || n > 65535) fail(`port must be a number from 0 to 65535 (0 = any free port), not "${arg}"`)
  return n
}

function fail (message) {
  process.stderr.write(`kinesalite-server: ${message}\n`)
  process.exit(1)
}
