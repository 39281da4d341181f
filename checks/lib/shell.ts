export { shellQuote } from '../../src/shell.js';
