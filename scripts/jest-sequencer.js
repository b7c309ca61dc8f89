/**
 * Jest test order: the files that run terraform (the longest by far) first, so
 * that the two workers share them instead of one of them finishing the run
 * alone; then jest's own order (previous durations, else file size); last the
 * package consumer test, which waits for the build npm test runs beside jest.
 */
'use strict';
const Sequencer = require('@jest/test-sequencer').default;

const LAST = /__tests__\/package\/consumer\.test\.ts$/;
const FIRST = [/__tests__\/terraform\/rehearsal-\d+\.test\.ts$/, /__tests__\/terraform\/ci-plan\.test\.ts$/, /__tests__\/boot\//];

class HeaviestFirst extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const file = t.path.split('\\').join('/');
      if (LAST.test(file)) return FIRST.length + 1;
      const i = FIRST.findIndex((re) => re.test(file));
      return i < 0 ? FIRST.length : i;
    };
    const byJest = super.sort(tests);
    return byJest
      .map((t, i) => ({ t, i }))
      .sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i)
      .map(({ t }) => t);
  }
}

module.exports = HeaviestFirst;
