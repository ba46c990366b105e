#!/usr/bin/env node
// Starts dynalite (an open-source DynamoDB-compatible server) in memory on 127.0.0.1 for
// tests and the local pipeline. Usage: node tools/dynalite-server.js [port]   (0 = any free port)
//
// The same port also serves what dynalite lacks: DynamoDB Streams (ListStreams, DescribeStream,
// GetShardIterator, GetRecords) for tables created with a StreamSpecification, TransactWriteItems,
// and the item in the way of a write its condition refused (ReturnValuesOnConditionCheckFailure
// ALL_OLD). See dynalite-streams.js and dynalite-transactions.js beside this file for how, and
// their limits.
//
// Why not dynalite's own CLI: it cannot bind port 0, so parallel runs would fight over a
// fixed port. This script lets the OS choose, then prints exactly one line,
// "DYNALITE_PORT=<n>", on stdout once the server is listening. It exits (code 0) on SIGTERM, on
// SIGINT and when its stdin closes; serve-child.js beside this file says why, and keeps
// kinesalite-server.js the same.
'use strict'

const child = require('./serve-child')('dynalite')
const { withStreams } = require('./dynalite-streams')

const port = child.parsePort(process.argv[2])
const dynalite = child.requireInstalled('dynalite')

// Tables become ACTIVE at once: nothing here waits for provisioning.
const server = withStreams(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }))

child.serve(server, port)
