// Mocha's options for `npm run mocha` (and so `npm test`). --forbid-only always: a stray .only never ships.
// With CI set (to anything but '', 0 or false, as test/helpers/real-parts.ts's inCi reads it), a pending
// test fails the run: in CI every real part must run, so a skip for a missing part is a failure, not a pass.
// The root hooks print one line per real part at the end (test/helpers/real-parts-hooks.ts).
const ci = !['', '0', 'false'].includes((process.env.CI ?? '').trim().toLowerCase());

module.exports = {
  spec: ['dist/test/**/*.test.js'],
  timeout: 60000,
  reporter: 'spec',
  recursive: true,
  require: ['dist/test/helpers/real-parts-hooks.js'],
  'forbid-only': true,
  'forbid-pending': ci,
};
