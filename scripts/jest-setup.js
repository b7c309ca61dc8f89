/** Runs in every test file's module registry before its tests (jest `setupFiles`). */
'use strict';
require('./token-traces').disableTokenStackTraces(require('path').join(__dirname, '..'));
