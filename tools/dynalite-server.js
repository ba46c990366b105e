#!/usr/bin/env node
// Starts dynalite (an open-source DynamoDB-compatible server) on 127.0.0.1 for tests and the
// local pipeline. Usage: node tools/dynalite-server.js [port]   (0 = any free port)
//
// In memory, unless DYNALITE_DATA_DIR names a folder: then the tables live there (tables/, a
// LevelDB store, dynalite's own "path" option) with what the add-ons keep beside them (streams.jsonl,
// see dynalite-streams.js), and a server started again on the folder finds all of it.
//
// The same port also serves what dynalite lacks: DynamoDB Streams (ListStreams, DescribeStream,
// GetShardIterator, GetRecords) for tables created with a StreamSpecification, TransactWriteItems,
// the item in the way of a write its condition refused (ReturnValuesOnConditionCheckFailure
// ALL_OLD), and Time to Live (UpdateTimeToLive, DescribeTimeToLive, expired items deleted with
// REMOVE records). See dynalite-streams.js, dynalite-transactions.js and dynalite-ttl.js beside this
// file for how, and their limits.
//
// DYNALITE_TTL_SWEEP_MS (milliseconds, 1000 by default) is how often the TTL sweeper reads a page
// of 100 items of the tables with TTL; tests that wait for an expiry make it short.
//
// Why not dynalite's own CLI: it cannot bind port 0, so parallel runs would fight over a
// fixed port. This script lets the OS choose, then prints exactly one line,
// "DYNALITE_PORT=<n>", on stdout once the server is listening. It exits (code 0) on SIGTERM, on
// SIGINT and when its stdin closes; serve-child.js beside this file says why, and keeps
// kinesalite-server.js the same.
'use strict'

const path = require('node:path')
const child = require('./serve-child')('dynalite')
const { withStreams } = require('./dynalite-streams')

const port = child.parsePort(process.argv[2])
const ttlSweepMs = process.env.DYNALITE_TTL_SWEEP_MS || '1000'
if (!/^[1-9]\d{0,8}$/.test(ttlSweepMs)) child.fail(`DYNALITE_TTL_SWEEP_MS must be a number of milliseconds from 1, not "${ttlSweepMs}"`)
const dynalite = child.requireInstalled('dynalite')

const dataDir = child.dataDirectory('DYNALITE_DATA_DIR')

// Tables become ACTIVE at once: nothing here waits for provisioning.
const store = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: dataDir === null ? undefined : path.join(dataDir, 'tables') }
const server = withStreams(dynalite(store), {
  ttlSweepMs: Number(ttlSweepMs),
  journalPath: dataDir === null ? null : path.join(dataDir, 'streams.jsonl'),
})

child.serve(server, port, { ready: server.recovered, persistent: dataDir !== null })
