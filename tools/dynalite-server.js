#!/usr/bin/env node
// Starts dynalite (an open-source DynamoDB-compatible server) in memory on 127.0.0.1 for
// tests and the local pipeline. Usage: node tools/dynalite-server.js [port]   (0 = any free port)
//
// The same port also serves what dynalite lacks: DynamoDB Streams (ListStreams, DescribeStream,
// GetShardIterator, GetRecords) for tables created with a StreamSpecification, and
// TransactWriteItems. See dynalite-streams.js and dynalite-transactions.js beside this file for
// how, and their limits.
//
// Why not dynalite's own CLI: it cannot bind port 0, so parallel runs would fight over a
// fixed port. This script lets the OS choose, then prints exactly one line,
// "DYNALITE_PORT=<n>", on stdout once the server is listening.
//
// It exits (code 0) on SIGTERM, on SIGINT and when its stdin closes. The parent (a test JVM)
// holds the other end of stdin, so a parent that dies without cleaning up, even by SIGKILL,
// still ends this process instead of leaving an orphan. Run by hand, keep stdin open (a
// terminal does; "< /dev/null" or "&" in a script does not).
'use strict'

const { withStreams } = require('./dynalite-streams')

const port = parsePort(process.argv[2])

let dynalite
try {
  dynalite = require('dynalite')
}
catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND') throw err
  fail(`dynalite is not installed (${err.message.split('\n')[0]}). ` +
    'Run "npm ci" in the repository root; the Maven build does that when node_modules is missing.')
}

// Tables become ACTIVE at once: nothing here waits for provisioning.
const server = withStreams(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }))

server.on('error', (err) => fail(`dynalite could not listen on 127.0.0.1:${port}: ${err.message}`))
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`DYNALITE_PORT=${server.address().port}\n`)
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
  process.stderr.write(`dynalite-server: ${message}\n`)
  process.exit(1)
}
