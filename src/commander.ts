/**
 * The CLI's one door to commander. `npm run build` replaces this module's compiled file with commander itself,
 * bundled, its imports of `node:process`, `node:util` and `node:child_process` made light
 * (scripts/bundle-commander.mjs): an ES-module import of a built-in reads every one of its exports, and for those three
 * that loads about 60 of Node's internal modules (streams, sockets, child processes, the process report): 25 ms of the
 * 65 that `explain` cost beyond a bare node (issue 16: within 2×). Run from source, as the tests do, it is commander as
 * installed.
 */
export { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
