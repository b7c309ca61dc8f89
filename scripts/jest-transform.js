/** Jest transformer: TypeScript → CommonJS via scripts/transpile.js. Jest caches the output. */
'use strict';
const crypto = require('crypto');
const { transpile, OPTIONS_KEY } = require('./transpile');

module.exports = {
  process(source, filename) {
    return { code: transpile(source, filename) };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(OPTIONS_KEY).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
