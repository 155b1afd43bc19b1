// Fails on purpose: specs/jest-integration.spec.ts reads Jest's failure message for a leaking handler.
require('warmleak/jest');
const { handler } = require('../fixtures/arrays.cjs');

test('the matcher fails naming the culprit', async () => {
  await expect(handler).not.toLeakState({ invocations: 200 });
});
