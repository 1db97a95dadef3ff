#!/usr/bin/env node
// A tiny driver for the harness's own tests: plain JavaScript, so that it
// starts in tens of milliseconds, with one switch per misbehaviour the
// harness must classify. It answers every call with the same canned answer
// (by default ok with "{}"), which is right for valid tests without an
// output; the tests select such cases with --filter.
//
//   --transport stdio|ws      how to talk (default stdio)
//   --version N               the driver protocol version in the hello (default 1)
//   --roles a,b               roles to declare (default codec)
//   --operations a,b          operations to declare (default none)
//   --banner                  print a line to stdout before anything else
//   --silent-hello            never answer hello
//   --answer ok|error:CODE    the answer to every call (default ok)
//   --clock-answer ok|error:CODE|unsupported   the answer to clock (default ok)
//   --delay-ms N              wait before each call's answer
//   --stderr TEXT             write TEXT to stderr on each call
//   --wrong-id                answer calls with an id no request has
//   --binary                  (ws) send answers as binary frames
//   --noise-after-listening   (ws) print another stdout line after the LISTENING line
//   --listen-url URL          (ws) announce this URL instead of the real one
//   --crash-after N           exit with status 3 on the call after N answered calls
//   --hang-after N            answer nothing after N answered calls, and ignore SIGTERM
//   --shutdown-exit N         exit with this status after answering shutdown (default 0)
//   --linger                  answer shutdown, then stay alive (and ignore SIGTERM)
import { createInterface } from "node:readline";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1];
};
const flag = (name) => args.includes(`--${name}`);

const transport = opt("transport", "stdio");
const version = Number(opt("version", "1"));
const roles = opt("roles", "codec").split(",").filter(Boolean).map((r) => `DRIVER_ROLE_${r.toUpperCase()}`);
const operations = opt("operations", "").split(",").filter(Boolean);
const answer = opt("answer", "ok");
const clockAnswer = opt("clock-answer", "ok");
const delayMs = Number(opt("delay-ms", "0"));
const stderrText = opt("stderr", undefined);
const crashAfter = opt("crash-after", undefined) === undefined ? Infinity : Number(opt("crash-after"));
const hangAfter = opt("hang-after", undefined) === undefined ? Infinity : Number(opt("hang-after"));
const shutdownExit = Number(opt("shutdown-exit", "0"));

let answered = 0;
let hanging = false;

function result(kind) {
  if (kind === "ok") return { ok: { outputJson: "{}" } };
  if (kind === "unsupported") return { unsupported: { reason: "fixture" } };
  if (kind.startsWith("error:")) return { error: { code: kind.slice(6), message: "fixture" } };
  throw new Error(`bad answer ${kind}`);
}

/** Handles one request; calls send with each response text, or exits. */
function handle(text, send, end) {
  const req = JSON.parse(text);
  const id = req.id;
  if (req.hello) {
    if (flag("silent-hello")) return;
    send(JSON.stringify({ id, hello: { driverProtocolVersion: version, implementationName: "fixture", implementationVersion: "0.0.1", roles, operations } }));
    return;
  }
  if (req.clock) {
    send(JSON.stringify({ id, ...result(clockAnswer) }));
    return;
  }
  if (req.shutdown) {
    send(JSON.stringify({ id, ok: {} }));
    if (flag("linger")) {
      process.on("SIGTERM", () => {});
      setInterval(() => {}, 1000);
      return;
    }
    end(shutdownExit);
    return;
  }
  if (req.call) {
    if (hanging) return;
    if (answered >= hangAfter) {
      hanging = true;
      process.on("SIGTERM", () => {});
      setInterval(() => {}, 1000);
      return;
    }
    if (answered >= crashAfter) {
      process.stderr.write("fixture: crashing on purpose\n");
      process.exit(3);
    }
    answered++;
    if (stderrText !== undefined) process.stderr.write(`${stderrText}\n`);
    const reply = () => send(JSON.stringify({ id: flag("wrong-id") ? String(Number(id) + 1000) : id, ...result(answer) }));
    if (delayMs > 0) setTimeout(reply, delayMs);
    else reply();
  }
}

if (flag("banner")) process.stdout.write("fixture driver 0.0.1 starting\n");

if (transport === "stdio") {
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (line) => handle(line, (t) => process.stdout.write(`${t}\n`), (code) => process.exit(code)));
  rl.on("close", () => {
    if (!hanging && !flag("linger")) process.exit(0);
  });
} else {
  const { WebSocketServer } = await import("ws");
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("listening", () => {
    const url = opt("listen-url", `ws://127.0.0.1:${server.address().port}/`);
    process.stdout.write(`AP2P-DRIVER-LISTENING ${url}\n`);
    if (flag("noise-after-listening")) process.stdout.write("ready!\n");
  });
  server.on("connection", (socket) => {
    socket.on("message", (data) =>
      handle(
        data.toString("utf8"),
        (t) => socket.send(flag("binary") ? Buffer.from(t) : t),
        (code) => {
          socket.close(1000);
          setTimeout(() => process.exit(code), 10);
        },
      ),
    );
  });
}
