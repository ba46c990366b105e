// What the emulators' launchers (dynalite-, kinesalite-, s3rver-, redis- and moto-server.js) share: a local emulator run as a child process
// of a test JVM (or by hand for the local pipeline). Node built-ins only. They kept this part in
// two copies that had to change together; it lives here once so that the launchers keep
// speaking the same protocol to the Java fixtures (LocalDynamo, LocalKinesis, through NodeServer).
//
//   const child = require('./serve-child')('kinesalite')
//   const port = child.parsePort(process.argv[2])
//   const server = child.requireInstalled('kinesalite')({ ... })
//   child.serve(server, port)
//
// The protocol, for an emulator called NAME:
// - the port comes as the first argument, 0 (the default) for any free port. The emulators' own
//   CLIs cannot bind port 0, so parallel runs would fight over a fixed port; here the OS chooses;
// - once the server listens on 127.0.0.1, exactly one line goes to stdout: "NAME_PORT=<n>"
//   (DYNALITE_PORT, KINESALITE_PORT, REDIS_PORT);
// - a bad port (or setting), a missing npm package or a failed listen end the process with code 1
//   and one line on stderr, "NAME-server: <why>" (fail);
// - it exits (code 0) on SIGTERM, on SIGINT and when its stdin closes. The parent (a test JVM)
//   holds the other end of stdin, so a parent that dies without cleaning up, even by SIGKILL,
//   still ends this process instead of leaving an orphan. Run by hand, keep stdin open (a
//   terminal does; "< /dev/null" or "&" in a script does not). A server that keeps its data on
//   disk first stops taking connections, lets the requests it is answering finish and closes its
//   store (at most CLOSE_DEADLINE_MS); one in memory has nothing to lose and exits at once.
'use strict'

const fs = require('node:fs')

const CLOSE_DEADLINE_MS = 5000
/** Lines of a program's output kept for the error that says why it ended (runProgram). */
const KEEP_LOG_LINES = 5

module.exports = function childServer (name) {
  const portVariable = `${name.toUpperCase()}_PORT`

  /** The port argument as a number, 0 when there is none; ends the process when it is no port. */
  function parsePort (arg) {
    if (arg === undefined) return 0
    const n = Number(arg)
    if (!/^\d+$/.test(arg) || n > 65535) fail(`port must be a number from 0 to 65535 (0 = any free port), not "${arg}"`)
    return n
  }

  /** require(packageName), or the end of the process with a line that says how to install it. */
  function requireInstalled (packageName) {
    try {
      return require(packageName)
    }
    catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw err
      fail(`${packageName} is not installed (${err.message.split('\n')[0]}). ` +
        'Run "npm ci" in the repository root; the Maven build does that when node_modules is missing.')
    }
  }

  /**
   * Once ready (a promise: what the server must do before its first request) has resolved,
   * listens on 127.0.0.1:port and prints the port line; stops with the parent. persistent: the
   * server's close() flushes a store on disk, so stopping goes through it.
   */
  function serve (server, port, { ready = Promise.resolve(), persistent = false } = {}) {
    server.on('error', (err) => fail(`${name} could not listen on 127.0.0.1:${port}: ${err.message}`))
    ready.then(() => server.listen(port, '127.0.0.1', () => {
      process.stdout.write(`${portVariable}=${server.address().port}\n`)
    }), (err) => fail(`${name} could not start: ${(err && err.message) || err}`))

    stopWithParent(() => {
      if (!persistent) process.exit(0)
      setTimeout(() => {
        process.stderr.write(`${name}-server: its store did not close within ${CLOSE_DEADLINE_MS} ms; exiting anyway\n`)
        process.exit(0)
      }, CLOSE_DEADLINE_MS).unref()
      server.close((err) => {
        if (err) process.stderr.write(`${name}-server: closing its store failed: ${err.message}\n`)
        process.exit(0)
      })
      // Keep-alive connections with no request in flight would hold close() back.
      server.closeIdleConnections()
    })
  }

  /** The folder named by the environment variable, which must exist, or null when it is unset (a server in memory). */
  function dataDirectory (variable) {
    const dir = process.env[variable]
    if (dir === undefined || dir === '') return null
    let stat
    try {
      stat = fs.statSync(dir)
    }
    catch (err) {
      fail(`${variable} names ${dir}, which does not exist (${err.code})`)
    }
    if (!stat.isDirectory()) fail(`${variable} names ${dir}, which is not a folder`)
    return dir
  }

  /**
   * Calls stop (once) on SIGTERM, on SIGINT and when stdin closes, which is how a parent that
   * dies without cleaning up, even by SIGKILL, still ends this process.
   */
  function stopWithParent (stop) {
    let stopping = false
    const once = () => {
      if (stopping) return
      stopping = true
      stop()
    }
    process.on('SIGTERM', once)
    process.on('SIGINT', once)
    process.stdin.on('end', once)
    process.stdin.on('close', once)
    process.stdin.on('error', once)
    process.stdin.resume()
  }

  /**
   * Runs an emulator that is a program of its own (redis-server, moto_server), already told to
   * listen on port: its last lines kept for the errors; stopped with the parent (SIGTERM, then
   * SIGKILL after stopTimeoutMs); the port line printed once awaitReady(port) resolves. If it
   * exits by itself or never gets ready, so does this launcher (code 1, its last lines on
   * stderr): restarting it is the parent's job. onEnd runs whenever the program ends.
   */
  async function runProgram (binary, args, port, { label, stopTimeoutMs, awaitReady, onEnd = () => {} }) {
    const program = require('node:child_process').spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const log = []
    const keep = (chunk) => {
      log.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''))
      log.splice(0, Math.max(0, log.length - KEEP_LOG_LINES))
    }
    program.stdout.on('data', keep)
    program.stderr.on('data', keep)

    let stopping = false
    program.on('error', (err) => {
      onEnd()
      fail(`could not run ${binary}: ${err.message}`)
    })
    program.on('exit', (code, signal) => {
      onEnd()
      // process.exit() keeps the exit code a failed start set.
      if (stopping) process.exit()
      fail(`${label} exited by itself (${signal ? 'signal ' + signal : 'exit code ' + code}); its last lines:\n${log.join('\n')}`)
    })

    stopWithParent(() => {
      stopping = true
      program.kill('SIGTERM')
      setTimeout(() => program.kill('SIGKILL'), stopTimeoutMs).unref()
    })

    try {
      await awaitReady(port)
    } catch (err) {
      stopping = true
      program.kill('SIGKILL')
      process.exitCode = 1
      process.stderr.write(`${name}-server: ${err.message}; its last lines:\n${log.join('\n')}\n`)
      return
    }
    process.stdout.write(`${portVariable}=${port}\n`)
  }

  /** A port nobody listens on now, for a server that cannot bind port 0 itself (redis-server, moto_server). */
  function freePort () {
    return new Promise((resolve, reject) => {
      const probe = require('node:net').createServer()
      probe.on('error', reject)
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address()
        probe.close(() => resolve(port))
      })
    })
  }

  function fail (message) {
    process.stderr.write(`${name}-server: ${message}\n`)
    process.exit(1)
  }

  return { parsePort, requireInstalled, serve, dataDirectory, stopWithParent, runProgram, freePort, fail }
}
