// Loaded with `node --import` into dist/electron/core/utility.js, outside Electron: stands in for the
// `process.parentPort` of a utility process with Node's own IPC channel, so the test can talk to it as
// main does (messages only; MessagePorts cannot cross Node's IPC).
process.parentPort = {
  on(event, listener) {
    if (event === 'message') process.on('message', (data) => listener({ data, ports: [] }));
  },
  postMessage(message) {
    process.send?.(message);
  },
};
