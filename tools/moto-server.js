#!/usr/bin/env node
// Runs moto_server (moto, Apache-2.0: DynamoDB with Streams, Kinesis and more, in Python) as a child
// of a test JVM that ends with it, however the JVM ends. Usage:
//   MOTO_SERVER=/path/to/moto_server node tools/moto-server.js [port]   (0, the default, = any free port)
// MOTO_SERVER defaults to "moto_server" on the PATH. It speaks serve-child.js's protocol: it prints
// "MOTO_PORT=<n>" once GET /moto-api/ answers 200, and when its stdin closes (the JVM died), on
// SIGTERM and on SIGINT it stops moto_server (SIGTERM, then SIGKILL after 3 s) and exits. moto
// keeps everything in memory. If moto_server exits by itself, so does this launcher (code 1, its
// last lines on stderr). moto_server cannot bind port 0, so a free port is picked first.
'use strict'

const http = require('node:http')
const child = require('./serve-child')('moto')

const READY_TIMEOUT_MS = 20000
const STOP_TIMEOUT_MS = 3000

const binary = process.env.MOTO_SERVER || 'moto_server'
const requestedPort = child.parsePort(process.argv[2])

/** Resolves once GET /moto-api/ answers 200 on the port; retries every 50 ms until READY_TIMEOUT_MS. */
function awaitReady (port) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const retry = () => {
        if (Date.now() > deadline) reject(new Error(`no answer on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms`))
        else setTimeout(attempt, 50)
      }
      http.get({ host: '127.0.0.1', port, path: '/moto-api/' }, (res) => {
        res.resume()
        if (res.statusCode === 200) resolve()
        else retry()
      }).on('error', retry)
    }
    attempt()
  })
}

async function main () {
  const port = requestedPort || await child.freePort()
  await child.runProgram(binary, ['-H', '127.0.0.1', '-p', String(port)], port,
    { label: 'moto_server', stopTimeoutMs: STOP_TIMEOUT_MS, awaitReady })
}

main()
