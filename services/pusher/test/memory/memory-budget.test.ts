import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryBudget } from '../../src/memory/memory-budget.js';

test('the budget adds up every registered job and forgets a stopped one', () => {
  const budget = createMemoryBudget(100);
  let a = 40;
  const unregisterA = budget.register(() => a);
  budget.register(() => 50);
  assert.equal(budget.usedBytes(), 90);
  assert.equal(budget.overBudget(), false);
  a = 50;
  assert.equal(budget.overBudget(), true);
  unregisterA();
  assert.equal(budget.usedBytes(), 50);
});
