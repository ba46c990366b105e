#!/usr/bin/env node
// Starts kinesalite (an open-source Kinesis-compatible server, npm "kinesalite", MIT) on 127.0.0.1
// for tests and the local pipeline. Usage: node tools/kinesalite-server.js [port]
// (0 = any free port, the default). In memory, unless KINESALITE_DATA_DIR names a folder: then its
// streams and records live there (a LevelDB store, kinesalite's own "path" option).
//
// Why not kinesalite's own CLI: it cannot bind port 0 ("--port 0" falls back to 4567), so
// parallel runs would fight over a fixed port, and it keeps running when its parent dies. This
// script lets the OS choose the port, then prints exactly one line, "KINESALITE_PORT=<n>", on
// stdout once the server is listening. It exits (code 0) on SIGTERM, on SIGINT and when its stdin
// closes; serve-child.js beside this file says why, and keeps dynalite-server.js the same.
//
// Streams become ACTIVE at once (createStreamMs, deleteStreamMs and updateStreamMs are 0), and
// the account's shard limit is 10,000 instead of kinesalite's 10: one server serves every test
// class of a JVM, each with streams of its own.
//
// The AWS SDK for Java speaks CBOR to Kinesis by default, which kinesalite answers in a form
// the SDK cannot read back: clients of this server need CBOR off ("aws.cborEnabled=false" as a
// system property, or CBOR_ENABLED=false in the environment, before the client is built).
'use strict'

const child = require('./serve-child')('kinesalite')

const SHARD_LIMIT = 10000

const port = child.parsePort(process.argv[2])
const kinesalite = child.requireInstalled('kinesalite')

const dataDir = child.dataDirectory('KINESALITE_DATA_DIR')

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: SHARD_LIMIT, path: dataDir || undefined })

child.serve(server, port, { persistent: dataDir !== null })
