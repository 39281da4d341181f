// Preloaded with `node --import`: leaves one promise rejected and unhandled, the first time the CLI writes to stdout
// (that is, while the run is under way) — like a collector that forgot a background promise.
const write = process.stdout.write.bind(process.stdout);
let done = false;
process.stdout.write = (...args) => {
  if (!done) {
    done = true;
    void Promise.reject(new Error('late background failure\n    at somewhere (file.ts:1:1)'));
  }
  return write(...args);
};
