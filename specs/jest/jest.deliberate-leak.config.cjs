// Runs only the deliberately failing matcher test, so that its failure message can be read from Jest's JSON.
const base = require('./jest.config.cjs');

module.exports = { ...base, testMatch: ['**/deliberate-leak.failing.cjs'] };
